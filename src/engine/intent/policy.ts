import type { Command, Risk } from './command.js';
import { type Classified, classify, kubectlPositionals } from './risk.js';

/**
 * The only gate between a proposed command and an executor. It reads the argv alone — never
 * the explanation, never who proposed it — so nothing an intent, an LLM or a cluster says can
 * widen what it allows.
 */

/** What the access module grants (structurally the codex `AccessView`). */
export interface AccessGrant {
  canSee(namespace: string, kind?: string): boolean;
  canWrite(namespace: string, kind?: string): boolean;
}

export interface PolicyContext {
  access?: AccessGrant;
  /** The namespace a kubectl command without -n lands in (kubeconfig's, else "default"). */
  defaultNamespace?: string;
}

export type PolicyVerdict =
  | {
      allowed: true;
      risk: Risk;
      verb: string;
      /** What a person types to confirm a destructive command: the object it destroys. */
      subject: string;
      namespace: string | undefined;
      /** Wants a terminal (exec -it). */
      interactive: boolean;
    }
  | { allowed: false; code: PolicyCode; reason: string; risk: Risk };

export type PolicyCode =
  | 'POLICY_TOOL'
  | 'POLICY_SHELL'
  | 'POLICY_VERB'
  | 'POLICY_FLAG'
  | 'POLICY_NAMESPACE'
  | 'POLICY_MALFORMED';

const MAX_WORDS = 64;
const MAX_WORD_LENGTH = 4096;
const SHELL_PATTERNS: Array<[RegExp, string]> = [
  [/;/, 'a ";"'],
  [/\|/, 'a "|"'],
  [/&/, 'an "&"'],
  [/`/, 'a backtick'],
  [/\$\(/, 'a "$("'],
  [/\$\{/, 'a "${"'],
  [/[\n\r]/, 'a newline'],
  [/\0/, 'a NUL byte'],
  [/[<>]/, 'a redirection'],
];

const KUBECTL_FORBIDDEN_FLAGS = [
  '--kubeconfig',
  '--context',
  '--cluster',
  '--user',
  '--token',
  '--as',
  '--as-group',
  '--as-uid',
  '--server',
  '-s',
  '--insecure-skip-tls-verify',
  '--certificate-authority',
  '--client-certificate',
  '--client-key',
  '--username',
  '--password',
  '--tls-server-name',
  '--raw',
  '--cache-dir',
  '--profile',
  '--profile-output',
];
const SENSITIVE_HOST_PATHS = [
  /^\/$/,
  /^\/+(proc|sys|dev|boot|root)(\/|$)/,
  /docker\.sock$/,
  /containerd\.sock$/,
  /^\/+var\/run\/?$/,
  /^\/+run\/?$/,
  /^\/+etc\/?$/,
];
const CLUSTER_SCOPED_RESOURCES = new Set([
  'node',
  'nodes',
  'no',
  'namespace',
  'namespaces',
  'ns',
  'persistentvolume',
  'persistentvolumes',
  'pv',
  'clusterrole',
  'clusterroles',
  'clusterrolebinding',
  'clusterrolebindings',
  'storageclass',
  'storageclasses',
  'sc',
  'customresourcedefinition',
  'customresourcedefinitions',
  'crd',
  'crds',
  'priorityclass',
  'priorityclasses',
]);

function refuse(code: PolicyCode, reason: string, risk: Risk = 'destructive'): PolicyVerdict {
  return { allowed: false, code, reason, risk };
}

function flagName(word: string): string {
  const eq = word.indexOf('=');
  return eq > 0 ? word.slice(0, eq) : word;
}

function flagValue(argv: readonly string[], i: number): string | undefined {
  const word = argv[i] as string;
  const eq = word.indexOf('=');
  return eq > 0 ? word.slice(eq + 1) : argv[i + 1];
}

/** Dangerous `docker run` / `docker create` options: anything that hands the container the host. */
function dockerRunProblem(argv: readonly string[], from: number): string | undefined {
  for (let i = from; i < argv.length; i++) {
    const word = argv[i] as string;
    if (!word.startsWith('-')) break; // the image: everything after it belongs to the container
    const name = flagName(word);
    const value = flagValue(argv, i);
    if (name === '--privileged') return '--privileged gives the container the whole host';
    if (
      ['--pid', '--net', '--network', '--ipc', '--uts', '--userns', '--cgroupns'].includes(name) &&
      value === 'host'
    ) {
      return `${name}=host shares the host's ${name.slice(2)} namespace`;
    }
    if (name === '--cap-add') return '--cap-add widens the container beyond docker defaults';
    if (name === '--device' || name === '--device-cgroup-rule' || name === '--gpus')
      return `${name} hands host devices to the container`;
    if (name === '--security-opt') return '--security-opt can switch off seccomp or AppArmor';
    if (name === '-v' || name === '--volume') {
      const source = (value ?? '').split(':')[0] ?? '';
      if (SENSITIVE_HOST_PATHS.some((p) => p.test(source))) return `mounting ${source} exposes the host`;
    }
    if (name === '--mount') {
      const source = /(?:^|,)(?:source|src)=([^,]+)/.exec(value ?? '')?.[1] ?? '';
      if (SENSITIVE_HOST_PATHS.some((p) => p.test(source))) return `mounting ${source} exposes the host`;
    }
    if (/^-[a-zA-Z]*v$/.test(word) || /^-v./.test(word)) {
      const attached =
        word.startsWith('-v') && word.length > 2 ? word.slice(2).replace(/^=/, '') : argv[i + 1];
      const source = (attached ?? '').split(':')[0] ?? '';
      if (SENSITIVE_HOST_PATHS.some((p) => p.test(source))) return `mounting ${source} exposes the host`;
    }
    // Skip a flag's separate value.
    if (
      !word.includes('=') &&
      i + 1 < argv.length &&
      !(argv[i + 1] as string).startsWith('-') &&
      takesValue(name)
    )
      i++;
  }
  return undefined;
}

const DOCKER_BOOLEAN_FLAGS = new Set([
  '-d',
  '--detach',
  '-i',
  '--interactive',
  '-t',
  '--tty',
  '-it',
  '-ti',
  '--rm',
  '-P',
  '--publish-all',
  '--init',
  '--read-only',
  '--privileged',
  '-q',
  '--quiet',
]);
function takesValue(name: string): boolean {
  return !DOCKER_BOOLEAN_FLAGS.has(name);
}

function lastPositional(argv: readonly string[], from: number): string | undefined {
  let found: string | undefined;
  for (let i = from; i < argv.length; i++) {
    const word = argv[i] as string;
    if (word === '--') break;
    if (word.startsWith('-')) continue;
    found = word;
  }
  return found;
}

function checkDocker(argv: readonly string[], c: Classified): PolicyVerdict {
  if (c.verb === 'run' || c.verb === 'create') {
    const problem = dockerRunProblem(argv, c.rest);
    if (problem) return refuse('POLICY_FLAG', `docker ${c.verb} refused: ${problem}`, c.risk);
  }
  if (
    c.verb === 'exec' &&
    argv.slice(c.rest).some((w) => w === '--privileged' || w.startsWith('--privileged='))
  ) {
    return refuse(
      'POLICY_FLAG',
      'docker exec --privileged refused: it gives the command the whole host',
      c.risk,
    );
  }
  const interactive =
    c.verb === 'exec' && argv.slice(c.rest).some((w) => /^-[a-z]*[it][a-z]*$/.test(w) && w.includes('t'));
  let subject = c.verb.endsWith('prune') ? 'prune' : (lastPositional(argv, c.rest) ?? c.verb);
  if (c.verb === 'exec' || c.verb === 'container exec') {
    // The container is the first positional after the flags.
    subject = argv.slice(c.rest).find((w) => !w.startsWith('-')) ?? subject;
  }
  return { allowed: true, risk: c.risk, verb: c.verb, subject, namespace: undefined, interactive };
}

interface KubectlScope {
  namespace: string | undefined;
  allNamespaces: boolean;
}

function kubectlScope(argv: readonly string[]): KubectlScope {
  let namespace: string | undefined;
  let allNamespaces = false;
  for (let i = 1; i < argv.length; i++) {
    const word = argv[i] as string;
    if (word === '--') break;
    if (word === '-A' || word === '--all-namespaces' || word === '--all-namespaces=true')
      allNamespaces = true;
    else if (word === '-n' || word === '--namespace') namespace = argv[i + 1];
    else if (word.startsWith('--namespace=')) namespace = word.slice('--namespace='.length);
    else if (word.startsWith('-n') && word.length > 2 && !word.startsWith('--'))
      namespace = word.slice(2).replace(/^=/, '');
  }
  return { namespace, allNamespaces };
}

function kubectlKind(c: Classified, positionals: string[]): string | undefined {
  if (['cordon', 'uncordon', 'drain'].includes(c.verb)) return 'node';
  const start = c.verb.includes(' ') ? 2 : 1;
  const resource = positionals[start];
  if (c.verb === 'logs' || c.verb === 'exec' || c.verb === 'port-forward') {
    const ref = positionals[1] ?? '';
    return ref.includes('/') ? ref.split('/')[0] : 'pod';
  }
  if (!resource) return undefined;
  return resource.includes('/') ? resource.split('/')[0] : resource.split(',')[0];
}

function checkKubectl(argv: readonly string[], c: Classified, context: PolicyContext): PolicyVerdict {
  for (const word of argv.slice(1)) {
    if (word === '--') break;
    const name = flagName(word);
    if (KUBECTL_FORBIDDEN_FLAGS.includes(name)) {
      return refuse(
        'POLICY_FLAG',
        `kubectl ${name} refused: Kitten runs with the configured cluster and identity only`,
        c.risk,
      );
    }
  }
  const positionals = kubectlPositionals(argv);
  const kind = kubectlKind(c, positionals);
  if (c.verb === 'get' || c.verb === 'describe') {
    const wantsData = argv.some((w, i) =>
      w === '-o' || w === '--output'
        ? /^(yaml|json|jsonpath|go-template|custom-columns)/.test(argv[i + 1] ?? '')
        : /^(-o|--output)=?(yaml|json|jsonpath|go-template|custom-columns)/.test(w),
    );
    // Every kind named, however it is written: "configmap,secret", "secret/db", "secrets.v1".
    const kinds = (positionals[1] ?? '')
      .split(',')
      .map((k) => k.split('/')[0]?.split('.')[0]?.toLowerCase() ?? '');
    if (kinds.some((k) => /^secrets?$/.test(k)) && wantsData) {
      return refuse(
        'POLICY_VERB',
        'reading secret values is refused; list or describe secrets instead',
        c.risk,
      );
    }
  }
  if (c.verb === 'port-forward') {
    const loopback = ['localhost', '127.0.0.1', '::1'];
    const addresses = argv.flatMap((w, i) =>
      w === '--address'
        ? [argv[i + 1] ?? '']
        : w.startsWith('--address=')
          ? [w.slice('--address='.length)]
          : [],
    );
    const value = addresses.join(',');
    if (addresses.length > 0 && value.split(',').some((a) => !loopback.includes(a))) {
      return refuse(
        'POLICY_FLAG',
        `kubectl port-forward --address ${value} refused: forwarded ports stay on loopback`,
        c.risk,
      );
    }
  }
  if (c.verb === 'delete' || c.verb === 'drain') {
    const bulk = argv.find((w) =>
      ['--all', '-A', '--all-namespaces', '-l', '--selector', '--field-selector'].includes(flagName(w)),
    );
    if (bulk)
      return refuse(
        'POLICY_FLAG',
        `kubectl ${c.verb} with ${flagName(bulk)} refused: name the one object to ${c.verb}`,
        c.risk,
      );
    if (
      c.verb === 'delete' &&
      argv.some((w) => w === '-f' || w === '--filename' || w.startsWith('--filename=') || w === '-k')
    ) {
      return refuse('POLICY_FLAG', 'kubectl delete from files is refused: name the object', c.risk);
    }
  }
  const scope = kubectlScope(argv);
  if (scope.namespace !== undefined && !/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/.test(scope.namespace)) {
    return refuse('POLICY_MALFORMED', `"${scope.namespace}" is not a namespace name`, c.risk);
  }
  const clusterScoped =
    [
      'cordon',
      'uncordon',
      'drain',
      'api-resources',
      'api-versions',
      'version',
      'cluster-info',
      'explain',
    ].includes(c.verb) ||
    (kind !== undefined && CLUSTER_SCOPED_RESOURCES.has(kind.toLowerCase()));
  const namespace = clusterScoped
    ? undefined
    : scope.allNamespaces
      ? '*'
      : (scope.namespace ?? context.defaultNamespace ?? 'default');
  if (context.access) {
    const needsWrite = c.risk !== 'read';
    const allowed = (ns: string) =>
      (needsWrite ? context.access?.canWrite(ns, kind) : context.access?.canSee(ns, kind)) === true;
    // Cluster-scoped objects (nodes, namespaces) are asked about as namespace "".
    const asked = namespace ?? '';
    if (!allowed(asked)) {
      const what =
        namespace === '*'
          ? 'every namespace'
          : namespace
            ? `namespace ${namespace}`
            : 'cluster-scoped objects';
      return refuse(
        'POLICY_NAMESPACE',
        `your access grant does not let you ${needsWrite ? 'change' : 'read'} ${what}${kind ? ` (${kind})` : ''}`,
        c.risk,
      );
    }
  }
  let subject = positionals[positionals.length - 1] ?? c.verb;
  if (subject.includes('/')) subject = subject.split('/').slice(1).join('/');
  const tail = argv.indexOf('--');
  const flagsPart = tail > 0 ? argv.slice(0, tail) : argv;
  const interactive =
    c.verb === 'exec' && flagsPart.some((w) => w === '-it' || w === '-ti' || w === '--tty' || w === '-t');
  return { allowed: true, risk: c.risk, verb: c.verb, subject, namespace, interactive };
}

export function checkArgv(argv: readonly string[], context: PolicyContext = {}): PolicyVerdict {
  if (!Array.isArray(argv) || argv.length < 2 || argv.some((w) => typeof w !== 'string')) {
    return refuse('POLICY_MALFORMED', 'the command must be a tool and at least one argument');
  }
  if (argv.length > MAX_WORDS || argv.some((w) => w.length > MAX_WORD_LENGTH)) {
    return refuse('POLICY_MALFORMED', 'the command is too long');
  }
  const tool = argv[0];
  if (tool !== 'docker' && tool !== 'kubectl') {
    return refuse('POLICY_TOOL', `"${tool}" is not allowed: Kitten runs only docker and kubectl`);
  }
  for (const word of argv) {
    const hit = SHELL_PATTERNS.find(([pattern]) => pattern.test(word));
    if (hit)
      return refuse(
        'POLICY_SHELL',
        `the argument "${word.slice(0, 40)}" contains ${hit[1]}: shell syntax is refused`,
      );
  }
  const c = classify(argv);
  if (!c) {
    const verb = tool === 'docker' ? argv[1] : (kubectlPositionals(argv)[0] ?? argv[1]);
    if (tool === 'docker' && argv[1]?.startsWith('-')) {
      return refuse(
        'POLICY_FLAG',
        `docker global option ${argv[1]} refused: Kitten chooses the engine itself`,
      );
    }
    return refuse('POLICY_VERB', `${tool} ${verb ?? ''} is not on Kitten's allowlist`.replace(/\s+$/, ''));
  }
  return tool === 'docker' ? checkDocker(argv, c) : checkKubectl(argv, c, context);
}

/** Checks a whole Command: its tool must match argv[0], and its risk is recomputed, never trusted. */
export function checkCommand(
  command: Pick<Command, 'tool' | 'argv'>,
  context: PolicyContext = {},
): PolicyVerdict {
  if (command.argv[0] !== command.tool) {
    return refuse(
      'POLICY_MALFORMED',
      `the command's tool (${command.tool}) does not match its argv (${command.argv[0] ?? 'empty'})`,
    );
  }
  return checkArgv(command.argv, context);
}
