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

const wordList = (text: string): string[] => text.trim().split(/\s+/);

/** "lemma: word word; lemma: word" → { word: lemma }: word lists stay readable as prose. */
function lemmas<T extends string>(text: string): Record<string, T> {
  const table: Record<string, T> = {};
  for (const group of text.split(';')) {
    const [lemma, list] = group.split(':');
    if (!lemma || !list) continue;
    for (const word of wordList(list)) table[word] = lemma.trim() as T;
  }
  return table;
}

/** Verbs that name an action by themselves. */
export const ACTION_VERBS: Record<string, Action> = lemmas<Action>(`
  restart: restart restarts restarting reboot bounce recycle cycle reload redeploy;
  stop: stop halt shutdown; start: start boot; kill: kill terminate sigkill;
  pause: pause freeze suspend; unpause: unpause resume unfreeze thaw;
  logs: tail; describe: inspect describe examine; scale: scale resize;
  rollback: rollback revert undo; remove: remove rm delete destroy del erase;
  exec: exec execute run; forward: forward port-forward portforward; pull: pull download fetch;
  cordon: cordon; uncordon: uncordon; drain: drain evacuate; list: ps ls; usage: top stats; disk: df`);

/** Verbs that ask to see something; the noun decides what. */
export const VIEW_VERBS = new Set(
  wordList(`show list get display give print see view check tell find want need read grab dump what which
  whats how lookup look report peek are is`),
);

/** Nouns that, with a view verb, name the action. */
export const ACTION_NOUNS: Record<string, Action> = lemmas<Action>(`
  logs: log logs lines line output stdout printed logged wrote; events: event events happened happening;
  usage: usage stats statistics cpu memory ram consumption utilization utilisation metrics;
  processes: process processes procs; ports: port ports mappings mapping; disk: disk space storage;
  describe: details detail info information config configuration description;
  list: running up alive; shell: shell bash sh terminal console`);

export const KINDS: Record<string, Kind> = lemmas<Kind>(`
  container: container containers ctr; pod: pod pods po;
  deployment: deployment deployments deploy deploys; statefulset: statefulset statefulsets sts;
  daemonset: daemonset daemonsets ds; replicaset: replicaset replicasets rs;
  service: service services svc svcs; node: node nodes;
  namespace: namespace namespaces ns; job: job jobs; cronjob: cronjob cronjobs;
  configmap: configmap configmaps cm; ingress: ingress ingresses ing; image: image images`);

/** Words that name a tool or platform and so pick the target. */
export const TARGET_WORDS: Record<string, Target> = lemmas<Target>(`
  docker: docker; kubernetes: kubectl kubernetes k8s kube cluster k`);

/** Kinds that only exist on Kubernetes pick it as the target. */
export const KUBERNETES_KINDS = new Set<Kind>(
  wordList(
    'pod deployment statefulset daemonset replicaset service node namespace job cronjob configmap ingress',
  ) as Kind[],
);

/** Words that carry no meaning for the grammar: articles, politeness, pronouns, glue. */
export const FILLER = new Set(
  wordList(`a an the my our your his her their this that these those please pls kindly can could would will
  you u me i we us to of from for in on at with into inside within be been was were am it its some right now
  quickly quick just go ahead hey hi kitten let lets do does did there thing things currently again whole
  entire about by so real have has got kind sort state status like too called named instance ones recent
  latest last most newest final bottom end any each ok okay thanks thank use using via much many here where
  who fresh gracefully immediately out off over should after current containerized exist exists existing
  even available expose exposes exposed publish publishes published listening local open mine them they
  thx ty plz eating consuming hogging taking uses burning`),
);

export const CONJUNCTIONS = new Set(wordList('and then plus & also afterwards'));

/** Words that mean "not only running ones" for listing containers. */
export const ALL_STATES = new Set(wordList('all stopped exited dead including every everything inactive'));
