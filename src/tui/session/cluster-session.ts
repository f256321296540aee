import type { KubeObject } from '../../engine/cluster/objects.js';
import { columnsFor, type ResourceKind, resourceKinds, rowsFor } from '../../engine/cluster/registry.js';
import { podsOwnedBy } from '../../engine/cluster/relations.js';
import { ClusterSnapshot } from '../../engine/cluster/snapshot.js';
import type { ClusterSource, WatchHandle } from '../../engine/cluster/source.js';
import { KittenError, RefusedError, UsageError } from '../../engine/errors.js';
import type { ContainerStatus, LogLine } from '../../engine/runtime/types.js';
import { toYaml } from '../../output/format.js';
import { containerCommand } from '../model/container-actions.js';
import { followResuming } from './log-follow.js';
import type {
  CommandView,
  Confirm,
  ContainerAction,
  HeaderView,
  IssueView,
  LogRequest,
  PlanMode,
  PlanView,
  ResourceKindView,
  RowView,
  RunOutcome,
  Session,
  Tone,
} from './port.js';
import { SessionStore } from './store.js';

/** Who is looking, and where they may look (engine/access's AccessView, structurally). */
export interface AccessLike {
  user: string;
  canSee(namespace: string, kind?: string): boolean;
}

/** Local Kitten projects' containers, from whichever runtimes are reachable. */
export interface StackPort {
  /** The runtime answering (`docker`, `native`), once known: the header shows it. */
  runtimeName(): string | null;
  list(): Promise<ContainerStatus[]>;
  inspect(name: string): Promise<unknown>;
  logs(name: string, options: { follow: boolean; tail: number; signal: AbortSignal }): AsyncIterable<LogLine>;
  /** Drives the container through the runtime itself, for runtimes the executor cannot reach by CLI. */
  act?(action: ContainerAction, name: string): Promise<void>;
}

/** Names that exist right now, so the translator resolves "restart checkout" to a real object. */
export interface KnownNames {
  namespace: string | null;
  pods: string[];
  deployments: string[];
  services: string[];
  nodes: string[];
  containers: string[];
  reachable: { kubernetes: boolean; docker: boolean };
}

export interface ActionRecord {
  intent: string;
  argv: string[];
  status: 'SUCCESS' | 'FAILURE' | 'NOT_CONFIRMED';
  exitCode: number | null;
  reason: string | null;
}

export interface ClusterSessionDeps {
  target: HeaderView['target'];
  /** Null when no cluster is configured: the Stack tab still works. */
  source: ClusterSource | null;
  /** Why there is no cluster source (shown in the status line), when there is none. */
  sourceProblem?: string;
  analyze: (snapshot: ClusterSnapshot) => IssueView[];
  access: AccessLike;
  namespace: string | null;
  runtime: string;
  llm: string;
  stack: StackPort | null;
  stackProblem?: string;
  /** `snapshot` is what the analysis saw, so the advisor reads the same objects. */
  plan: (
    issue: IssueView,
    mode: PlanMode,
    context: string,
    signal: AbortSignal,
    snapshot: ClusterSnapshot,
  ) => Promise<PlanView>;
  translate: (intent: string, signal: AbortSignal, known: KnownNames) => Promise<CommandView>;
  run: (command: CommandView, confirm: Confirm, purpose: string) => Promise<RunOutcome>;
  /** Records a Stack action the session made through the runtime itself, as the executor records its own. */
  audit?: (record: ActionRecord) => Promise<void>;
  /** Opens another kube context (`:ctx NAME`); absent for snapshots. */
  openContext?: (name: string) => Promise<ClusterSource>;
  now?: () => Date;
  timing?: Partial<Timing>;
}

interface Timing {
  /** Cache → screen at most this often. */
  redrawMs: number;
  /** Watch events → table rows at most this often. */
  rowsMs: number;
  /** Re-run the analyzers at most this often while events arrive. */
  analyzeMs: number;
  /** Poll local runtimes for the Stack tab. */
  stackPollMs: number;
  /** Re-list kinds a live source cannot watch. */
  clusterPollMs: number;
  /** Re-fetch a pod's logs while following. */
  logPollMs: number;
  /** The first wait before reopening a followed log the server ended; doubles per failure. */
  logRetryMs: number;
}

const defaultTiming: Timing = {
  redrawMs: 100,
  rowsMs: 250,
  analyzeMs: 1000,
  stackPollMs: 2000,
  clusterPollMs: 5000,
  logPollMs: 2000,
  logRetryMs: 500,
};

/** Failed reopenings in a row after which a followed log gives up (0.5 + 1 + 2 + 4 s of waiting). */
const LOG_RECONNECTS = 5;

/** Lines of history a logs view opens with, as `kubectl logs --tail`. */
const LOG_TAIL = 1000;

/** Tabs a person expects even when empty, as k9s opens on pods. */
const CORE_KINDS = new Set(['Pod', 'Deployment', 'Service', 'Node', 'Event']);

const keyOf = (namespace: string, name: string) => (namespace ? `${namespace}/${name}` : name);

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function containerNames(pod: KubeObject | undefined): string[] {
  const spec = pod?.spec as { containers?: { name?: unknown }[] } | undefined;
  return (spec?.containers ?? []).map((c) => String(c.name ?? '')).filter((name) => name !== '');
}

/** `Pods`, `Ingresses`, `NetworkPolicies`; long names by their short name (`PVCs`, `HPAs`). */
function titleOf(kind: ResourceKind): string {
  if (kind.plural === 'endpoints') return 'Endpoints';
  const plural = kind.kind.replace(/y$/, 'ie').concat(kind.kind.endsWith('s') ? 'es' : 's');
  const short = kind.shortNames[0];
  return plural.length > 16 && short ? `${short.toUpperCase()}s` : plural;
}

/**
 * The TUI's view of a cluster (a snapshot file or a live API server) and of local stacks: lists
 * every registry kind once, then follows watches (or polls) into per-kind caches, rebuilds rows
 * and issues from the caches on timers, and publishes whole states to the store.
 */
export class ClusterSession implements Session {
  private readonly store: SessionStore;
  private readonly timing: Timing;
  private readonly now: () => Date;
  private source: ClusterSource | null;
  private namespace: string | null;
  private objects = new Map<string, Map<string, KubeObject>>();
  private dirtyKinds = new Set<string>();
  private analysisDue = false;
  private lastAnalysis = 0;
  private snapshot = new ClusterSnapshot([]);
  private issues: IssueView[] = [];
  private watches: WatchHandle[] = [];
  private timers: NodeJS.Timeout[] = [];
  private generation = 0;
  private problem: string | null = null;
  private readonly initialLoad: Promise<void>;
  private resolveInitial!: () => void;

  constructor(private readonly deps: ClusterSessionDeps) {
    this.timing = { ...defaultTiming, ...deps.timing };
    this.now = deps.now ?? (() => new Date());
    this.source = deps.source;
    this.namespace = deps.namespace;
    this.problem = deps.source ? null : (deps.sourceProblem ?? null);
    this.initialLoad = new Promise((resolve) => {
      this.resolveInitial = resolve;
    });
    this.store = new SessionStore(
      {
        header: {
          target: deps.target,
          namespace: deps.namespace,
          user: deps.access.user,
          runtime: deps.runtime,
          llm: deps.llm,
        },
        issues: [],
        kinds: [],
        resources: {},
        stack: [],
        stackProblem: deps.stack ? null : (deps.stackProblem ?? 'no container runtime is reachable'),
        problem: this.problem,
        activity: deps.source ? `loading ${deps.target.name}…` : null,
      },
      this.timing.redrawMs,
    );
  }

  readonly state = () => this.store.state();
  readonly subscribe = (listener: () => void) => this.store.subscribe(listener);

  /** Resolves once the first full load (every kind listed, issues analysed) is in the cache. */
  ready(): Promise<void> {
    return this.initialLoad;
  }

  start(): () => void {
    void this.connect();
    if (this.deps.stack) {
      void this.pollStack();
      this.timers.push(setInterval(() => void this.pollStack(), this.timing.stackPollMs));
    }
    this.timers.push(setInterval(() => this.flush(), this.timing.rowsMs));
    return () => this.stop();
  }

  private stop(): void {
    this.generation++;
    for (const timer of this.timers) clearInterval(timer);
    this.timers = [];
    this.stopWatches();
    this.store.close();
  }

  private stopWatches(): void {
    for (const watch of this.watches) watch.stop();
    this.watches = [];
  }

  /** Lists every kind, publishes, then keeps the caches current (watch, or poll when it cannot). */
  private async connect(): Promise<void> {
    const generation = ++this.generation;
    const source = this.source;
    if (!source) {
      this.publish();
      this.resolveInitial();
      return;
    }
    const options = this.namespace ? { namespace: this.namespace } : {};
    const kinds = [...resourceKinds];
    const results = await Promise.allSettled(
      kinds.map((k) => source.list(k.kind, k.namespaced ? options : {})),
    );
    if (generation !== this.generation) return;
    const failures: string[] = [];
    this.objects = new Map();
    results.forEach((result, i) => {
      const kind = kinds[i]!.kind;
      if (result.status === 'fulfilled') this.replaceKind(kind, result.value);
      else failures.push(`${kind}: ${message(result.reason)}`);
    });
    // A live source notes what the cluster's RBAC refused instead of failing the whole list.
    const forbidden = [...((source as { forbidden?: Set<string> }).forbidden ?? [])];
    this.problem =
      failures.length === kinds.length
        ? `cannot reach ${source.description}: ${failures[0]?.replace(/^\w+: /, '')}`
        : failures.length > 0
          ? `some kinds could not be listed (${failures.length}): ${failures[0]}`
          : forbidden.length > 0
            ? `forbidden by the cluster's RBAC: ${forbidden.slice(0, 3).join(', ')}${forbidden.length > 3 ? ` and ${forbidden.length - 3} more` : ''}`
            : null;
    // Tables first, issues a moment later: the analyzers take longer than the rows on a big
    // cluster, and a person can start reading pods while they run.
    this.publish('running the analyzers…');
    await new Promise<void>((resolve) => setTimeout(resolve, 0));
    if (generation !== this.generation) return;
    this.analyse();
    this.publish();
    this.resolveInitial();
    if (source.mode !== 'live') return;
    if (source.watch) {
      for (const kind of kinds) {
        try {
          const handle = await source.watch(
            kind.kind,
            kind.namespaced ? options : {},
            (event) => {
              if (generation !== this.generation) return;
              const map = this.objects.get(kind.kind) ?? new Map<string, KubeObject>();
              this.objects.set(kind.kind, map);
              const key = keyOf(event.object.metadata.namespace ?? '', event.object.metadata.name);
              if (event.type === 'DELETED') map.delete(key);
              else map.set(key, event.object);
              this.dirtyKinds.add(kind.kind);
              this.analysisDue = true;
            },
            (error) => {
              if (generation !== this.generation) return;
              this.problem = `watch ${kind.plural}: ${error.message}`;
              this.publish();
            },
          );
          if (generation !== this.generation) handle.stop();
          else this.watches.push(handle);
        } catch (error) {
          this.problem = `watch ${kind.plural}: ${message(error)}`;
        }
      }
    } else {
      this.timers.push(
        setInterval(() => {
          if (generation === this.generation) void this.connect();
        }, this.timing.clusterPollMs),
      );
    }
  }

  private replaceKind(kind: string, list: KubeObject[]): void {
    const map = new Map<string, KubeObject>();
    // Everything the source returns stays in the cache: K8sGPT Results live in the operator's
    // namespace but speak of objects elsewhere. What a person sees is filtered when rows are built.
    for (const object of list) {
      map.set(keyOf(object.metadata.namespace ?? '', object.metadata.name), object);
    }
    this.objects.set(kind, map);
    this.dirtyKinds.add(kind);
  }

  /** The timer side of live updates: rebuild only what changed, analyse at most every analyzeMs. */
  private flush(): void {
    if (this.dirtyKinds.size === 0 && !this.analysisDue) return;
    if (this.analysisDue && Date.now() - this.lastAnalysis >= this.timing.analyzeMs) this.analyse();
    this.publish();
  }

  private analyse(): void {
    const all: KubeObject[] = [];
    for (const map of this.objects.values()) for (const object of map.values()) all.push(object);
    this.snapshot = new ClusterSnapshot(all);
    try {
      this.issues = this.deps
        .analyze(this.snapshot)
        .filter((issue) => this.deps.access.canSee(issue.namespace, issue.kind));
    } catch (error) {
      this.problem = `analysis failed: ${message(error)}`;
    }
    this.analysisDue = false;
    this.lastAnalysis = Date.now();
    // Row colours follow issue severities, so every table needs its tones again.
    this.toneStale = true;
  }

  private rowsCache = new Map<string, RowView[]>();

  private publish(activity: string | null = null): void {
    const now = this.now();
    const allNamespaces = this.namespace === null;
    const severityOf = new Map<string, IssueView['severity']>();
    for (const issue of this.issues) {
      const key = `${issue.kind}/${keyOf(issue.namespace, issue.name)}`;
      if (severityOf.get(key) !== 'critical') severityOf.set(key, issue.severity);
    }
    const toneOf = (kind: string, key: string): Tone => {
      const severity = severityOf.get(`${kind}/${key}`);
      return severity === 'critical' ? 'critical' : severity === 'warning' ? 'warning' : 'normal';
    };
    const kinds: ResourceKindView[] = [];
    for (const def of resourceKinds) {
      const map = this.objects.get(def.kind);
      if (!map) continue;
      const granted =
        this.deps.access.canSee(this.namespace ?? '', def.kind) ||
        [...map.values()].some((o) => this.deps.access.canSee(o.metadata.namespace ?? '', def.kind));
      if (!granted) continue;
      if (map.size === 0 && !CORE_KINDS.has(def.kind)) continue;
      kinds.push({
        kind: def.kind,
        title: titleOf(def),
        aliases: [def.plural, def.singular, ...def.shortNames, def.kind.toLowerCase()],
        namespaced: def.namespaced,
        columns: columnsFor(def.kind, { allNamespaces, wide: true }),
        loggable: def.capabilities.includes('loggable'),
      });
      if (this.dirtyKinds.has(def.kind) || !this.rowsCache.has(def.kind) || this.toneStale) {
        const visible = [...map.values()].filter((o) =>
          this.deps.access.canSee(o.metadata.namespace ?? '', def.kind),
        );
        const rows = rowsFor(def.kind, visible, { now, allNamespaces, wide: true });
        this.rowsCache.set(
          def.kind,
          rows.map((row) => {
            const key = keyOf(row.namespace, row.name);
            return {
              key,
              namespace: row.namespace || undefined,
              name: row.name,
              cells: row.cells,
              tone: toneOf(def.kind, key),
            };
          }),
        );
      }
    }
    this.dirtyKinds.clear();
    this.toneStale = false;
    const resources: Record<string, RowView[]> = {};
    for (const kind of kinds) resources[kind.kind] = this.rowsCache.get(kind.kind) ?? [];
    this.store.update({
      activity,
      issues: this.issues,
      kinds,
      resources,
      problem: this.problem,
      header: { ...this.store.state().header, namespace: this.namespace },
    });
  }

  private toneStale = false;

  private async pollStack(): Promise<void> {
    const stack = this.deps.stack;
    if (!stack) return;
    const generation = this.generation;
    try {
      const containers = await stack.list();
      if (generation !== this.generation) return;
      const runtime = stack.runtimeName() ?? this.deps.runtime;
      const header = this.store.state().header;
      this.store.update({
        stack: containers,
        stackProblem: null,
        ...(header.runtime === runtime ? {} : { header: { ...header, runtime } }),
      });
    } catch (error) {
      if (generation !== this.generation) return;
      this.store.update({ stackProblem: `cannot list local containers: ${message(error)}` });
    }
  }

  async setNamespace(namespace: string | null): Promise<void> {
    if (namespace !== null && !this.deps.access.canSee(namespace)) {
      throw new RefusedError(
        'NAMESPACE_NOT_GRANTED',
        `namespace ${namespace} is not granted to ${this.deps.access.user}`,
        {
          hint: 'ask an admin to grant it with `kitten codex admin grant`',
        },
      );
    }
    this.namespace = namespace;
    this.stopWatches();
    this.rowsCache.clear();
    await this.connect();
  }

  async setContext(name: string): Promise<void> {
    if (!this.deps.openContext) {
      throw new UsageError('NO_CONTEXTS', 'a snapshot has no contexts to switch to', {
        hint: `run \`kitten tui --context ${name}\` against a live cluster`,
      });
    }
    const source = await this.deps.openContext(name);
    this.source = source;
    this.stopWatches();
    this.rowsCache.clear();
    this.store.update({ header: { ...this.store.state().header, target: { type: 'context', name } } });
    await this.connect();
  }

  async describe(kind: string, row: RowView): Promise<string> {
    if (kind === 'stack') {
      if (!this.deps.stack) throw new KittenError('NO_RUNTIME', 'no container runtime is reachable');
      return toYaml(await this.deps.stack.inspect(row.name));
    }
    const object = this.objects.get(kind)?.get(row.key);
    if (!object) throw new KittenError('OBJECT_GONE', `${kind} ${row.key} is no longer in the cluster`);
    const { managedFields: _managed, ...metadata } = object.metadata as KubeObject['metadata'] & {
      managedFields?: unknown;
    };
    return toYaml({ ...object, metadata });
  }

  async *logs(request: LogRequest): AsyncIterable<string> {
    if (request.kind === 'stack') {
      if (!this.deps.stack) throw new KittenError('NO_RUNTIME', 'no container runtime is reachable');
      for await (const line of this.deps.stack.logs(request.row.name, {
        follow: request.follow,
        tail: 500,
        signal: request.signal,
      })) {
        yield `${line.time.slice(11, 19)} ${line.stream === 'stderr' ? '!' : ' '} ${line.text}`;
      }
      return;
    }
    const source = this.source;
    if (!source?.logs) {
      throw new UsageError('LOGS_UNAVAILABLE', `${this.deps.target.name} holds no logs`, {
        hint: 'logs come from a live cluster: run `kitten tui --context NAME`',
      });
    }
    const readLast = source.logs.bind(source);
    const target = this.logTarget(request.kind, request.row);
    const { namespace, pod, containers } = target;
    if (target.siblings > 0) yield `── logs of pod ${pod} (1 of ${target.siblings}) ──`;
    // The API server refuses a pod's log without a container name when the pod has several.
    const at = Math.max(0, containers.indexOf(request.container ?? ''));
    const container = containers.length > 1 ? containers[at] : undefined;
    if (container) yield `── container ${container} (${at + 1} of ${containers.length}) ──`;
    const which = container ? { container } : {};
    if (request.follow && source.followLogs) {
      yield* followResuming({
        source: {
          followLogs: source.followLogs.bind(source),
          ...(source.get ? { get: source.get.bind(source) } : {}),
        },
        namespace,
        pod,
        ...which,
        tail: LOG_TAIL,
        signal: request.signal,
        retryMs: this.timing.logRetryMs,
        attempts: LOG_RECONNECTS,
      });
      return;
    }
    yield* this.pollLogs(
      (ns, name, options) => readLast(ns, name, { ...options, ...which }),
      namespace,
      pod,
      request,
    );
  }

  logContainers(kind: string, row: RowView): string[] {
    if (kind === 'stack') return [];
    // A Deployment without pods has nothing to switch between; `logs` says why when opened.
    return this.snapshotHasPodFor(kind, row) ? this.logTarget(kind, row).containers : [];
  }

  private snapshotHasPodFor(kind: string, row: RowView): boolean {
    return kind === 'Pod' || podsOwnedBy(this.snapshot, kind, row.namespace ?? '', row.name).length > 0;
  }

  /**
   * The pod whose log a row stands for (a Deployment's first pod, as `kubectl logs deploy/x`),
   * its containers from the cache, and how many pods the row owns when it is not a pod itself.
   */
  private logTarget(
    kind: string,
    row: RowView,
  ): { namespace: string; pod: string; containers: string[]; siblings: number } {
    const namespace = row.namespace ?? '';
    let pod = row.name;
    let siblings = 0;
    if (kind !== 'Pod') {
      const owned = podsOwnedBy(this.snapshot, kind, namespace, row.name);
      const first = owned[0];
      if (!first) throw new KittenError('NO_PODS', `${kind} ${row.key} has no pods to read logs from`);
      pod = first.metadata.name;
      siblings = owned.length;
    }
    const containers = containerNames(this.objects.get('Pod')?.get(keyOf(namespace, pod)));
    return { namespace, pod, containers, siblings };
  }

  /**
   * The fallback for a source that can only answer "the last lines" (no held-open stream): fetch
   * them again every logPollMs and print what came after the last line shown. Lines that repeat
   * can be lost or shown twice this way, which is why a source that can stream never gets here.
   */
  private async *pollLogs(
    lastLines: NonNullable<ClusterSource['logs']>,
    namespace: string,
    pod: string,
    request: LogRequest,
  ): AsyncIterable<string> {
    let seen: string[] = [];
    for (;;) {
      const text = await lastLines(namespace, pod, { tail: LOG_TAIL });
      const lines = text
        .replace(/\n$/, '')
        .split('\n')
        .filter((l, i, all) => l !== '' || i < all.length - 1);
      const last = seen[seen.length - 1];
      const from = last === undefined ? 0 : lines.lastIndexOf(last) + 1;
      for (const line of lines.slice(from)) yield line;
      seen = lines;
      if (!request.follow || request.signal.aborted) return;
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          request.signal.removeEventListener('abort', done);
          resolve();
        };
        const timer = setTimeout(done, this.timing.logPollMs);
        request.signal.addEventListener('abort', done, { once: true });
      });
      if (request.signal.aborted) return;
    }
  }

  plan(issue: IssueView, mode: PlanMode, context: string, signal: AbortSignal): Promise<PlanView> {
    return this.deps.plan(issue, mode, context, signal, this.snapshot);
  }

  translate(intent: string, signal: AbortSignal): Promise<CommandView> {
    const names = (kind: string) => [...(this.objects.get(kind)?.values() ?? [])].map((o) => o.metadata.name);
    return this.deps.translate(intent, signal, {
      namespace: this.namespace,
      pods: names('Pod'),
      deployments: names('Deployment'),
      services: names('Service'),
      nodes: names('Node'),
      containers: this.store.state().stack.map((c) => c.name),
      reachable: { kubernetes: this.source !== null, docker: this.deps.stack !== null },
    });
  }

  run(command: CommandView, confirm: Confirm, purpose: string): Promise<RunOutcome> {
    return this.deps.run(command, confirm, purpose);
  }

  async containerAction(action: ContainerAction, row: RowView, confirm: Confirm): Promise<RunOutcome> {
    const stack = this.deps.stack;
    if (!stack) throw new KittenError('NO_RUNTIME', 'no container runtime is reachable');
    const runtime = stack.runtimeName() ?? this.deps.runtime;
    const project = this.store.state().stack.find((c) => c.name === row.name)?.project;
    const command = containerCommand(action, row.name, runtime, project);
    const purpose = `${action} container ${row.name} from the Stack tab`;
    const outcome =
      command.tool === 'docker' || !stack.act
        ? await this.deps.run(command, confirm, purpose)
        : await this.actThroughRuntime(stack.act.bind(stack), action, row.name, command, confirm, purpose);
    // Show the new state now rather than on the next poll.
    if (outcome.status === 'ran') await this.pollStack();
    return outcome;
  }

  /**
   * The executor runs only docker and kubectl; a native container is driven through its runtime,
   * after the same y/N a write gets from the executor, and a no is final.
   */
  private async actThroughRuntime(
    act: NonNullable<StackPort['act']>,
    action: ContainerAction,
    name: string,
    command: CommandView,
    confirm: Confirm,
    purpose: string,
  ): Promise<RunOutcome> {
    const record = (status: ActionRecord['status'], exitCode: number | null, reason: string | null) =>
      this.deps.audit?.({ intent: purpose, argv: command.argv, status, exitCode, reason });
    if ((await confirm({ command, typeToConfirm: null })) !== true) {
      await record('NOT_CONFIRMED', null, 'declined');
      return { status: 'declined' };
    }
    try {
      await act(action, name);
      await record('SUCCESS', 0, null);
      return { status: 'ran', result: { exitCode: 0, stdout: '', stderr: '' } };
    } catch (error) {
      await record('FAILURE', 1, message(error));
      return { status: 'ran', result: { exitCode: 1, stdout: '', stderr: '', reason: message(error) } };
    }
  }
}
