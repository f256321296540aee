import { createInterface } from 'node:readline';
import { PassThrough } from 'node:stream';
import { RuntimeError, UsageError } from '../../errors.js';
import type { ProgressSink } from '../../progress.js';
import type { NetworkSpec, Stack } from '../../stack/model.js';
import type {
  ContainerStatus,
  CreateRequest,
  ExecResult,
  LogLine,
  LogOptions,
  NetworkStatus,
  Runtime,
  StackDeployer,
  StackDeployOptions,
} from '../types.js';
import { Exec, type KubeConfig } from './client.js';
import { KubeCluster, type ListedObject } from './cluster.js';
import { describeConnections, type ServiceConnection } from './connection.js';
import { declaredRestarts } from './declared-restart.js';
import { type ProjectExpiry, projectExpiries } from './expiry.js';
import { contextNamespace, loadKubeConfig } from './kubeconfig.js';
import { dnsLabel, labelValue } from './names.js';
import {
  ANNOTATIONS,
  KUBE_LABELS,
  type KubeObject,
  MANAGED_BY,
  networkLabel,
  projectSelector,
} from './objects.js';
import { podProblem, podService, podsToStatuses, podToStatus } from './pod-status.js';
import { type RolloutState, workloadRollout } from './rollout.js';
import { type ExposeMode, type Translation, translateStack } from './translate.js';

/**
 * The kubernetes runtime: a stack is applied whole (server-side apply, field manager `kitten`,
 * in dependency order), rollouts are awaited with progress, and everything is found again by
 * the `app.kubernetes.io/part-of` label, so no state lives outside the cluster.
 */
export interface KubernetesRuntimeOptions {
  kubeconfig?: string;
  context?: string;
  /** Every project goes here; by default each project gets a namespace named after it. */
  namespace?: string;
  env?: NodeJS.ProcessEnv;
  /** An already loaded config (tests, embedding). */
  kubeConfig?: KubeConfig;
  /** How often rollouts and deletions are checked. */
  pollIntervalMs?: number;
  /** Objects applied or deleted side by side. */
  concurrency?: number;
  /** How long `down` waits for objects to be gone. */
  removeTimeoutMs?: number;
  now?: () => Date;
}

/** `StackDeployOptions.extra` for kubernetes, as `up` passes it. */
export interface KubernetesDeployExtra {
  namespace?: string;
  expose?: ExposeMode;
  ttlMs?: number | null;
  strict?: boolean;
  /**
   * Services whose restart policy was written out (an explicit "no" is a run-once Job). Read from
   * the stack file when absent; callers that build stacks in code (the HTTP API) say it here.
   */
  declaredRestart?: string[];
}

/**
 * What `up --runtime kubernetes` will apply, without a cluster: `--dry-run -o yaml` prints these
 * objects and `deployStack` applies exactly them. The namespace is -n, else one named after the
 * project (which Kitten then owns and `down` deletes).
 */
export async function planKubernetes(
  stack: Stack,
  extra: KubernetesDeployExtra = {},
  now: Date = new Date(),
): Promise<Translation> {
  return translateStack(stack, {
    namespace: extra.namespace ?? dnsLabel(stack.project),
    ownNamespace: extra.namespace === undefined,
    expose: extra.expose ?? 'none',
    expiresAt: extra.ttlMs ? new Date(now.getTime() + extra.ttlMs) : null,
    strict: extra.strict ?? false,
    declaredRestart: extra.declaredRestart
      ? new Set(extra.declaredRestart)
      : await declaredRestarts(stack.file),
  });
}

export interface GcResult extends ProjectExpiry {
  deleted: boolean;
}

/** Kinds a project is made of, in the order `down` removes them (workloads first, then what routed to them). */
const PROJECT_KINDS: { apiVersion: string; kind: string }[] = [
  { apiVersion: 'apps/v1', kind: 'Deployment' },
  { apiVersion: 'batch/v1', kind: 'Job' },
  { apiVersion: 'v1', kind: 'Service' },
  { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy' },
];

const WORKLOAD_KINDS = new Set(['Deployment', 'Job']);

function parseExtra(extra: Record<string, unknown> | undefined): KubernetesDeployExtra {
  const e = extra ?? {};
  const expose = e.expose ?? 'none';
  if (expose !== 'none' && expose !== 'nodeport' && expose !== 'loadbalancer') {
    throw new UsageError(
      'KUBE_EXPOSE_INVALID',
      `--expose must be nodeport or loadbalancer, not ${String(expose)}`,
      {
        hint: 'use --expose nodeport or --expose loadbalancer',
      },
    );
  }
  return {
    ...(typeof e.namespace === 'string' && e.namespace ? { namespace: e.namespace } : {}),
    expose,
    ttlMs: typeof e.ttlMs === 'number' ? e.ttlMs : null,
    strict: e.strict === true,
    ...(Array.isArray(e.declaredRestart) ? { declaredRestart: e.declaredRestart.map(String) } : {}),
  };
}

async function eachLimited<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const failures: unknown[] = [];
  const lane = async () => {
    while (next < items.length) {
      const item = items[next++]!;
      try {
        await work(item);
      } catch (error) {
        failures.push(error);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  if (failures.length > 0) throw failures[0];
}

function resourceKey(o: { kind?: string; metadata?: { name?: string } }): string {
  return `${String(o.kind).toLowerCase()}:${o.metadata?.name ?? ''}`;
}

function annotation(o: ListedObject, key: string): string | undefined {
  return o.metadata.annotations?.[key];
}

export class KubernetesRuntime implements Runtime, StackDeployer {
  readonly name = 'kubernetes' as const;
  readonly cluster: KubeCluster;
  private readonly pollMs: number;
  private readonly concurrency: number;
  private readonly removeTimeoutMs: number;
  private readonly now: () => Date;
  /** Pod name → namespace, learned from list(); logs and inspect use it. */
  private readonly podNamespaces = new Map<string, string>();

  constructor(private readonly options: KubernetesRuntimeOptions = {}) {
    const kc = options.kubeConfig ?? loadKubeConfig(options);
    this.cluster = new KubeCluster(kc);
    this.pollMs = options.pollIntervalMs ?? 1000;
    this.concurrency = options.concurrency ?? 16;
    this.removeTimeoutMs = options.removeTimeoutMs ?? 300_000;
    this.now = options.now ?? (() => new Date());
  }

  get kubeConfig(): KubeConfig {
    return this.cluster.kubeConfig;
  }

  /** `-n` wins; else the project's own namespace, named after it. */
  namespaceFor(project: string, override?: string): string {
    return override ?? this.options.namespace ?? dnsLabel(project);
  }

  /** The namespace kubectl would use with the same kubeconfig and context (for hints). */
  get contextNamespace(): string | undefined {
    return contextNamespace(this.cluster.kubeConfig);
  }

  async plan(stack: Stack, extra: KubernetesDeployExtra = {}): Promise<Translation> {
    return planKubernetes(
      stack,
      {
        ...extra,
        ...(extra.namespace || !this.options.namespace ? {} : { namespace: this.options.namespace }),
      },
      this.now(),
    );
  }

  // ----- StackDeployer -----------------------------------------------------------------------

  async deployStack(stack: Stack, options: StackDeployOptions, progress: ProgressSink): Promise<void> {
    const extra = parseExtra(options.extra);
    const translation = await this.plan(stack, extra);
    const namespace = translation.namespace;
    const deadline = Date.now() + options.timeoutMs;
    for (const w of translation.warnings) {
      progress({
        resource: `service:${w.service ?? stack.project}`,
        status: 'warning',
        text: `${w.path}: ${w.message}`,
      });
    }
    const namespaceObject = translation.objects.find((o) => o.kind === 'Namespace');
    if (namespaceObject) {
      await this.applyWithProgress(namespaceObject, progress, 'applied');
    } else if (!(await this.cluster.read('v1', 'Namespace', namespace))) {
      throw new RuntimeError(
        'KUBE_NAMESPACE_MISSING',
        `namespace ${namespace} does not exist on ${this.cluster.server}`,
        {
          hint: `create it (\`kubectl create namespace ${namespace}\`) or leave out -n to let Kitten make one for the project`,
        },
      );
    }
    const routing = translation.objects.filter((o) => o.kind === 'Service' || o.kind === 'NetworkPolicy');
    await this.dropHeadlessTurnedClusterIp(stack.project, namespace, routing, progress);
    await eachLimited(routing, this.concurrency, (o) => this.applyWithProgress(o, progress, 'applied'));

    const workloads = translation.objects.filter((o) => WORKLOAD_KINDS.has(o.kind));
    const byService = new Map(translation.services.map((s) => [s.name, s]));
    const existingJobs = new Map(
      (await this.cluster.list('batch/v1', 'Job', namespace, projectSelector(labelValue(stack.project)))).map(
        (j) => [j.metadata.name, j],
      ),
    );
    const completedJobs = new Set<string>();
    for (let level = 0; level < translation.levels.length; level++) {
      const inLevel = workloads.filter((w) => byService.get(w.metadata.name)?.level === level);
      const jobDeps = new Set(
        inLevel.flatMap((w) =>
          (byService.get(w.metadata.name)?.waitsFor ?? [])
            .filter((d) => d.how === 'apply-order')
            .map((d) => d.service),
        ),
      );
      const toAwait = translation.services.filter(
        (s) => jobDeps.has(s.service) && !completedJobs.has(s.name),
      );
      if (toAwait.length > 0) {
        const targets = workloads.filter((w) => toAwait.some((s) => s.name === w.metadata.name));
        await this.awaitRollout(namespace, targets, deadline, options.timeoutMs, progress);
        for (const s of toAwait) completedJobs.add(s.name);
      }
      await eachLimited(inLevel, this.concurrency, async (w) => {
        const plan = byService.get(w.metadata.name);
        const existing = existingJobs.get(w.metadata.name);
        if (w.kind === 'Job' && existing) {
          if (
            annotation(existing, ANNOTATIONS.configHash) === w.metadata.annotations?.[ANNOTATIONS.configHash]
          ) {
            progress({
              resource: resourceKey(w),
              status: 'done',
              text: 'unchanged (Job already ran with this configuration)',
            });
            return;
          }
          // A Job's pod template is immutable: a changed task is a new Job.
          progress({
            resource: resourceKey(w),
            status: 'working',
            text: 'replacing (configuration changed)',
          });
          await this.cluster.delete('batch/v1', 'Job', w.metadata.name, namespace);
          await this.untilGone(
            [{ apiVersion: 'batch/v1', kind: 'Job', name: w.metadata.name }],
            namespace,
            deadline,
            options.timeoutMs,
          );
        }
        const what =
          w.kind === 'Job'
            ? `applied as a Job: ${plan?.reason ?? ''}`
            : `applied (${plan?.replicas ?? 1} replica${plan?.replicas === 1 ? '' : 's'})`;
        await this.applyWithProgress(w, progress, what);
      });
    }
    for (const plan of translation.services) {
      for (const note of plan.notes)
        progress({ resource: `service:${plan.service}`, status: 'done', text: note });
    }
    if (options.removeOrphans)
      await this.removeOrphans(stack.project, namespace, translation.objects, progress);
    if (options.wait) await this.awaitRollout(namespace, workloads, deadline, options.timeoutMs, progress);
  }

  async removeStack(project: string, progress: ProgressSink): Promise<void> {
    const namespace = this.namespaceFor(project);
    const selector = projectSelector(labelValue(project));
    const deadline = Date.now() + this.removeTimeoutMs;
    const found: { apiVersion: string; kind: string; name: string }[] = [];
    for (const { apiVersion, kind } of PROJECT_KINDS) {
      const items = await this.cluster.list(apiVersion, kind, namespace, selector);
      await eachLimited(items, this.concurrency, async (item) => {
        progress({ resource: resourceKey(item), status: 'working', text: 'deleting' });
        await this.cluster.delete(apiVersion, kind, item.metadata.name, namespace);
        found.push({ apiVersion, kind, name: item.metadata.name });
      });
    }
    await this.untilGone(found, namespace, deadline, this.removeTimeoutMs, selector);
    for (const item of found)
      progress({
        resource: resourceKey(item.kind ? { kind: item.kind, metadata: { name: item.name } } : {}),
        status: 'done',
        text: 'deleted',
      });
    const ns = await this.cluster.read('v1', 'Namespace', namespace);
    const labels = ns?.metadata.labels ?? {};
    if (
      ns &&
      labels[KUBE_LABELS.partOf] === labelValue(project) &&
      labels[KUBE_LABELS.managedBy] === MANAGED_BY
    ) {
      progress({ resource: `namespace:${namespace}`, status: 'working', text: 'deleting' });
      await this.cluster.delete('v1', 'Namespace', namespace);
      await this.untilGone(
        [{ apiVersion: 'v1', kind: 'Namespace', name: namespace }],
        undefined,
        deadline,
        this.removeTimeoutMs,
      );
      progress({ resource: `namespace:${namespace}`, status: 'done', text: 'deleted' });
    } else if (found.length === 0) {
      progress({
        resource: `project:${project}`,
        status: 'done',
        text: `nothing to remove in namespace ${namespace}`,
      });
    }
  }

  // ----- helpers -----------------------------------------------------------------------------

  /**
   * Applies one object. When the change touches a field the API server will not change in place
   * (a Service turning headless, a workload selector), the object is deleted and created again,
   * and the progress line says so.
   */
  private async applyWithProgress(object: KubeObject, progress: ProgressSink, text: string): Promise<void> {
    const resource = resourceKey(object);
    progress({ resource, status: 'working', text: 'applying' });
    try {
      try {
        await this.cluster.apply(object);
      } catch (error) {
        if (
          !(
            error instanceof RuntimeError &&
            error.code === 'KUBE_INVALID' &&
            /field is immutable/.test(error.message)
          )
        )
          throw error;
        if (object.kind === 'Namespace') throw error;
        progress({ resource, status: 'working', text: 'recreating (a field that changed is immutable)' });
        const namespace = object.metadata.namespace;
        await this.cluster.delete(object.apiVersion, object.kind, object.metadata.name, namespace);
        await this.untilGone(
          [{ apiVersion: object.apiVersion, kind: object.kind, name: object.metadata.name }],
          namespace,
          Date.now() + this.removeTimeoutMs,
          this.removeTimeoutMs,
        );
        await this.cluster.apply(object);
        text = `${text}; recreated (an immutable field changed)`;
      }
    } catch (error) {
      progress({ resource, status: 'error', text: (error as Error).message });
      throw error;
    }
    progress({ resource, status: 'done', text });
  }

  /**
   * A headless Service cannot be given a cluster IP, and an update that leaves clusterIP out keeps
   * the old "None": when a service gains ports, its headless Service is deleted so apply makes a
   * ClusterIP one. (The other direction is refused by the server and handled in applyWithProgress.)
   */
  private async dropHeadlessTurnedClusterIp(
    project: string,
    namespace: string,
    desired: KubeObject[],
    progress: ProgressSink,
  ): Promise<void> {
    const wanted = new Map(desired.filter((o) => o.kind === 'Service').map((o) => [o.metadata.name, o]));
    const existing = await this.cluster.list(
      'v1',
      'Service',
      namespace,
      projectSelector(labelValue(project)),
    );
    for (const svc of existing) {
      const next = wanted.get(svc.metadata.name);
      const nowHeadless = (next?.spec as { clusterIP?: string } | undefined)?.clusterIP === 'None';
      if (!next || nowHeadless || svc.spec?.clusterIP !== 'None') continue;
      progress({ resource: resourceKey(svc), status: 'working', text: 'recreating (headless → ClusterIP)' });
      await this.cluster.delete('v1', 'Service', svc.metadata.name, namespace);
      await this.untilGone(
        [{ apiVersion: 'v1', kind: 'Service', name: svc.metadata.name }],
        namespace,
        Date.now() + this.removeTimeoutMs,
        this.removeTimeoutMs,
      );
    }
  }

  private async removeOrphans(
    project: string,
    namespace: string,
    desired: KubeObject[],
    progress: ProgressSink,
  ): Promise<void> {
    const wanted = new Set(desired.map((o) => `${o.kind}/${o.metadata.name}`));
    for (const { apiVersion, kind } of PROJECT_KINDS) {
      for (const item of await this.cluster.list(
        apiVersion,
        kind,
        namespace,
        projectSelector(labelValue(project)),
      )) {
        if (wanted.has(`${kind}/${item.metadata.name}`)) continue;
        progress({ resource: resourceKey(item), status: 'working', text: 'removing orphan' });
        await this.cluster.delete(apiVersion, kind, item.metadata.name, namespace);
        progress({ resource: resourceKey(item), status: 'done', text: 'removed (no longer in the stack)' });
      }
    }
  }

  private sleep(): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, this.pollMs));
  }

  /** Polls until none of `items` exist (and no pod matches `podSelector`), or fails at the deadline. */
  private async untilGone(
    items: { apiVersion: string; kind: string; name: string }[],
    namespace: string | undefined,
    deadline: number,
    timeoutMs: number,
    podSelector?: string,
  ): Promise<void> {
    let left = [...items];
    for (;;) {
      const still: typeof left = [];
      for (const item of left) {
        if (await this.cluster.read(item.apiVersion, item.kind, item.name, namespace)) still.push(item);
      }
      left = still;
      const pods =
        podSelector && namespace ? await this.cluster.list('v1', 'Pod', namespace, podSelector) : [];
      if (left.length === 0 && pods.length === 0) return;
      if (Date.now() > deadline) {
        const names = [
          ...left.map((i) => `${i.kind.toLowerCase()}/${i.name}`),
          ...pods.map((p) => `pod/${p.metadata.name}`),
        ];
        throw new RuntimeError(
          'KUBE_DELETE_TIMEOUT',
          `${names.length} object${names.length === 1 ? '' : 's'} still present after ${Math.round(timeoutMs / 1000)}s: ${names.slice(0, 5).join(', ')}`,
          {
            hint: `a finalizer may be holding them: \`kubectl${namespace ? ` -n ${namespace}` : ''} get ${names[0] ?? 'all'} -o yaml\``,
          },
        );
      }
      await this.sleep();
    }
  }

  /** Waits until every workload is rolled out (Deployments ready, Jobs complete), with progress. */
  private async awaitRollout(
    namespace: string,
    workloads: KubeObject[],
    deadline: number,
    timeoutMs: number,
    progress: ProgressSink,
  ): Promise<void> {
    const pending = new Map(workloads.map((w) => [`${w.kind}/${w.metadata.name}`, w]));
    const last = new Map<string, string>();
    const project = workloads[0]?.metadata.labels?.[KUBE_LABELS.partOf];
    const selector = project ? projectSelector(project) : undefined;
    let states = new Map<string, RolloutState>();
    while (pending.size > 0) {
      const kinds = new Set([...pending.values()].map((w) => w.kind));
      const live: ListedObject[] = [];
      if (kinds.has('Deployment'))
        live.push(...(await this.cluster.list('apps/v1', 'Deployment', namespace, selector)));
      if (kinds.has('Job')) live.push(...(await this.cluster.list('batch/v1', 'Job', namespace, selector)));
      states = new Map();
      for (const object of live) {
        const key = `${object.kind}/${object.metadata.name}`;
        if (!pending.has(key)) continue;
        const state = workloadRollout(object);
        states.set(key, state);
        const resource = resourceKey(object);
        if (state.phase === 'ready') {
          pending.delete(key);
          progress({
            resource,
            status: 'done',
            text: object.kind === 'Job' ? 'complete' : `rolled out (${state.text})`,
          });
        } else if (state.phase === 'failed') {
          progress({ resource, status: 'error', text: state.text });
          throw new RuntimeError(
            'KUBE_ROLLOUT_FAILED',
            `${object.kind.toLowerCase()} ${object.metadata.name} failed: ${state.text}`,
            {
              hint: `see why with \`kitten logs ${annotation(object, ANNOTATIONS.service) ?? object.metadata.name}\` or \`kubectl -n ${namespace} describe ${object.kind.toLowerCase()} ${object.metadata.name}\``,
            },
          );
        } else if (last.get(key) !== state.text) {
          last.set(key, state.text);
          progress({ resource, status: 'working', text: state.text });
        }
      }
      if (pending.size === 0) return;
      if (Date.now() > deadline)
        throw await this.rolloutTimeout(namespace, [...pending.values()], states, timeoutMs, selector);
      await this.sleep();
    }
  }

  private async rolloutTimeout(
    namespace: string,
    pending: KubeObject[],
    states: Map<string, RolloutState>,
    timeoutMs: number,
    selector: string | undefined,
  ): Promise<RuntimeError> {
    const pods = selector ? await this.cluster.list('v1', 'Pod', namespace, selector).catch(() => []) : [];
    const reasons = pending.map((w) => {
      const problem = pods
        .filter((p) => podService(p) === w.metadata.annotations?.[ANNOTATIONS.service])
        .map((p) => podProblem(p))
        .find((p) => p !== null);
      const state = states.get(`${w.kind}/${w.metadata.name}`)?.text ?? 'not found';
      return `${w.metadata.name} (${problem ?? state})`;
    });
    return new RuntimeError(
      'KUBE_ROLLOUT_TIMEOUT',
      `${pending.length} workload${pending.length === 1 ? '' : 's'} not ready after ${Math.round(timeoutMs / 1000)}s: ${reasons.join(', ')}`,
      {
        hint: `look at the pods (\`kitten ps\`, \`kitten logs SERVICE\`, \`kubectl -n ${namespace} describe pods\`), or wait longer with --timeout`,
        details: { pending: pending.map((w) => w.metadata.name) },
      },
    );
  }

  // ----- Runtime -----------------------------------------------------------------------------

  async list(project: string): Promise<ContainerStatus[]> {
    const namespace = this.namespaceFor(project);
    const pods = await this.cluster.list('v1', 'Pod', namespace, projectSelector(labelValue(project)));
    for (const pod of pods) this.podNamespaces.set(pod.metadata.name, namespace);
    return podsToStatuses(pods as unknown as Record<string, unknown>[], project);
  }

  async projects(): Promise<string[]> {
    const found = new Set<string>();
    const selector = `${KUBE_LABELS.managedBy}=${MANAGED_BY}`;
    const sources = this.options.namespace
      ? PROJECT_KINDS.map(({ apiVersion, kind }) =>
          this.cluster.list(apiVersion, kind, this.options.namespace, selector),
        )
      : [this.cluster.list('v1', 'Namespace', undefined, selector)];
    for (const items of await Promise.all(sources)) {
      for (const item of items) {
        const project = annotation(item, ANNOTATIONS.project) ?? item.metadata.labels?.[KUBE_LABELS.partOf];
        if (project) found.add(project);
      }
    }
    return [...found].sort();
  }

  /**
   * A pod by its own name, or by the compose-style name every runtime shares
   * (`<project>-<service>-<replica>`, replicas numbered by pod name), so `kitten logs shop-web-1`
   * means the same on every runtime.
   */
  private async locatePod(name: string): Promise<{ namespace: string; pod: ListedObject } | null> {
    const namespaces = [this.podNamespaces.get(name), this.options.namespace].filter((n): n is string =>
      Boolean(n),
    );
    for (const namespace of namespaces) {
      const pod = await this.cluster.read('v1', 'Pod', name, namespace);
      if (pod) return { namespace, pod };
    }
    const byComposeName = await this.locateByComposeName(name);
    if (byComposeName) return byComposeName;
    if (this.options.namespace) return null;
    const all = await this.cluster
      .list('v1', 'Pod', undefined, `${KUBE_LABELS.managedBy}=${MANAGED_BY}`)
      .catch(() => []);
    const pod = all.find((p) => p.metadata.name === name);
    return pod ? { namespace: String(pod.metadata.namespace), pod } : null;
  }

  private async locateByComposeName(name: string): Promise<{ namespace: string; pod: ListedObject } | null> {
    const match = /^(.+)-(\d+)$/.exec(name);
    if (!match) return null;
    const [, head, replica] = match as unknown as [string, string, string];
    // Project and service may both contain '-': try every split, shortest project first.
    for (let at = head.indexOf('-'); at > 0; at = head.indexOf('-', at + 1)) {
      const project = head.slice(0, at);
      const service = head.slice(at + 1);
      const namespace = this.namespaceFor(project);
      const pods = await this.cluster
        .list('v1', 'Pod', namespace, projectSelector(labelValue(project)))
        .catch(() => []);
      const rows = podsToStatuses(pods as unknown as Record<string, unknown>[], project);
      const row = rows.find((r) => r.service === service && r.replica === Number(replica));
      const pod = row ? pods.find((p) => p.metadata.name === row.name) : undefined;
      if (pod) {
        this.podNamespaces.set(pod.metadata.name, namespace);
        return { namespace, pod };
      }
    }
    return null;
  }

  async inspect(name: string): Promise<ContainerStatus | null> {
    const found = await this.locatePod(name);
    if (!found) return null;
    const project =
      annotation(found.pod, ANNOTATIONS.project) ?? found.pod.metadata.labels?.[KUBE_LABELS.partOf] ?? '';
    return podToStatus(found.pod as unknown as Record<string, unknown>, project, 1);
  }

  async *logs(name: string, options: LogOptions): AsyncIterable<LogLine> {
    const found = await this.locatePod(name);
    if (!found) {
      throw new RuntimeError('KUBE_POD_NOT_FOUND', `no pod ${name}`, { hint: 'list pods with `kitten ps`' });
    }
    const containers = ((found.pod.spec?.containers as { name: string }[] | undefined) ?? []).map(
      (c) => c.name,
    );
    const service = podService(found.pod as unknown as Record<string, unknown>);
    const podName = found.pod.metadata.name;
    const stream: PassThrough = await this.cluster.podLog(found.namespace, podName, containers[0] ?? '', {
      follow: options.follow ?? false,
      ...(options.tail !== undefined ? { tail: options.tail } : {}),
      ...(options.since ? { since: options.since } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    for await (const raw of createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY })) {
      const line = String(raw);
      const space = line.indexOf(' ');
      const stamp = space > 0 ? line.slice(0, space) : '';
      const valid = !Number.isNaN(Date.parse(stamp));
      yield {
        container: podName,
        service,
        stream: 'stdout',
        time: valid ? new Date(stamp).toISOString() : this.now().toISOString(),
        text: valid ? line.slice(space + 1) : line,
      };
    }
  }

  async exec(name: string, argv: string[]): Promise<ExecResult> {
    const found = await this.locatePod(name);
    if (!found)
      throw new RuntimeError('KUBE_POD_NOT_FOUND', `no pod ${name}`, { hint: 'list pods with `kitten ps`' });
    const container = ((found.pod.spec?.containers as { name: string }[] | undefined) ?? [])[0]?.name ?? '';
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    stdout.on('data', (c: Buffer) => out.push(c));
    stderr.on('data', (c: Buffer) => err.push(c));
    const exitCode = await new Promise<number>((resolve, reject) => {
      new Exec(this.kubeConfig)
        .exec(
          found.namespace,
          found.pod.metadata.name,
          container,
          argv,
          stdout,
          stderr,
          null,
          false,
          (status) => {
            if (status.status === 'Success') resolve(0);
            else {
              const cause = status.details?.causes?.find((c) => c.reason === 'ExitCode');
              resolve(cause?.message ? Number(cause.message) : 1);
            }
          },
        )
        .catch((error: unknown) =>
          reject(
            new RuntimeError('KUBE_EXEC_FAILED', `cannot exec in pod ${name}: ${(error as Error).message}`, {
              hint: 'exec needs the pods/exec permission and a running container',
            }),
          ),
        );
    });
    return {
      exitCode,
      stdout: Buffer.concat(out).toString('utf8'),
      stderr: Buffer.concat(err).toString('utf8'),
    };
  }

  /** Networks are NetworkPolicies on a cluster: what `ps` and the orchestrator see of them. */
  async listNetworks(project: string): Promise<NetworkStatus[]> {
    const namespace = this.namespaceFor(project);
    const policies = await this.cluster.list(
      'networking.k8s.io/v1',
      'NetworkPolicy',
      namespace,
      projectSelector(labelValue(project)),
    );
    return policies
      .filter((p) => p.metadata.name.startsWith('net-'))
      .map((p) => ({
        id: p.metadata.name,
        project,
        network: p.metadata.name.slice(4),
        driver: 'bridge' as const,
        subnet: null,
        gateway: null,
      }));
  }

  async ensureNetwork(project: string, network: NetworkSpec): Promise<NetworkStatus> {
    const label = networkLabel(dnsLabel(network.name));
    const members = { matchLabels: { [KUBE_LABELS.partOf]: labelValue(project), [label]: 'true' } };
    const name = dnsLabel(`net-${network.name}`);
    await this.cluster.apply({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: {
        name,
        namespace: this.namespaceFor(project),
        labels: { [KUBE_LABELS.partOf]: labelValue(project), [KUBE_LABELS.managedBy]: MANAGED_BY },
        annotations: { [ANNOTATIONS.project]: project },
      },
      spec: {
        podSelector: members,
        policyTypes: ['Ingress'],
        ingress: [{ from: [{ podSelector: members }] }],
      },
    });
    return { id: name, project, network: network.name, driver: network.driver, subnet: null, gateway: null };
  }

  async removeNetwork(project: string, network: string): Promise<void> {
    await this.cluster.delete(
      'networking.k8s.io/v1',
      'NetworkPolicy',
      dnsLabel(`net-${network}`),
      this.namespaceFor(project),
    );
  }

  /** One container at a time is not how a cluster runs a stack: apply it as a one-service stack. */
  async createContainer(request: CreateRequest): Promise<ContainerStatus> {
    const stack: Stack = {
      project: request.project,
      file: `${request.baseDir}/kitten.yaml`,
      format: 'kitten',
      version: '1.0',
      containers: { [request.spec.name]: request.spec },
      networks: {},
    };
    const translation = translateStack(stack, { namespace: this.namespaceFor(request.project) });
    for (const object of translation.objects) await this.cluster.apply(object);
    const pods = await this.list(request.project);
    return (
      pods.find((p) => p.service === request.spec.name) ?? {
        name: request.name,
        project: request.project,
        service: request.spec.name,
        replica: request.replica,
        image: request.spec.image,
        state: 'created',
        health: null,
        pid: null,
        ip: null,
        ports: request.spec.ports,
        restarts: 0,
        exit_code: null,
        config_hash: request.configHash,
        started_at: null,
        finished_at: null,
      }
    );
  }

  /** Starting a pod means scaling its Deployment back up to the stack's replicas. */
  async start(name: string): Promise<void> {
    await this.scaleOwner(name, 'start');
  }

  /** Stopping a pod means scaling its Deployment to zero (a cluster would restart a lone pod). */
  async stop(name: string): Promise<void> {
    await this.scaleOwner(name, 'stop');
  }

  private async scaleOwner(name: string, action: 'start' | 'stop'): Promise<void> {
    const found = await this.locatePod(name);
    if (!found)
      throw new RuntimeError('KUBE_POD_NOT_FOUND', `no pod ${name}`, { hint: 'list pods with `kitten ps`' });
    const deploymentName = found.pod.metadata.labels?.[KUBE_LABELS.name];
    const deployment = deploymentName
      ? await this.cluster.read('apps/v1', 'Deployment', deploymentName, found.namespace)
      : null;
    if (!deployment)
      throw new RuntimeError('KUBE_NOT_SCALABLE', `pod ${name} does not belong to a Kitten Deployment`, {
        hint: 'Jobs run to completion; delete them with `kitten down`',
      });
    const current = Number(deployment.spec?.replicas ?? 1);
    const remembered = Number(annotation(deployment, ANNOTATIONS.stoppedReplicas) ?? 1) || 1;
    // A merge patch, not an apply: scaling is not part of the stack, and the next `up` restores it.
    await this.cluster.mergePatch('apps/v1', 'Deployment', deployment.metadata.name, found.namespace, {
      metadata: {
        annotations: {
          [ANNOTATIONS.stoppedReplicas]: action === 'stop' ? String(current || remembered) : null,
        },
      },
      spec: { replicas: action === 'stop' ? 0 : current > 0 ? current : remembered },
    });
  }

  async remove(name: string): Promise<void> {
    const found = await this.locatePod(name);
    if (found) await this.cluster.delete('v1', 'Pod', found.pod.metadata.name, found.namespace);
  }

  async close(): Promise<void> {
    this.podNamespaces.clear();
    await this.cluster.close();
  }

  // ----- TTL environments and connect -------------------------------------------------------

  /** Every Kitten project the credentials can see, with its expiry. */
  async expiries(): Promise<ProjectExpiry[]> {
    const selector = `${KUBE_LABELS.managedBy}=${MANAGED_BY}`;
    const namespace = this.options.namespace;
    const lists = await Promise.all([
      ...(namespace ? [] : [this.cluster.list('v1', 'Namespace', undefined, selector)]),
      ...PROJECT_KINDS.map(({ apiVersion, kind }) =>
        this.cluster.list(apiVersion, kind, namespace, selector),
      ),
    ]);
    return projectExpiries(lists.flat() as unknown as Record<string, unknown>[], this.now());
  }

  /** Deletes every expired project (or, with dryRun, only reports them). */
  async collectExpired(options: { dryRun: boolean; progress?: ProgressSink }): Promise<GcResult[]> {
    const progress = options.progress ?? (() => {});
    const results: GcResult[] = [];
    for (const project of await this.expiries()) {
      if (!project.expired) continue;
      if (!options.dryRun) {
        const scoped = new KubernetesRuntime({
          ...this.options,
          kubeConfig: this.kubeConfig,
          namespace: project.namespace,
        });
        const ns = await this.cluster.read('v1', 'Namespace', project.namespace);
        const owned =
          ns?.metadata.labels?.[KUBE_LABELS.partOf] === labelValue(project.project) &&
          ns.metadata.labels?.[KUBE_LABELS.managedBy] === MANAGED_BY;
        await scoped.removeStack(project.project, progress);
        if (owned) {
          await this.cluster.delete('v1', 'Namespace', project.namespace);
          await this.untilGone(
            [{ apiVersion: 'v1', kind: 'Namespace', name: project.namespace }],
            undefined,
            Date.now() + this.removeTimeoutMs,
            this.removeTimeoutMs,
          );
          progress({ resource: `namespace:${project.namespace}`, status: 'done', text: 'deleted' });
        }
      }
      results.push({ ...project, deleted: !options.dryRun });
    }
    return results;
  }

  async connections(
    project: string,
    service: string | undefined,
    kubectlFlags: string[],
  ): Promise<ServiceConnection[]> {
    const namespace = this.namespaceFor(project);
    const services = await this.cluster.list(
      'v1',
      'Service',
      namespace,
      projectSelector(labelValue(project)),
    );
    if (services.length === 0) {
      throw new RuntimeError(
        'KUBE_PROJECT_NOT_FOUND',
        `no services of project ${project} in namespace ${namespace}`,
        {
          hint: 'deploy it with `kitten up --runtime kubernetes`, or pass -n if it lives in another namespace',
        },
      );
    }
    const nodes = await this.cluster.list('v1', 'Node', undefined).catch(() => []);
    const all = describeConnections(
      services as unknown as Record<string, unknown>[],
      nodes as unknown as Record<string, unknown>[],
      { namespace, kubectlFlags },
    );
    if (!service) return all;
    const match = all.filter((c) => c.service === service || c.kubernetes_service === service);
    if (match.length === 0) {
      throw new UsageError(
        'KUBE_SERVICE_NOT_FOUND',
        `project ${project} has no service ${service} with ports`,
        {
          hint: `services with ports: ${all.map((c) => c.service).join(', ')}`,
        },
      );
    }
    return match;
  }
}
