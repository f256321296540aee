import { UsageError } from '../errors.js';
import type { ProgressSink } from '../progress.js';
import type { Stack } from '../stack/model.js';
import type { Runtime, RuntimeName } from './types.js';

/**
 * Picks and builds the runtime for a command. `auto` takes docker when an engine answers
 * (DOCKER_HOST, the docker context, /var/run/docker.sock), else the native runtime, which needs
 * no daemon. Drivers load lazily so a command pays only for the one it uses.
 */
export type RuntimeChoice = RuntimeName | 'auto';
export const RUNTIME_CHOICES: RuntimeChoice[] = ['auto', 'native', 'docker', 'kubernetes'];

export interface RuntimeOptions {
  runtime: RuntimeChoice;
  progress?: ProgressSink;
  /** docker: engine address (unix://, tcp://, ssh://user@host[:port]). */
  host?: string;
  identityFile?: string;
  insecureAcceptHostKey?: boolean;
  pull?: 'always' | 'missing' | 'never';
  /** kubernetes */
  kubeconfig?: string;
  context?: string;
  namespace?: string;
  env?: NodeJS.ProcessEnv;
}

/** Images only the native runtime can run: the host's userland, or a rootfs directory. */
export function isNativeOnlyImage(image: string): boolean {
  return image === 'host' || image.startsWith('/') || image.startsWith('./') || image.startsWith('../');
}

/**
 * `auto`, in order: a stack that names native-only images runs natively; a project the native
 * runtime already holds stays there (so `ps`, `logs` and `down` find it); a docker engine that
 * answers; else native, which needs no daemon.
 */
export async function resolveRuntimeName(
  options: RuntimeOptions,
  hints: RuntimeHints = {},
): Promise<RuntimeName> {
  if (options.runtime !== 'auto') return options.runtime;
  if (options.host) return 'docker';
  if (hints.stack && Object.values(hints.stack.containers).some((c) => isNativeOnlyImage(c.image)))
    return 'native';
  if (hints.project) {
    const { createNativeRuntime } = await import('./native/index.js');
    const known = await createNativeRuntime()
      .projects()
      .catch(() => [] as string[]);
    if (known.includes(hints.project)) return 'native';
  }
  const { pingDocker } = await import('./docker/index.js');
  try {
    await pingDocker({ timeoutMs: 1500, ...(options.env ? { env: options.env } : {}) });
    return 'docker';
  } catch {
    return 'native';
  }
}

export interface RuntimeHints {
  stack?: Stack;
  project?: string;
}

export async function openRuntime(options: RuntimeOptions, hints: RuntimeHints = {}): Promise<Runtime> {
  const name = await resolveRuntimeName(options, hints);
  if (options.host && name !== 'docker') {
    throw new UsageError('HOST_NEEDS_DOCKER', `--host applies to the docker runtime, not ${name}`, {
      hint: 'drop --host or use --runtime docker',
    });
  }
  switch (name) {
    case 'docker': {
      const { createDockerRuntime } = await import('./docker/index.js');
      return createDockerRuntime({
        ...(options.host ? { host: options.host } : {}),
        ...(options.identityFile ? { identityFile: options.identityFile } : {}),
        ...(options.insecureAcceptHostKey ? { insecureAcceptHostKey: true } : {}),
        ...(options.pull ? { pull: options.pull } : {}),
        ...(options.progress ? { progress: options.progress } : {}),
      });
    }
    case 'native': {
      const { createNativeRuntime } = await import('./native/index.js');
      return createNativeRuntime(options.progress ? { progress: options.progress } : {});
    }
    case 'kubernetes': {
      const { createKubernetesRuntime } = await import('./kubernetes/index.js');
      return createKubernetesRuntime({
        ...(options.kubeconfig ? { kubeconfig: options.kubeconfig } : {}),
        ...(options.context ? { context: options.context } : {}),
        ...(options.namespace ? { namespace: options.namespace } : {}),
        ...(options.env ? { env: options.env } : {}),
      });
    }
  }
}
