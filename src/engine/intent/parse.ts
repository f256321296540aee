import type { Target } from './command.js';
import {
  ACTION_NOUNS,
  ACTION_VERBS,
  type Action,
  ALL_STATES,
  CONJUNCTIONS,
  FILLER,
  KINDS,
  type Kind,
  KUBERNETES_KINDS,
  TARGET_WORDS,
  VIEW_VERBS,
} from './lexicon.js';
import { formatDuration, normalize, timeUnit, type Word } from './normalize.js';
import { tokenize } from './tokenize.js';

/**
 * Third stage: pattern rules over the normalized words fill the slots of one frame. Each rule
 * marks the words it explains as used; whatever no rule explains is either a name or a reason
 * to say "I don't understand".
 */
export interface NamePhrase {
  /** The words of the name as typed, e.g. ["web", "server"] or ["my-app"]. */
  words: string[];
  /** A determiner right before it ("my", "the"), which context may show is part of the name. */
  determiner: string | undefined;
  /** The kind word right next to it ("deployment web", "web pod"), if any. */
  kind: Kind | undefined;
  possessive: boolean;
}

export interface Frame {
  action: Action | undefined;
  /** Every action word seen, to detect two requests in one sentence. */
  actions: Action[];
  viewVerb: boolean;
  kinds: Kind[];
  kindPlural: boolean;
  names: NamePhrase[];
  lines: number | undefined;
  replicas: number | undefined;
  numbers: number[];
  since: string | undefined;
  follow: boolean;
  dashF: boolean;
  all: boolean;
  allNamespaces: boolean;
  namespace: string | undefined;
  force: boolean;
  ports: { local: number; remote: number } | undefined;
  execArgv: string[] | undefined;
  shellProgram: string | undefined;
  image: string | undefined;
  targetWord: Target | undefined;
  compound: boolean;
  negated: boolean;
  /** Words that are neither grammar nor a plausible name (quoted prose, stray symbols). */
  unknown: string[];
}

/** Words that cannot be names: a request built on them is too vague to act on. */
const VAGUE = new Set([
  'version',
  'versions',
  'something',
  'anything',
  'stuff',
  'whatever',
  'somewhere',
  'someone',
]);

const NAME = /^[a-z0-9][a-z0-9_.:/@-]*$/i;
const DNS_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
const IMAGE_REF =
  /^(?:[a-z0-9.-]+(?::\d+)?\/)?[a-z0-9]+(?:[._-][a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*(?::[\w][\w.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$/;

export function isImageRef(text: string): boolean {
  return IMAGE_REF.test(text);
}

class Cursor {
  constructor(readonly words: Word[]) {}
  at(i: number): Word | undefined {
    return this.words[i];
  }
  lower(i: number): string {
    const w = this.words[i];
    return w && !w.used && !w.quoted ? w.lower : '';
  }
  is(i: number, ...options: string[]): boolean {
    return options.includes(this.lower(i));
  }
  use(from: number, count: number): void {
    for (let i = from; i < from + count; i++) {
      const w = this.words[i];
      if (w) w.used = true;
    }
  }
  free(i: number): boolean {
    const w = this.words[i];
    return w !== undefined && !w.used;
  }
}

function splitShellWords(text: string): string[] {
  const words: string[] = [];
  const pattern = /"([^"]*)"|'([^']*)'|(\S+)/g;
  for (let m = pattern.exec(text); m !== null; m = pattern.exec(text)) words.push(m[1] ?? m[2] ?? m[3] ?? '');
  return words;
}

const EXEC_PREPOSITIONS = ['in', 'inside', 'on', 'within', 'into'];
const SHELL_PROGRAMS: Record<string, string> = {
  shell: 'sh',
  sh: 'sh',
  bash: 'bash',
  terminal: 'sh',
  console: 'sh',
  ash: 'sh',
  zsh: 'zsh',
};

/** "shell into X", "open a bash shell in X", "exec into X", "get a terminal on X". */
function shellRule(c: Cursor, frame: Frame): void {
  for (let i = 0; i < c.words.length; i++) {
    const w = c.lower(i);
    const intoNext = EXEC_PREPOSITIONS.includes(c.lower(i + 1)) || EXEC_PREPOSITIONS.includes(c.lower(i + 2));
    if (
      Object.hasOwn(SHELL_PROGRAMS, w) &&
      (intoNext || c.is(i - 1, 'a', 'interactive', 'open', 'bash', 'sh'))
    ) {
      let program = SHELL_PROGRAMS[w] ?? 'sh';
      if (c.is(i - 1, 'bash', 'sh', 'zsh') && w === 'shell') {
        program = SHELL_PROGRAMS[c.lower(i - 1)] ?? program;
        c.use(i - 1, 1);
      }
      frame.shellProgram = program;
      c.use(i, 1);
      for (const j of [i - 1, i - 2, i - 3])
        if (c.is(j, 'open', 'get', 'start', 'give', 'launch', 'interactive', 'a', 'me', 'drop')) c.use(j, 1);
      return;
    }
    if (
      (w === 'exec' || w === 'ssh' || w === 'attach' || w === 'hop' || w === 'jump') &&
      EXEC_PREPOSITIONS.concat(['to']).includes(c.lower(i + 1))
    ) {
      frame.shellProgram = 'sh';
      c.use(i, 2);
      return;
    }
  }
}

/** "run CMD in X", "execute CMD inside the X container", "in X run CMD", "exec X -- CMD". */
function execRule(c: Cursor, frame: Frame): void {
  const words = c.words;
  const verb = words.findIndex((w) => !w.used && !w.quoted && ['run', 'execute', 'exec'].includes(w.lower));
  if (verb < 0) return;
  const dashes = words.findIndex((w, i) => i > verb && !w.quoted && w.text === '--');
  let commandWords: Word[];
  if (dashes > 0) {
    commandWords = words.slice(dashes + 1);
    c.use(dashes, words.length - dashes);
  } else {
    // The command runs from after the verb up to the last "in/inside/on" that has a name after it.
    let stop = -1;
    for (let i = words.length - 2; i > verb; i--) {
      if (EXEC_PREPOSITIONS.includes(c.lower(i)) && words.slice(i + 1).some((w) => !w.used)) {
        stop = i;
        break;
      }
    }
    if (stop < 0) {
      // "in X, run CMD": the name comes first.
      const before = words.slice(0, verb).some((w) => EXEC_PREPOSITIONS.includes(w.lower));
      if (!before) return;
      commandWords = words.slice(verb + 1);
      c.use(verb + 1, commandWords.length);
    } else {
      commandWords = words.slice(verb + 1, stop);
      c.use(verb + 1, commandWords.length);
      c.use(stop, 1);
    }
  }
  if (commandWords.length === 0) return;
  // "the command" / "command" / "the following" are not part of it.
  while (
    commandWords.length > 1 &&
    ['the', 'command', 'following', 'cmd'].includes(commandWords[0]?.lower ?? '')
  ) {
    commandWords = commandWords.slice(1);
  }
  frame.execArgv = commandWords.flatMap((w) => (w.quoted ? splitShellWords(w.text) : [w.text]));
  frame.actions.push('exec');
  c.use(verb, 1);
}

/** "-n shop", "--namespace=shop", "in the shop namespace", "in namespace shop", "across all namespaces". */
function namespaceRule(c: Cursor, frame: Frame): void {
  const words = c.words;
  for (let i = 0; i < words.length; i++) {
    const w = c.lower(i);
    if (!w) continue;
    if (w === '-a' && words[i]?.text === '-A') {
      frame.allNamespaces = true;
      c.use(i, 1);
    } else if (w === '--all-namespaces' || w === 'everywhere') {
      frame.allNamespaces = true;
      c.use(i, 1);
    } else if ((w === 'all' || w === 'every' || w === 'each') && c.is(i + 1, 'namespaces', 'namespace')) {
      frame.allNamespaces = true;
      c.use(i, 2);
      if (c.is(i - 1, 'across', 'in', 'over', 'from', 'throughout', 'on')) c.use(i - 1, 1);
    } else if (
      w === 'cluster-wide' ||
      (w === 'whole' && c.is(i + 1, 'cluster') && c.is(i - 2, 'across', 'in', 'over'))
    ) {
      frame.allNamespaces = true;
      c.use(i, w === 'whole' ? 2 : 1);
      frame.targetWord = 'kubernetes';
    } else if (
      (w === '-n' || w === '--namespace' || w === 'namespace' || w === 'ns') &&
      DNS_LABEL.test(c.lower(i + 1)) &&
      !isGrammarWord(c.lower(i + 1))
    ) {
      frame.namespace = c.lower(i + 1);
      c.use(i, 2);
      if (c.is(i - 1, 'in', 'from', 'within', 'inside')) c.use(i - 1, 1);
      if (c.is(i - 1, 'the') && c.is(i - 2, 'in', 'from', 'within')) c.use(i - 2, 2);
    } else if (w.startsWith('--namespace=') || (w.startsWith('-n') && w.length > 2 && !w.startsWith('-n='))) {
      const value = w.startsWith('--namespace=') ? w.slice('--namespace='.length) : w.slice(2);
      if (DNS_LABEL.test(value)) {
        frame.namespace = value;
        c.use(i, 1);
      }
    } else if (
      (w === 'namespace' || w === 'ns') &&
      i > 0 &&
      DNS_LABEL.test(c.lower(i - 1)) &&
      !isGrammarWord(c.lower(i - 1))
    ) {
      // "in the shop namespace"
      frame.namespace = c.lower(i - 1);
      c.use(i - 1, 2);
      if (c.is(i - 2, 'the')) c.use(i - 2, 1);
      if (c.is(i - 2, 'in', 'from', 'within') || c.is(i - 3, 'in', 'from', 'within')) {
        c.use(c.is(i - 2, 'in', 'from', 'within') ? i - 2 : i - 3, 1);
      }
    }
  }
}

/**
 * "restart the api deployment in prod": a bare "in X" ending a sentence that names a Kubernetes
 * kind is a namespace, as kubectl users say it. Without such a kind word it stays a name.
 */
function bareNamespaceRule(c: Cursor, frame: Frame): void {
  if (frame.namespace || frame.allNamespaces) return;
  const words = c.words;
  const kubeKind = words.some(
    (w) =>
      !w.used &&
      Object.hasOwn(KINDS, w.lower) &&
      KUBERNETES_KINDS.has(KINDS[w.lower] as Kind) &&
      !['namespace', 'node'].includes(KINDS[w.lower] as string),
  );
  if (!kubeKind) return;
  let last = words.length - 1;
  while (last >= 0 && c.is(last, 'please', 'pls', 'plz', 'thanks', 'thx', 'now')) last--;
  const name = c.lower(last);
  if (
    c.is(last - 1, 'in', 'from', 'within') &&
    DNS_LABEL.test(name) &&
    !isGrammarWord(name) &&
    words[last]?.num === undefined
  ) {
    frame.namespace = name;
    c.use(last - 1, 2);
  }
}

function isGrammarWord(lower: string): boolean {
  return (
    FILLER.has(lower) ||
    Object.hasOwn(KINDS, lower) ||
    Object.hasOwn(ACTION_VERBS, lower) ||
    VIEW_VERBS.has(lower) ||
    Object.hasOwn(ACTION_NOUNS, lower) ||
    CONJUNCTIONS.has(lower)
  );
}

/** "since 10 minutes ago", "in the last hour", "for the past 2 days", "--since=1h", "10m ago". */
function durationRule(c: Cursor, frame: Frame): void {
  const words = c.words;
  for (let i = 0; i < words.length; i++) {
    const w = c.lower(i);
    if (!w) continue;
    if (w.startsWith('--since=')) {
      frame.since = w.slice('--since='.length);
      c.use(i, 1);
      continue;
    }
    const dur = words[i]?.dur;
    if (dur && !words[i]?.used) {
      frame.since = dur;
      c.use(i, 1);
      if (c.is(i + 1, 'ago', 'back', 'old')) c.use(i + 1, 1);
      let j = i - 1;
      while (
        j >= 0 &&
        c.is(
          j,
          'since',
          '--since',
          'last',
          'past',
          'previous',
          'the',
          'in',
          'for',
          'from',
          'over',
          'during',
          'within',
          'of',
        )
      ) {
        c.use(j, 1);
        j--;
      }
      continue;
    }
    if (w === 'yesterday') {
      frame.since = '24h';
      c.use(i, 1);
      if (c.is(i - 1, 'since', 'from')) c.use(i - 1, 1);
      continue;
    }
    // "last hour", "past day": the unit alone means one of it.
    const unit = timeUnit(w);
    if (unit && w.length > 1 && c.is(i - 1, 'last', 'past', 'previous')) {
      frame.since = formatDuration(1, unit);
      c.use(i - 1, 2);
      let j = i - 2;
      while (j >= 0 && c.is(j, 'since', 'the', 'in', 'for', 'from', 'over', 'during', 'within')) {
        c.use(j, 1);
        j--;
      }
    }
  }
}

/** Flags written kubectl- or docker-style, which people mix into prose. */
function flagRule(c: Cursor, frame: Frame): void {
  const words = c.words;
  for (let i = 0; i < words.length; i++) {
    const w = c.lower(i);
    if (!w.startsWith('-') || w === '--') continue;
    const tail = /^--tail=(\d+)$/.exec(w);
    const dashCount = /^-(\d+)$/.exec(w);
    const replicas = /^--replicas=(\d+)$/.exec(w);
    if (w === '-f') {
      frame.dashF = true;
    } else if (w === '--follow') {
      frame.follow = true;
    } else if (w === '-a' || w === '--all') {
      frame.all = true;
    } else if (w === '--force') {
      frame.force = true;
    } else if (w === '-it' || w === '-ti') {
      frame.shellProgram ??= 'sh';
    } else if (tail) {
      frame.lines = Number(tail[1]);
    } else if ((w === '--tail' || w === '-n') && words[i + 1]?.num !== undefined) {
      frame.lines = words[i + 1]?.num;
      c.use(i + 1, 1);
    } else if (dashCount) {
      frame.lines = Number(dashCount[1]);
    } else if (replicas) {
      frame.replicas = Number(replicas[1]);
    } else if (w === '--replicas' && words[i + 1]?.num !== undefined) {
      frame.replicas = words[i + 1]?.num;
      c.use(i + 1, 1);
    } else if (
      w === '--no-stream' ||
      w === '--ignore-daemonsets' ||
      w === '-o' ||
      w === '--sort-by=.lasttimestamp'
    ) {
      // Kitten adds these itself where they belong.
    } else {
      continue;
    }
    c.use(i, 1);
  }
}

const LINE_WORDS = ['lines', 'line', 'entries', 'entry', 'messages', 'rows'];
const COUNT_BEFORE = ['last', 'latest', 'recent', 'final', 'tail', 'bottom', 'newest', 'previous', 'past'];
const REPLICA_WORDS = [
  'replicas',
  'replica',
  'instances',
  'instance',
  'copies',
  'copy',
  'pods',
  'containers',
];

/** Numbers take a role from their neighbours: lines of log, replicas, ports. */
function numberRule(c: Cursor, frame: Frame): void {
  const words = c.words;
  const scaling =
    frame.actions.includes('scale') || words.some((w) => !w.used && ACTION_VERBS[w.lower] === 'scale');
  for (let i = 0; i < words.length; i++) {
    const word = words[i];
    if (!word || word.used || word.num === undefined) continue;
    const n = word.num;
    const afterName =
      i > 0 &&
      c.free(i - 1) &&
      !c.words[i - 1]?.quoted &&
      c.words[i - 1]?.num === undefined &&
      !isGrammarWord(c.lower(i - 1)) &&
      !c.lower(i - 1).startsWith('-');
    const roleAfter = c.is(
      i + 1,
      ...LINE_WORDS,
      ...REPLICA_WORDS,
      'log',
      'logs',
      'recent',
      'latest',
      'newest',
      'most',
    );
    if (afterName && !roleAfter) continue;
    if (c.is(i + 1, ...LINE_WORDS) || (c.is(i + 1, 'log', 'logs') && c.is(i + 2, ...LINE_WORDS))) {
      frame.lines = n;
      c.use(i, 1);
      if (c.is(i + 1, 'log', 'logs') && c.is(i + 2, ...LINE_WORDS)) c.use(i + 2, 1);
      else c.use(i + 1, 1);
      for (let j = i - 1; j >= 0 && c.is(j, ...COUNT_BEFORE, 'the', 'most'); j--) c.use(j, 1);
    } else if (c.is(i - 1, ...COUNT_BEFORE) || (c.is(i - 1, 'most') && c.is(i - 2, 'last'))) {
      frame.lines = n;
      c.use(i, 1);
      for (let j = i - 1; j >= 0 && c.is(j, ...COUNT_BEFORE, 'the', 'most', 'only', 'just'); j--) c.use(j, 1);
      if (c.is(i + 1, 'recent', 'latest', 'newest')) c.use(i + 1, 1);
    } else if (c.is(i + 1, 'recent', 'latest', 'newest', 'most')) {
      frame.lines = n;
      c.use(i, 2);
      if (c.is(i + 2, 'recent')) c.use(i + 2, 1);
    } else if (c.is(i + 1, ...REPLICA_WORDS)) {
      frame.replicas = n;
      c.use(i, 2);
      if (c.is(i - 1, 'to', 'at', 'with')) c.use(i - 1, 1);
    } else if (c.is(i - 1, 'to', 'at') && c.is(i - 2, 'replicas', 'instances', 'count', 'replica')) {
      frame.replicas = n;
      c.use(i - 2, 3);
      if (c.is(i - 3, 'the', 'its')) c.use(i - 3, 1);
    } else if (c.is(i - 1, 'to', 'at', 'down', 'up') && scaling) {
      frame.replicas = n;
      c.use(i - 1, 2);
    } else if (c.is(i - 1, 'port', 'ports')) {
      const remote = words[i + 2]?.num;
      frame.ports = { local: n, remote: c.is(i + 1, 'to') && remote !== undefined ? remote : n };
      c.use(i - 1, 2);
      if (c.is(i + 1, 'to') && remote !== undefined) c.use(i + 1, 2);
    } else {
      frame.numbers.push(n);
      c.use(i, 1);
    }
  }
  for (let i = 0; i < words.length; i++) {
    const m = /^(\d{1,5}):(\d{1,5})$/.exec(c.lower(i));
    if (m) {
      frame.ports = { local: Number(m[1]), remote: Number(m[2]) };
      c.use(i, 1);
      if (c.is(i - 1, 'port', 'ports')) c.use(i - 1, 1);
    }
  }
}

/** Multi-word verbs ("roll back", "shut down", "get rid of", "set image", "port forward"). */
function phraseRule(c: Cursor, frame: Frame): void {
  const words = c.words;
  const take = (i: number, length: number, action: Action) => {
    frame.actions.push(action);
    c.use(i, length);
  };
  for (let i = 0; i < words.length; i++) {
    const w = c.lower(i);
    if (!w) continue;
    if (w === 'roll' && c.is(i + 1, 'back')) take(i, 2, 'rollback');
    else if ((w === 'rollout' || w === 'roll-out') && c.is(i + 1, 'restart')) take(i, 2, 'restart');
    else if ((w === 'rollout' || w === 'roll-out') && c.is(i + 1, 'undo')) take(i, 2, 'rollback');
    else if (w === 'rollout' || w === 'roll-out' || (w === 'deploy' && c.is(i + 1, 'status'))) {
      // "undo the last rollout of X": another verb says what to do with the rollout.
      const otherVerb = words.some(
        (x) => !x.used && Object.hasOwn(ACTION_VERBS, x.lower) && x.lower !== 'top',
      );
      if (otherVerb) c.use(i, 1);
      else {
        take(i, 1, 'rollout-status');
        for (const j of [i - 2, i - 1, i + 1]) if (c.is(j, 'status', 'progress')) c.use(j, 1);
      }
    } else if (w === 'shut' && c.is(i + 1, 'down', 'off')) take(i, 2, 'stop');
    else if (w === 'take' && c.is(i + 1, 'down')) take(i, 2, 'stop');
    else if (w === 'bring' && [1, 2, 3].some((k) => c.is(i + k, 'up', 'back'))) {
      take(i, 1, 'start');
      for (const k of [1, 2, 3, 4]) if (c.is(i + k, 'up', 'back', 'online')) c.use(i + k, 1);
    } else if (w === 'spin' && c.is(i + 1, 'up')) take(i, 2, 'start');
    else if (w === 'turn' && c.is(i + 1, 'on')) take(i, 2, 'start');
    else if (w === 'turn' && c.is(i + 1, 'off')) take(i, 2, 'stop');
    else if (w === 'get' && c.is(i + 1, 'rid') && c.is(i + 2, 'of')) take(i, 3, 'remove');
    else if (w === 'clean' && c.is(i + 1, 'up') && frame.names.length === 0) take(i, 2, 'remove');
    else if (
      (w === 'set' || w === 'update' || w === 'change' || w === 'bump' || w === 'upgrade') &&
      words.some((x) => !x.used && x.lower === 'image')
    ) {
      take(i, 1, 'set-image');
      const image = words.findIndex((x) => !x.used && x.lower === 'image');
      c.use(image, 1);
    } else if (w === 'port' && c.is(i + 1, 'forward', 'forwarding')) take(i, 2, 'forward');
    else if (w === 'disk' && c.is(i + 1, 'usage', 'space', 'use')) take(i, 2, 'disk');
    else if (w === 'space' && c.is(i + 1, 'used', 'usage')) take(i, 2, 'disk');
    else if (w === 'system' && c.is(i + 1, 'df')) take(i, 2, 'disk');
    else if (w === 'resource' || w === 'resources') {
      if (c.is(i + 1, 'usage', 'use', 'consumption', 'utilization')) take(i, 2, 'usage');
      else if (c.is(i - 1, 'using', 'consuming', 'eating')) take(i - 1, 2, 'usage');
    } else if (w === 'unschedulable' || w === 'schedulable') {
      take(i, 1, w === 'unschedulable' ? 'cordon' : 'uncordon');
      for (let j = 0; j < i; j++) if (c.is(j, 'mark', 'make', 'set', 'flag')) c.use(j, 1);
    } else if (
      ['previous', 'prior', 'last', 'older', 'earlier'].includes(w) &&
      c.is(i + 1, 'version', 'revision', 'release', 'deploy', 'deployment', 'rollout')
    ) {
      // "roll back to the previous version": what undo means anyway.
      c.use(i, 2);
    } else if (
      [
        'set',
        'change',
        'update',
        'adjust',
        'increase',
        'decrease',
        'raise',
        'lower',
        'reduce',
        'bump',
      ].includes(w) &&
      words.some((x) => !x.used && ['replicas', 'replica'].includes(x.lower))
    ) {
      take(i, 1, 'scale');
    } else if (w === 'what' && c.is(i + 1, 'is', 'are') && c.is(i + 2, 'running', 'up')) take(i, 3, 'list');
    else if (w === 'log' && c.is(i + 1, 'lines', 'output', 'entries')) take(i, 2, 'logs');
    else if (w === 'going' && c.is(i + 1, 'on')) take(i, 2, 'events');
    else if (w === 'running' && c.is(i + 1, 'processes', 'process', 'procs')) take(i, 2, 'processes');
    else if (w === 'top' && c.is(i + 1, 'processes')) take(i, 2, 'processes');
  }
}

/** Everything left: action words, kinds, fillers and names. */
function wordRule(c: Cursor, frame: Frame): void {
  const words = c.words;
  let pendingDeterminer: string | undefined;
  let pendingKind: Kind | undefined;
  let phrase: NamePhrase | undefined;
  const closePhrase = () => {
    if (phrase) frame.names.push(phrase);
    phrase = undefined;
  };
  for (let i = 0; i < words.length; i++) {
    const word = words[i];
    if (!word || word.used) {
      closePhrase();
      continue;
    }
    const w = word.lower;
    if (word.quoted) {
      closePhrase();
      if (NAME.test(word.text)) {
        frame.names.push({
          words: [word.text],
          determiner: pendingDeterminer,
          kind: pendingKind,
          possessive: false,
        });
      } else frame.unknown.push(word.text);
      pendingDeterminer = undefined;
      continue;
    }
    if (Object.hasOwn(TARGET_WORDS, w) && !(w === 'k' && i > 0)) {
      frame.targetWord = TARGET_WORDS[w];
      closePhrase();
      continue;
    }
    if (w === 'replicas' || w === 'replica') {
      // Only Kubernetes has replicas.
      frame.targetWord ??= 'kubernetes';
      closePhrase();
      continue;
    }
    if (CONJUNCTIONS.has(w)) {
      closePhrase();
      frame.compound = true;
      continue;
    }
    if (w === 'not' || w === "don't" || w === 'dont' || w === 'never' || w === 'without' || w === 'no') {
      frame.negated = true;
      closePhrase();
      continue;
    }
    if (Object.hasOwn(KINDS, w)) {
      const kind = KINDS[w] as Kind;
      frame.kinds.push(kind);
      if (w.endsWith('s') && !['ns', 'sts', 'ds', 'rs', 'ingress'].includes(w)) frame.kindPlural = true;
      if (phrase && !phrase.kind) phrase.kind = kind;
      closePhrase();
      pendingKind = kind;
      continue;
    }
    if (
      (w === 'follow' ||
        w === 'following' ||
        w === 'stream' ||
        w === 'streaming' ||
        w === 'live' ||
        w === 'watch') &&
      !frame.execArgv
    ) {
      frame.follow = true;
      closePhrase();
      continue;
    }
    if (w === 'force' || w === 'forcefully' || w === 'forcibly' || w === 'forced' || w === 'hard') {
      frame.force = true;
      closePhrase();
      continue;
    }
    if (ALL_STATES.has(w)) {
      frame.all = true;
      closePhrase();
      continue;
    }
    if (Object.hasOwn(ACTION_VERBS, w) && !(w === 'top' && frame.actions.length > 0)) {
      frame.actions.push(ACTION_VERBS[w] as Action);
      closePhrase();
      continue;
    }
    if (Object.hasOwn(ACTION_NOUNS, w) && !(w === 'up' && frame.actions.length > 0)) {
      frame.actions.push(ACTION_NOUNS[w] as Action);
      closePhrase();
      continue;
    }
    if (VIEW_VERBS.has(w)) {
      frame.viewVerb = true;
      closePhrase();
      continue;
    }
    if (FILLER.has(w) || w === 'back' || w === 'up' || w === 'down') {
      closePhrase();
      pendingDeterminer = ['my', 'the', 'our', 'this', 'that'].includes(w) ? w : pendingDeterminer;
      continue;
    }
    const ref = /^([a-z]+)\/([a-z0-9][a-z0-9_.-]*)$/i.exec(word.text);
    if (ref?.[1] && ref[2] && Object.hasOwn(KINDS, ref[1].toLowerCase())) {
      closePhrase();
      const kind = KINDS[ref[1].toLowerCase()] as Kind;
      frame.kinds.push(kind);
      frame.names.push({ words: [ref[2]], determiner: pendingDeterminer, kind, possessive: word.possessive });
      pendingDeterminer = undefined;
      continue;
    }
    if (VAGUE.has(w)) {
      closePhrase();
      frame.unknown.push(word.text);
      continue;
    }
    // A word with shell syntax is kept as a name so that the policy, not the grammar, refuses it.
    if (NAME.test(word.text) || /^[^\s]*[;|&`$<>][^\s]*$/.test(word.text)) {
      if (!phrase) {
        phrase = { words: [], determiner: pendingDeterminer, kind: pendingKind, possessive: false };
        pendingDeterminer = undefined;
        pendingKind = undefined;
      }
      phrase.words.push(word.text);
      if (word.possessive) {
        phrase.possessive = true;
        closePhrase();
      }
      continue;
    }
    closePhrase();
    frame.unknown.push(word.text);
  }
  closePhrase();
}

export function emptyFrame(): Frame {
  return {
    action: undefined,
    actions: [],
    viewVerb: false,
    kinds: [],
    kindPlural: false,
    names: [],
    lines: undefined,
    replicas: undefined,
    numbers: [],
    since: undefined,
    follow: false,
    dashF: false,
    all: false,
    allNamespaces: false,
    namespace: undefined,
    force: false,
    ports: undefined,
    execArgv: undefined,
    shellProgram: undefined,
    image: undefined,
    targetWord: undefined,
    compound: false,
    negated: false,
    unknown: [],
  };
}

export function parseIntent(text: string): Frame {
  const cursor = new Cursor(normalize(tokenize(text)));
  const frame = emptyFrame();
  // Order matters: a command to run and a namespace are taken out before their words can be
  // mistaken for verbs or names.
  shellRule(cursor, frame);
  if (!frame.shellProgram) execRule(cursor, frame);
  namespaceRule(cursor, frame);
  bareNamespaceRule(cursor, frame);
  durationRule(cursor, frame);
  flagRule(cursor, frame);
  phraseRule(cursor, frame);
  numberRule(cursor, frame);
  wordRule(cursor, frame);
  return frame;
}
