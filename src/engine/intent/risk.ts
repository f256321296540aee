import type { Risk } from './command.js';

/**
 * The allowlists: every docker and kubectl verb Kitten will run, with its risk tier. A verb
 * that is not here is refused by the policy — unknown means no, never "probably fine".
 */
export const DOCKER_VERBS: Record<string, Risk> = {
  ps: 'read',
  logs: 'read',
  inspect: 'read',
  stats: 'read',
  top: 'read',
  port: 'read',
  events: 'read',
  images: 'read',
  version: 'read',
  info: 'read',
  history: 'read',
  diff: 'read',
  restart: 'write',
  start: 'write',
  stop: 'write',
  pause: 'write',
  unpause: 'write',
  pull: 'write',
  exec: 'write',
  run: 'write',
  create: 'write',
  rm: 'destructive',
  kill: 'destructive',
  rmi: 'destructive',
};

/** `docker <group> <verb>` management commands. */
export const DOCKER_GROUP_VERBS: Record<string, Record<string, Risk>> = {
  system: { df: 'read', info: 'read', prune: 'destructive' },
  container: {
    ls: 'read',
    list: 'read',
    ps: 'read',
    inspect: 'read',
    logs: 'read',
    top: 'read',
    port: 'read',
    stats: 'read',
    restart: 'write',
    start: 'write',
    stop: 'write',
    pause: 'write',
    unpause: 'write',
    rm: 'destructive',
    kill: 'destructive',
    prune: 'destructive',
  },
  image: {
    ls: 'read',
    list: 'read',
    inspect: 'read',
    history: 'read',
    pull: 'write',
    rm: 'destructive',
    prune: 'destructive',
  },
  volume: { ls: 'read', list: 'read', inspect: 'read', rm: 'destructive', prune: 'destructive' },
  network: { ls: 'read', list: 'read', inspect: 'read', rm: 'destructive', prune: 'destructive' },
};

export const KUBECTL_VERBS: Record<string, Risk> = {
  get: 'read',
  describe: 'read',
  logs: 'read',
  top: 'read',
  events: 'read',
  explain: 'read',
  'api-resources': 'read',
  'api-versions': 'read',
  version: 'read',
  'cluster-info': 'read',
  scale: 'write',
  cordon: 'write',
  uncordon: 'write',
  exec: 'write',
  'port-forward': 'write',
  delete: 'destructive',
  drain: 'destructive',
};

export const KUBECTL_GROUP_VERBS: Record<string, Record<string, Risk>> = {
  rollout: {
    status: 'read',
    history: 'read',
    restart: 'write',
    undo: 'write',
    pause: 'write',
    resume: 'write',
  },
  set: { image: 'write', resources: 'write' },
};

/** kubectl flags that take a value as the next word (so that word is not a verb or a name). */
export const KUBECTL_VALUE_FLAGS = new Set([
  '-n',
  '--namespace',
  '-o',
  '--output',
  '-l',
  '--selector',
  '-c',
  '--container',
  '--field-selector',
  '--sort-by',
  '--tail',
  '--since',
  '--since-time',
  '--replicas',
  '--timeout',
  '--grace-period',
  '--to-revision',
  '--revision',
  '--address',
  '-f',
  '--filename',
  '--pod-running-timeout',
  '--selector',
  '--limit-bytes',
  '--max-log-requests',
]);
const KUBECTL_BOOLEAN_F = new Set(['logs']);

export interface Classified {
  tool: 'docker' | 'kubectl';
  /** e.g. "restart", "system df", "rollout restart". */
  verb: string;
  risk: Risk;
  /** Index in argv of the first word after the verb. */
  rest: number;
}

/** Positional words of a kubectl argv (flags and their values removed), verb included. */
export function kubectlPositionals(argv: readonly string[]): string[] {
  const words: string[] = [];
  let verb: string | undefined;
  for (let i = 1; i < argv.length; i++) {
    const word = argv[i] as string;
    if (word === '--') break;
    if (word.startsWith('-')) {
      // `logs -f` follows; everywhere else -f names a file and takes a value.
      const takesValue =
        KUBECTL_VALUE_FLAGS.has(word) && !(word === '-f' && verb && KUBECTL_BOOLEAN_F.has(verb));
      if (takesValue && !word.includes('=')) i++;
      continue;
    }
    words.push(word);
    verb ??= word;
  }
  return words;
}

export function classify(argv: readonly string[]): Classified | undefined {
  const tool = argv[0];
  if (tool === 'docker') {
    const first = argv[1];
    if (!first || first.startsWith('-')) return undefined;
    const group = Object.hasOwn(DOCKER_GROUP_VERBS, first) ? DOCKER_GROUP_VERBS[first] : undefined;
    if (group) {
      const sub = argv[2];
      if (!sub || !Object.hasOwn(group, sub)) return undefined;
      return { tool, verb: `${first} ${sub}`, risk: group[sub] as Risk, rest: 3 };
    }
    if (!Object.hasOwn(DOCKER_VERBS, first)) return undefined;
    return { tool, verb: first, risk: DOCKER_VERBS[first] as Risk, rest: 2 };
  }
  if (tool === 'kubectl') {
    const [verb, sub] = kubectlPositionals(argv);
    if (!verb) return undefined;
    const group = Object.hasOwn(KUBECTL_GROUP_VERBS, verb) ? KUBECTL_GROUP_VERBS[verb] : undefined;
    if (group) {
      if (!sub || !Object.hasOwn(group, sub)) return undefined;
      return { tool, verb: `${verb} ${sub}`, risk: group[sub] as Risk, rest: argv.indexOf(sub) + 1 };
    }
    if (!Object.hasOwn(KUBECTL_VERBS, verb)) return undefined;
    return { tool, verb, risk: KUBECTL_VERBS[verb] as Risk, rest: argv.indexOf(verb) + 1 };
  }
  return undefined;
}

/** Risk of an argv; anything the allowlists do not know counts as destructive. */
export function riskOf(argv: readonly string[]): Risk {
  return classify(argv)?.risk ?? 'destructive';
}
