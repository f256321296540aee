import { type Command, type Target, TOOL_OF_TARGET } from './command.js';
import { type IntentContext, type NameResolution, resolveAgainst } from './context.js';
import { type Action, type Kind, KUBERNETES_KINDS } from './lexicon.js';
import { type Frame, isImageRef, type NamePhrase, parseIntent } from './parse.js';
import { riskOf } from './risk.js';

/**
 * The offline translator: the grammar's frame becomes one canonical docker or kubectl argv.
 * Anything it cannot map with certainty is UNSUPPORTED with the reason, never a guess.
 */
export interface TranslateOptions {
  target?: Target;
  namespace?: string;
  context?: IntentContext;
}

export type Translation =
  | { ok: true; target: Target; command: Command }
  | { ok: false; status: 'UNSUPPORTED'; reason: string; target: Target | undefined };

class Unsupported extends Error {}
const no = (reason: string): never => {
  throw new Unsupported(reason);
};

const STRONG: Action[] = [
  'restart',
  'stop',
  'start',
  'kill',
  'pause',
  'unpause',
  'scale',
  'rollback',
  'rollout-status',
  'remove',
  'forward',
  'pull',
  'cordon',
  'uncordon',
  'drain',
  'set-image',
  'exec',
  'shell',
];
const WEAK_ORDER: Action[] = ['logs', 'events', 'processes', 'usage', 'ports', 'disk', 'describe', 'list'];

const DOCKER_ONLY = new Set<Action>([
  'stop',
  'start',
  'kill',
  'pause',
  'unpause',
  'processes',
  'ports',
  'pull',
  'disk',
]);
const KUBERNETES_ONLY = new Set<Action>([
  'scale',
  'rollback',
  'rollout-status',
  'forward',
  'cordon',
  'uncordon',
  'drain',
  'set-image',
]);

function resolveAction(frame: Frame): Action {
  if (frame.negated) no('the request says what not to do; Kitten only runs positive, single commands');
  if (frame.execArgv) return 'exec';
  const actions = new Set(frame.actions);
  if (frame.shellProgram) {
    actions.delete('shell');
    actions.delete('exec');
    actions.delete('list');
    if ([...actions].some((a) => STRONG.includes(a)))
      no('that asks for more than one thing; ask for one command at a time');
    return 'shell';
  }
  actions.delete('shell');
  if (frame.compound && actions.size > 1)
    no(`that asks for ${[...actions].join(' and ')}; ask for one command at a time`);
  let strong = [...actions].filter((a) => STRONG.includes(a));
  // "describe" from a verb (inspect/describe) beats nouns; "exec" alone without a command is a shell.
  if (strong.includes('exec') && !frame.execArgv) strong = strong.filter((a) => a !== 'exec');
  if (strong.length > 1) no(`that asks for ${strong.join(' and ')}; ask for one command at a time`);
  if (strong.length === 1) return strong[0] as Action;
  if (actions.has('exec') && !frame.execArgv) no('run what? say "run CMD in NAME"');
  for (const action of WEAK_ORDER) if (actions.has(action)) return action;
  // "the last 10 lines from web", "follow web": a line count or following means logs.
  if (frame.lines !== undefined || frame.follow) return 'logs';
  if (frame.kinds.includes('image')) return 'list';
  if (frame.kinds.length > 0 && (frame.viewVerb || frame.names.length === 0))
    return frame.names.length > 0 && !frame.kindPlural ? 'describe' : 'list';
  return no('no action recognised (try restart, logs, scale, describe, ...)');
}

function inferTarget(frame: Frame, action: Action, options: TranslateOptions, names: string[]): Target {
  if (options.target) return options.target;
  if (frame.targetWord) return frame.targetWord;
  if (frame.kinds.some((k) => KUBERNETES_KINDS.has(k))) return 'kubernetes';
  if (frame.namespace || frame.allNamespaces || options.namespace || frame.replicas !== undefined)
    return 'kubernetes';
  if (KUBERNETES_ONLY.has(action)) return 'kubernetes';
  if (DOCKER_ONLY.has(action) || frame.kinds.includes('container') || frame.kinds.includes('image'))
    return 'docker';
  const ctx = options.context;
  if (ctx && names.length > 0) {
    const inDocker = names.some((n) => ctx.containers?.some((c) => c.toLowerCase() === n.toLowerCase()));
    const inKube = names.some((n) =>
      [ctx.deployments, ctx.pods, ctx.services, ctx.nodes].some((pool) =>
        pool?.some((c) => c.toLowerCase() === n.toLowerCase()),
      ),
    );
    if (inKube && !inDocker) return 'kubernetes';
    if (inDocker && !inKube) return 'docker';
  }
  if (ctx?.reachable && ctx.reachable.docker === false && ctx.reachable.kubernetes === true)
    return 'kubernetes';
  return 'docker';
}

function phraseVariants(phrase: NamePhrase): string[] {
  const joined = (sep: string, words: string[]) => words.join(sep);
  const variants = ['-', '_', '', '.'].map((sep) => joined(sep, phrase.words));
  if (phrase.determiner === 'my' || phrase.determiner === 'our') {
    for (const sep of ['-', '_', '']) variants.push(joined(sep, [phrase.determiner, ...phrase.words]));
  }
  return variants;
}

function poolFor(
  target: Target,
  kind: Kind | undefined,
  action: Action,
  ctx: IntentContext | undefined,
): string[] {
  if (!ctx) return [];
  if (target === 'docker') return ctx.containers ?? [];
  if (kind === 'pod') return ctx.pods ?? [];
  if (kind === 'node' || ['cordon', 'uncordon', 'drain'].includes(action)) return ctx.nodes ?? [];
  if (kind === 'service' || action === 'forward')
    return [...(ctx.services ?? []), ...(ctx.deployments ?? [])];
  if (
    kind === 'deployment' ||
    ['restart', 'scale', 'rollback', 'rollout-status', 'set-image'].includes(action)
  )
    return ctx.deployments ?? [];
  return [...(ctx.deployments ?? []), ...(ctx.pods ?? [])];
}

/** The one name a phrase stands for: context first, else the words themselves when they are one token. */
function resolveName(
  phrase: NamePhrase,
  target: Target,
  action: Action,
  ctx: IntentContext | undefined,
): string {
  const pool = poolFor(target, phrase.kind, action, ctx);
  const found: NameResolution = resolveAgainst(phraseVariants(phrase), pool);
  if (found.status === 'resolved') return found.name;
  if (found.status === 'ambiguous')
    no(`"${phrase.words.join(' ')}" could be ${found.candidates.join(' or ')}; say which`);
  if (phrase.words.length === 1) return phrase.words[0] as string;
  return no(
    `"${phrase.words.join(' ')}" is not a name I know; write the exact name (for example ${phrase.words.join('-')})`,
  );
}

function oneName(
  frame: Frame,
  target: Target,
  action: Action,
  ctx: IntentContext | undefined,
  what: string,
): { name: string; kind: Kind | undefined } {
  if (frame.names.length === 0)
    no(`${what} which one? name the ${target === 'docker' ? 'container' : 'object'}`);
  if (frame.names.length > 1)
    no(
      `I don't understand "${frame.names.map((p) => p.words.join(' ')).join('", "')}": name one ${target === 'docker' ? 'container' : 'object'}`,
    );
  const phrase = frame.names[0] as NamePhrase;
  return {
    name: resolveName(phrase, target, action, ctx),
    kind: phrase.kind ?? frame.kinds.find((k) => k !== 'container' && k !== 'image'),
  };
}

function noNames(frame: Frame, about: string): void {
  if (frame.names.length > 0)
    no(
      `I don't understand "${frame.names.map((p) => p.words.join(' ')).join('", "')}" in a request to ${about}`,
    );
}

const KIND_RESOURCE: Record<Kind, string> = {
  container: 'pod',
  pod: 'pod',
  deployment: 'deployment',
  statefulset: 'statefulset',
  daemonset: 'daemonset',
  replicaset: 'replicaset',
  service: 'service',
  node: 'node',
  namespace: 'namespace',
  job: 'job',
  cronjob: 'cronjob',
  configmap: 'configmap',
  ingress: 'ingress',
  image: 'pod',
};
const KIND_PLURAL: Partial<Record<Kind, string>> = {
  pod: 'pods',
  deployment: 'deployments',
  statefulset: 'statefulsets',
  daemonset: 'daemonsets',
  replicaset: 'replicasets',
  service: 'services',
  node: 'nodes',
  namespace: 'namespaces',
  job: 'jobs',
  cronjob: 'cronjobs',
  configmap: 'configmaps',
  ingress: 'ingresses',
  container: 'pods',
};
const CLUSTER_SCOPED = new Set<Kind>(['node', 'namespace']);
const WORKLOADS = new Set<Kind>(['deployment', 'statefulset', 'daemonset']);

interface Built {
  argv: string[];
  explanation: string;
}

function namespaceArgs(frame: Frame, options: TranslateOptions, kind?: Kind): string[] {
  if (kind && CLUSTER_SCOPED.has(kind)) return [];
  const ns = frame.namespace ?? options.namespace;
  return ns ? ['-n', ns] : [];
}
const inNs = (frame: Frame, options: TranslateOptions) => {
  const ns = frame.namespace ?? options.namespace;
  return ns ? ` in namespace ${ns}` : '';
};

function checkNumbers(frame: Frame, allowed: number): void {
  if (frame.numbers.length > allowed) no(`I don't understand the number ${frame.numbers.join(', ')} here`);
}

function buildDocker(frame: Frame, action: Action, ctx: IntentContext | undefined): Built {
  const name = (what: string) => oneName(frame, 'docker', action, ctx, what).name;
  if (!['logs'].includes(action)) checkNumbers(frame, 0);
  switch (action) {
    case 'restart':
    case 'stop':
    case 'start':
    case 'pause':
    case 'unpause': {
      const n = name(action);
      return {
        argv: ['docker', action, n],
        explanation: `${action[0]?.toUpperCase()}${action.slice(1)}s the container ${n}.`,
      };
    }
    case 'kill': {
      const n = name('kill');
      return {
        argv: ['docker', 'kill', n],
        explanation: `Kills the container ${n} at once (SIGKILL), without a graceful stop.`,
      };
    }
    case 'logs': {
      checkNumbers(frame, frame.lines === undefined ? 1 : 0);
      const lines = frame.lines ?? frame.numbers[0];
      const n = name('logs of');
      const follow = frame.follow || frame.dashF;
      const argv = ['docker', 'logs'];
      if (lines !== undefined) argv.push('--tail', String(lines));
      if (follow) argv.push('-f');
      if (frame.since) argv.push('--since', frame.since);
      argv.push(n);
      const what = lines !== undefined ? `the last ${lines} log lines` : 'the logs';
      return {
        argv,
        explanation: `Shows ${what} of the container ${n}${frame.since ? ` from the last ${frame.since}` : ''}${follow ? ', then follows new ones' : ''}.`,
      };
    }
    case 'list': {
      if (frame.kinds.includes('image')) {
        noNames(frame, 'list images');
        return { argv: ['docker', 'images'], explanation: 'Lists the images stored locally.' };
      }
      noNames(frame, 'list containers');
      return frame.all || frame.dashF
        ? { argv: ['docker', 'ps', '-a'], explanation: 'Lists all containers, stopped ones included.' }
        : { argv: ['docker', 'ps'], explanation: 'Lists the running containers.' };
    }
    case 'describe': {
      const n = name('inspect');
      return {
        argv: ['docker', 'inspect', n],
        explanation: `Shows the full configuration and state of the container ${n}.`,
      };
    }
    case 'usage': {
      if (frame.names.length === 0)
        return {
          argv: ['docker', 'stats', '--no-stream'],
          explanation: 'Shows CPU, memory, network and disk use of the running containers, once.',
        };
      const n = name('usage of');
      return {
        argv: ['docker', 'stats', '--no-stream', n],
        explanation: `Shows CPU, memory, network and disk use of the container ${n}, once.`,
      };
    }
    case 'processes': {
      const n = name('processes of');
      return {
        argv: ['docker', 'top', n],
        explanation: `Lists the processes running inside the container ${n}.`,
      };
    }
    case 'remove': {
      if (frame.kinds.includes('image')) {
        if (frame.names.length !== 1) no('remove which image? name one');
        const image = imageOf(frame);
        return {
          argv: ['docker', 'rmi', image],
          explanation: `Deletes the image ${image} from local storage.`,
        };
      }
      const n = name('remove');
      const force = frame.force || frame.dashF;
      return {
        argv: force ? ['docker', 'rm', '-f', n] : ['docker', 'rm', n],
        explanation: `Removes the container ${n}${force ? ', stopping it first if it runs' : ''}.`,
      };
    }
    case 'shell': {
      const n = name('open a shell in');
      const program = frame.shellProgram ?? 'sh';
      return {
        argv: ['docker', 'exec', '-it', n, program],
        explanation: `Opens an interactive ${program} inside the container ${n}.`,
      };
    }
    case 'exec': {
      const n = name('run a command in');
      const cmd = frame.execArgv ?? [];
      return {
        argv: ['docker', 'exec', n, ...cmd],
        explanation: `Runs \`${cmd.join(' ')}\` inside the container ${n}.`,
      };
    }
    case 'ports': {
      const n = name('ports of');
      return { argv: ['docker', 'port', n], explanation: `Lists the port mappings of the container ${n}.` };
    }
    case 'events': {
      noNames(frame, 'show events');
      const since = frame.since ?? '10m';
      return {
        argv: ['docker', 'events', '--since', since, '--until', '0s'],
        explanation: `Shows the engine's events from the last ${since}.`,
      };
    }
    case 'pull': {
      const image = imageOf(frame);
      return {
        argv: ['docker', 'pull', image],
        explanation: `Downloads the image ${image} from its registry.`,
      };
    }
    case 'disk':
      noNames(frame, 'show disk usage');
      return {
        argv: ['docker', 'system', 'df'],
        explanation: 'Shows the disk space used by images, containers, volumes and build cache.',
      };
    default:
      return no(`"${action}" has no docker form (it is a Kubernetes action; pass --target kubernetes)`);
  }
}

function imageOf(frame: Frame): string {
  if (frame.names.length !== 1) no('pull which image? name one image, for example nginx:1.27');
  const image = (frame.names[0] as NamePhrase).words.join('-');
  if ((frame.names[0] as NamePhrase).words.length > 1 || !isImageRef(image))
    no(`"${(frame.names[0] as NamePhrase).words.join(' ')}" is not an image reference`);
  return image;
}

function workloadRef(kind: Kind | undefined, name: string): string {
  return `${kind && WORKLOADS.has(kind) ? kind : 'deployment'}/${name}`;
}

function buildKubernetes(frame: Frame, action: Action, options: TranslateOptions): Built {
  const ctx = options.context;
  const one = (what: string) => oneName(frame, 'kubernetes', action, ctx, what);
  const ns = (kind?: Kind) => namespaceArgs(frame, options, kind);
  if (!['logs', 'scale', 'forward'].includes(action)) checkNumbers(frame, 0);
  switch (action) {
    case 'restart': {
      const { name, kind } = one('restart');
      if (kind === 'pod')
        no(
          'a pod cannot be restarted in place; restart its deployment, or delete the pod to have it replaced',
        );
      const ref = workloadRef(kind, name);
      return {
        argv: ['kubectl', 'rollout', 'restart', ref, ...ns()],
        explanation: `Restarts every pod of ${ref}${inNs(frame, options)} with a rolling update.`,
      };
    }
    case 'logs': {
      checkNumbers(frame, frame.lines === undefined ? 1 : 0);
      const lines = frame.lines ?? frame.numbers[0];
      const { name, kind } = one('logs of');
      const isDeployment =
        kind === 'deployment' ||
        (kind === undefined && ctx?.deployments?.includes(name) && !ctx.pods?.includes(name));
      const ref = isDeployment
        ? `deployment/${name}`
        : kind && WORKLOADS.has(kind)
          ? `${kind}/${name}`
          : name;
      const follow = frame.follow || frame.dashF;
      const argv = ['kubectl', 'logs', ref];
      if (lines !== undefined) argv.push(`--tail=${lines}`);
      if (follow) argv.push('-f');
      if (frame.since) argv.push(`--since=${frame.since}`);
      argv.push(...ns());
      const what = lines !== undefined ? `the last ${lines} log lines` : 'the logs';
      return {
        argv,
        explanation: `Shows ${what} of ${ref}${inNs(frame, options)}${frame.since ? ` from the last ${frame.since}` : ''}${follow ? ', then follows new ones' : ''}.`,
      };
    }
    case 'list': {
      const kind = frame.kinds.find((k) => k !== 'image' && k !== 'container') ?? 'pod';
      noNames(frame, `list ${KIND_PLURAL[kind] ?? kind}`);
      const resource = KIND_PLURAL[kind] ?? `${kind}s`;
      const scope = CLUSTER_SCOPED.has(kind) ? [] : frame.allNamespaces ? ['-A'] : ns();
      const where = CLUSTER_SCOPED.has(kind)
        ? ''
        : frame.allNamespaces
          ? ' in every namespace'
          : inNs(frame, options);
      return { argv: ['kubectl', 'get', resource, ...scope], explanation: `Lists the ${resource}${where}.` };
    }
    case 'describe': {
      const { name, kind } = one('describe');
      const isDeployment =
        kind === undefined && ctx?.deployments?.includes(name) && !ctx.pods?.includes(name);
      const resource = isDeployment ? 'deployment' : KIND_RESOURCE[kind ?? 'pod'];
      return {
        argv: ['kubectl', 'describe', resource, name, ...ns(kind)],
        explanation: `Describes the ${resource} ${name}${CLUSTER_SCOPED.has(kind ?? 'pod') ? '' : inNs(frame, options)}: spec, status and recent events.`,
      };
    }
    case 'usage': {
      const kind = frame.kinds.includes('node') ? 'node' : 'pod';
      if (frame.names.length === 0) {
        const scope = kind === 'node' ? [] : frame.allNamespaces ? ['-A'] : ns();
        return {
          argv: ['kubectl', 'top', kind === 'node' ? 'nodes' : 'pods', ...scope],
          explanation: `Shows CPU and memory use of the ${kind}s (needs metrics-server).`,
        };
      }
      const { name } = one('usage of');
      return {
        argv: ['kubectl', 'top', kind, name, ...ns(kind)],
        explanation: `Shows CPU and memory use of the ${kind} ${name} (needs metrics-server).`,
      };
    }
    case 'scale': {
      const replicas = frame.replicas ?? (frame.numbers.length === 1 ? frame.numbers[0] : undefined);
      if (replicas === undefined) return no('scale to how many replicas? say "scale NAME to N"');
      if (frame.replicas !== undefined) checkNumbers(frame, 0);
      const { name, kind } = one('scale');
      const ref = workloadRef(kind, name);
      return {
        argv: ['kubectl', 'scale', ref, `--replicas=${replicas}`, ...ns()],
        explanation: `Sets ${ref}${inNs(frame, options)} to ${replicas} replica${replicas === 1 ? '' : 's'}.`,
      };
    }
    case 'rollback': {
      const { name, kind } = one('roll back');
      const ref = workloadRef(kind, name);
      return {
        argv: ['kubectl', 'rollout', 'undo', ref, ...ns()],
        explanation: `Rolls ${ref}${inNs(frame, options)} back to its previous revision.`,
      };
    }
    case 'rollout-status': {
      const { name, kind } = one('rollout status of');
      const ref = workloadRef(kind, name);
      return {
        argv: ['kubectl', 'rollout', 'status', ref, ...ns()],
        explanation: `Waits for and reports the rollout of ${ref}${inNs(frame, options)}.`,
      };
    }
    case 'remove': {
      const { name, kind } = one('delete');
      const resource = KIND_RESOURCE[kind ?? 'pod'];
      const force = frame.force ? ['--force', '--grace-period=0'] : [];
      return {
        argv: ['kubectl', 'delete', resource, name, ...force, ...ns(kind)],
        explanation: `Deletes the ${resource} ${name}${CLUSTER_SCOPED.has(kind ?? 'pod') ? '' : inNs(frame, options)}${frame.force ? ' immediately, without waiting for it to stop' : ''}.`,
      };
    }
    case 'shell': {
      const { name } = one('open a shell in');
      const program = frame.shellProgram ?? 'sh';
      return {
        argv: ['kubectl', 'exec', '-it', name, ...ns(), '--', program],
        explanation: `Opens an interactive ${program} in the pod ${name}${inNs(frame, options)}.`,
      };
    }
    case 'exec': {
      const { name } = one('run a command in');
      const cmd = frame.execArgv ?? [];
      return {
        argv: ['kubectl', 'exec', name, ...ns(), '--', ...cmd],
        explanation: `Runs \`${cmd.join(' ')}\` in the pod ${name}${inNs(frame, options)}.`,
      };
    }
    case 'forward': {
      const ports =
        frame.ports ??
        (frame.numbers.length === 1
          ? { local: frame.numbers[0] as number, remote: frame.numbers[0] as number }
          : frame.numbers.length === 2
            ? { local: frame.numbers[0] as number, remote: frame.numbers[1] as number }
            : undefined);
      if (!ports) return no('forward which port? say "forward 8080 to NAME"');
      if (!frame.ports && frame.numbers.length > 2) checkNumbers(frame, 2);
      for (const p of [ports.local, ports.remote]) if (p < 1 || p > 65535) no(`${p} is not a port number`);
      const { name, kind } = one('forward to');
      const prefix = kind === 'pod' ? 'pod' : kind === 'deployment' ? 'deployment' : 'svc';
      return {
        argv: ['kubectl', 'port-forward', `${prefix}/${name}`, `${ports.local}:${ports.remote}`, ...ns()],
        explanation: `Forwards local port ${ports.local} to port ${ports.remote} of ${prefix}/${name}${inNs(frame, options)} until stopped.`,
      };
    }
    case 'events': {
      noNames(frame, 'show events');
      const scope = frame.allNamespaces ? ['-A'] : ns();
      return {
        argv: ['kubectl', 'get', 'events', ...scope, '--sort-by=.lastTimestamp'],
        explanation: `Lists recent events${frame.allNamespaces ? ' in every namespace' : inNs(frame, options)}, oldest first.${
          frame.since ? ' (kubectl cannot filter events by age: the newest are at the bottom)' : ''
        }`,
      };
    }
    case 'cordon':
    case 'uncordon': {
      const { name } = one(action);
      return {
        argv: ['kubectl', action, name],
        explanation:
          action === 'cordon'
            ? `Marks the node ${name} unschedulable; running pods stay.`
            : `Marks the node ${name} schedulable again.`,
      };
    }
    case 'drain': {
      const { name } = one('drain');
      return {
        argv: ['kubectl', 'drain', name, '--ignore-daemonsets'],
        explanation: `Cordons the node ${name} and evicts its pods (daemonset pods stay).`,
      };
    }
    case 'set-image': {
      if (frame.names.length !== 2) no('set the image of what to what? say "set image of NAME to IMAGE"');
      const [first, second] = frame.names as [NamePhrase, NamePhrase];
      const firstIsImage = first.words.length === 1 && /[:/@]/.test(first.words[0] as string);
      const [target, imagePhrase] = firstIsImage ? [second, first] : [first, second];
      const image = imagePhrase.words.join('-');
      if (imagePhrase.words.length > 1 || !isImageRef(image))
        no(`"${imagePhrase.words.join(' ')}" is not an image reference`);
      const name = resolveName(target, 'kubernetes', action, ctx);
      const ref = workloadRef(target.kind, name);
      return {
        argv: ['kubectl', 'set', 'image', ref, `${name}=${image}`, ...ns()],
        explanation: `Changes the image of container ${name} in ${ref}${inNs(frame, options)} to ${image}, starting a rollout.`,
      };
    }
    default:
      return no(`"${action}" has no kubectl form (it is a docker action; pass --target docker)`);
  }
}

export function translateOffline(intent: string, options: TranslateOptions = {}): Translation {
  let target: Target | undefined = options.target;
  try {
    if (intent.trim() === '') no('the request is empty');
    if (intent.length > 1000) no('the request is too long; ask for one command');
    const frame = parseIntent(intent);
    if (frame.unknown.length > 0) no(`I don't understand "${frame.unknown.join(' ')}"`);
    const action = resolveAction(frame);
    if (frame.compound && frame.names.length > 1 && action !== 'set-image')
      no('that names more than one thing; ask for one command at a time');
    const nameGuesses = frame.names.filter((p) => p.words.length === 1).map((p) => p.words[0] as string);
    target = inferTarget(frame, action, options, nameGuesses);
    if (target === 'docker' && (frame.namespace || frame.allNamespaces) && !options.target)
      target = 'kubernetes';
    if (target === 'docker' && KUBERNETES_ONLY.has(action))
      no(`"${action}" has no docker form (it is a Kubernetes action; pass --target kubernetes)`);
    if (target === 'kubernetes' && DOCKER_ONLY.has(action))
      no(`"${action}" has no kubectl form (it is a docker action; pass --target docker)`);
    const built =
      target === 'docker'
        ? buildDocker(frame, action, options.context)
        : buildKubernetes(frame, action, options);
    const tool = TOOL_OF_TARGET[target];
    return {
      ok: true,
      target,
      command: {
        tool,
        argv: built.argv,
        risk: riskOf(built.argv),
        explanation: built.explanation,
        source: 'offline',
      },
    };
  } catch (error) {
    if (error instanceof Unsupported)
      return { ok: false, status: 'UNSUPPORTED', reason: error.message, target };
    throw error;
  }
}
