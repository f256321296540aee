import { kubeconfigAvailable } from '../cluster/kubeconfig.js';
import type { Target } from './command.js';
import type { IntentContext } from './context.js';
import { sanitizeContext } from './context.js';
import { type ExecResult, executeLocal } from './execute-local.js';
import { executeSsh, type SshDestination } from './execute-ssh.js';

/**
 * Asks the runtimes which names exist, with the same tools and the same host the command will
 * use, so "restart my app" can find `my-app`. Best effort and bounded: a runtime that does not
 * answer in time is simply not reachable.
 */
export interface GatherOptions {
  targets: Target[];
  namespace?: string;
  ssh?: SshDestination;
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
}

const DOCKER_NAMES = ['docker', 'ps', '--format', '{{.Names}}'];
const KUBERNETES_NAMES = [
  'kubectl',
  'get',
  'deployments,pods,services,nodes',
  '-o',
  'name',
  '--request-timeout=2s',
];

async function run(argv: string[], options: GatherOptions): Promise<ExecResult | undefined> {
  const timeoutMs = options.timeoutMs ?? 2500;
  try {
    return options.ssh
      ? await executeSsh(options.ssh, argv, { timeoutMs })
      : await executeLocal(argv, { timeoutMs, env: options.env });
  } catch {
    return undefined;
  }
}

const lines = (text: string) =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);

export async function gatherContext(options: GatherOptions): Promise<IntentContext> {
  const wantDocker = options.targets.includes('docker');
  // Without a kubeconfig kubectl falls back to localhost:8080, which may be anything: don't ask it.
  const wantKube =
    options.targets.includes('kubernetes') &&
    (options.ssh !== undefined || kubeconfigAvailable({}, options.env));
  const kubeArgv = options.namespace ? [...KUBERNETES_NAMES, '-n', options.namespace] : KUBERNETES_NAMES;
  const [docker, kube] = await Promise.all([
    wantDocker ? run(DOCKER_NAMES, options) : undefined,
    wantKube ? run(kubeArgv, options) : undefined,
  ]);
  const context: IntentContext = { reachable: {} };
  if (wantDocker && context.reachable) {
    const ok = docker?.exitCode === 0 && !docker.timedOut;
    context.reachable.docker = ok;
    if (ok && docker) context.containers = lines(docker.stdout);
  }
  if (wantKube && context.reachable) {
    const ok = kube?.exitCode === 0 && !kube.timedOut;
    context.reachable.kubernetes = ok;
    if (ok && kube) {
      const byKind = (prefix: string) =>
        lines(kube.stdout)
          .filter((l) => l.startsWith(prefix))
          .map((l) => l.slice(l.indexOf('/') + 1));
      context.deployments = byKind('deployment');
      context.pods = byKind('pod/');
      context.services = byKind('service/');
      context.nodes = byKind('node/');
    }
  }
  return sanitizeContext(context);
}
