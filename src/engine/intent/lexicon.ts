import type { Target } from './command.js';

/**
 * The words the offline grammar knows, by part of speech. Anything not here is a candidate
 * name (a container, deployment, node, image) — and a sentence with more unexplained words
 * than its action has slots for is not understood, rather than guessed at.
 */
export type Action =
  | 'restart'
  | 'stop'
  | 'start'
  | 'kill'
  | 'pause'
  | 'unpause'
  | 'logs'
  | 'list'
  | 'describe'
  | 'usage'
  | 'processes'
  | 'scale'
  | 'rollback'
  | 'rollout-status'
  | 'remove'
  | 'shell'
  | 'exec'
  | 'ports'
  | 'forward'
  | 'events'
  | 'pull'
  | 'images'
  | 'disk'
  | 'cordon'
  | 'uncordon'
  | 'drain'
  | 'set-image';

export type Kind =
  | 'container'
  | 'pod'
  | 'deployment'
  | 'statefulset'
  | 'daemonset'
  | 'replicaset'
  | 'service'
  | 'node'
  | 'namespace'
  | 'job'
  | 'cronjob'
  | 'configmap'
  | 'ingress'
  | 'image';

/** Verbs that name an action by themselves. */
export const ACTION_VERBS: Record<string, Action> = {
  restart: 'restart',
  restarts: 'restart',
  restarting: 'restart',
  reboot: 'restart',
  bounce: 'restart',
  recycle: 'restart',
  cycle: 'restart',
  reload: 'restart',
  redeploy: 'restart',
  stop: 'stop',
  halt: 'stop',
  shutdown: 'stop',
  start: 'start',
  boot: 'start',
  kill: 'kill',
  terminate: 'kill',
  sigkill: 'kill',
  pause: 'pause',
  freeze: 'pause',
  suspend: 'pause',
  unpause: 'unpause',
  resume: 'unpause',
  unfreeze: 'unpause',
  thaw: 'unpause',
  tail: 'logs',
  inspect: 'describe',
  describe: 'describe',
  examine: 'describe',
  scale: 'scale',
  resize: 'scale',
  rollback: 'rollback',
  revert: 'rollback',
  undo: 'rollback',
  remove: 'remove',
  rm: 'remove',
  delete: 'remove',
  destroy: 'remove',
  del: 'remove',
  erase: 'remove',
  exec: 'exec',
  execute: 'exec',
  run: 'exec',
  forward: 'forward',
  'port-forward': 'forward',
  portforward: 'forward',
  pull: 'pull',
  download: 'pull',
  fetch: 'pull',
  cordon: 'cordon',
  uncordon: 'uncordon',
  drain: 'drain',
  evacuate: 'drain',
  ps: 'list',
  ls: 'list',
  top: 'usage',
  stats: 'usage',
  df: 'disk',
};

/** Verbs that ask to see something; the noun decides what. */
export const VIEW_VERBS = new Set([
  'show',
  'list',
  'get',
  'display',
  'give',
  'print',
  'see',
  'view',
  'check',
  'tell',
  'find',
  'fetch',
  'want',
  'need',
  'read',
  'grab',
  'dump',
  'what',
  'which',
  'whats',
  'how',
  'lookup',
  'look',
  'report',
  'peek',
  'watch',
  'are',
  'is',
]);

/** Nouns that, with a view verb, name the action. */
export const ACTION_NOUNS: Record<string, Action> = {
  log: 'logs',
  logs: 'logs',
  lines: 'logs',
  line: 'logs',
  output: 'logs',
  stdout: 'logs',
  event: 'events',
  events: 'events',
  happened: 'events',
  happening: 'events',
  usage: 'usage',
  stats: 'usage',
  statistics: 'usage',
  cpu: 'usage',
  memory: 'usage',
  ram: 'usage',
  consumption: 'usage',
  utilization: 'usage',
  utilisation: 'usage',
  metrics: 'usage',
  process: 'processes',
  processes: 'processes',
  procs: 'processes',
  port: 'ports',
  ports: 'ports',
  mappings: 'ports',
  mapping: 'ports',
  disk: 'disk',
  space: 'disk',
  storage: 'disk',
  details: 'describe',
  detail: 'describe',
  info: 'describe',
  information: 'describe',
  config: 'describe',
  configuration: 'describe',
  description: 'describe',
  running: 'list',
  up: 'list',
  alive: 'list',
  shell: 'shell',
  bash: 'shell',
  sh: 'shell',
  terminal: 'shell',
  console: 'shell',
};

export const KINDS: Record<string, Kind> = {
  container: 'container',
  containers: 'container',
  ctr: 'container',
  pod: 'pod',
  pods: 'pod',
  po: 'pod',
  deployment: 'deployment',
  deployments: 'deployment',
  deploy: 'deployment',
  deploys: 'deployment',
  statefulset: 'statefulset',
  statefulsets: 'statefulset',
  sts: 'statefulset',
  daemonset: 'daemonset',
  daemonsets: 'daemonset',
  ds: 'daemonset',
  replicaset: 'replicaset',
  replicasets: 'replicaset',
  rs: 'replicaset',
  service: 'service',
  services: 'service',
  svc: 'service',
  svcs: 'service',
  node: 'node',
  nodes: 'node',
  worker: 'node',
  workers: 'node',
  namespace: 'namespace',
  namespaces: 'namespace',
  ns: 'namespace',
  job: 'job',
  jobs: 'job',
  cronjob: 'cronjob',
  cronjobs: 'cronjob',
  configmap: 'configmap',
  configmaps: 'configmap',
  cm: 'configmap',
  ingress: 'ingress',
  ingresses: 'ingress',
  ing: 'ingress',
  image: 'image',
  images: 'image',
};

export const PLURAL_KIND_WORDS = new Set(
  Object.keys(KINDS).filter(
    (w) => w.endsWith('s') && !['ns', 'sts', 'ds', 'rs', 'svcs', 'ingress'].includes(w),
  ),
);

/** Words that name a tool or platform and so pick the target. */
export const TARGET_WORDS: Record<string, Target> = {
  docker: 'docker',
  kubectl: 'kubernetes',
  kubernetes: 'kubernetes',
  k8s: 'kubernetes',
  kube: 'kubernetes',
  cluster: 'kubernetes',
  k: 'kubernetes',
};

/** Kinds that only exist on Kubernetes pick it as the target. */
export const KUBERNETES_KINDS = new Set<Kind>([
  'pod',
  'deployment',
  'statefulset',
  'daemonset',
  'replicaset',
  'service',
  'node',
  'namespace',
  'job',
  'cronjob',
  'configmap',
  'ingress',
]);

/** Words that carry no meaning for the grammar: articles, politeness, pronouns, glue. */
export const FILLER = new Set([
  'a',
  'an',
  'the',
  'my',
  'our',
  'your',
  'his',
  'her',
  'their',
  'this',
  'that',
  'these',
  'those',
  'please',
  'pls',
  'kindly',
  'can',
  'could',
  'would',
  'will',
  'you',
  'u',
  'me',
  'i',
  'we',
  'us',
  'to',
  'of',
  'from',
  'for',
  'in',
  'on',
  'at',
  'with',
  'into',
  'inside',
  'within',
  'be',
  'been',
  'was',
  'were',
  'am',
  'it',
  'its',
  'some',
  'right',
  'now',
  'quickly',
  'quick',
  'just',
  'go',
  'ahead',
  'hey',
  'hi',
  'kitten',
  'let',
  'lets',
  'do',
  'does',
  'there',
  'thing',
  'things',
  'currently',
  'again',
  'whole',
  'entire',
  'about',
  'by',
  'so',
  'real',
  'have',
  'has',
  'got',
  'kind',
  'sort',
  'state',
  'status',
  'like',
  'too',
  'called',
  'named',
  'instance',
  'ones',
  'recent',
  'latest',
  'last',
  'most',
  'newest',
  'final',
  'bottom',
  'end',
  'any',
  'each',
  'ok',
  'okay',
  'thanks',
  'thank',
  'use',
  'using',
  'via',
  'much',
  'many',
  'here',
  'where',
  'who',
  'fresh',
  'gracefully',
  'immediately',
  'out',
  'off',
  'over',
  'should',
  'after',
  'currently',
  'containerized',
  'current',
  'everywhere',
]);

export const CONJUNCTIONS = new Set(['and', 'then', 'plus', '&', 'also', 'afterwards']);

/** Words that mean "not only running ones" for listing containers. */
export const ALL_STATES = new Set([
  'all',
  'stopped',
  'exited',
  'dead',
  'including',
  'every',
  'everything',
  'inactive',
]);
