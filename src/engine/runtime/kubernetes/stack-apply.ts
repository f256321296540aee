import { RuntimeError } from '../../errors.js';
import type { ProgressSink } from '../../progress.js';
import type { Stack } from '../../stack/model.js';
import type { StackDeployOptions } from '../types.js';
import type { KubeCluster, ListedObject } from './cluster.js';
import { labelValue } from './names.js';
import { ANNOTATIONS, KUBE_LABELS, type KubeObject, MANAGED_BY, projectSelector } from './objects.js';
import { podProblem, podService } from './pod-status.js';
import { type RolloutState, workloadRollout } from './rollout.js';
import type { Translation } from './translate.js';

/**
 * Putting a translated stack on a cluster and taking it off again: server-side apply in
 * dependency order with Job completions honoured, rollout waits with progress, deletion by label
 * that waits until everything (pods included) is gone.
 */
export interface ApplySettings {
  pollMs: number;
  concurrency: number;
  removeTimeoutMs: number;
}

/** Kinds a project is made of, in the order `down` removes them (workloads first, then what routed to them). */
export const PROJECT_KINDS: { apiVersion: string; kind: string }[] = [
  { apiVersion: 'apps/v1', kind: 'Deployment' },
  { apiVersion: 'batch/v1', kind: 'Job' },
  { apiVersion: 'v1', kind: 'Service' },
  { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy' },
];

const WORKLOAD_KINDS = new Set(['Deployment', 'Job']);

export async function eachLimited<T>(
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

export function resourceKey(o: { kind?: string; metadata?: { name?: string } }): string {
  return `${String(o.kind).toLowerCase()}:${o.metadata?.name ?? ''}`;
}

export function annotation(o: ListedObject, key: string): string | undefined {
  return o.metadata.annotations?.[key];
}

export class StackApplier {
  constructor(
    private readonly cluster: KubeCluster,
    private readonly settings: ApplySettings,
  ) {}

  private get pollMs(): number {
    return this.settings.pollMs;
  }

  private get concurrency(): number {
    return this.settings.concurrency;
  }

  private get removeTimeoutMs(): number {
    return this.settings.removeTimeoutMs;
  }

  /** Applies a translation: namespace, then routing, then workloads level by level; then waits. */
  async deploy(
    stack: Stack,
    translation: Translation,
    options: StackDeployOptions,
    progress: ProgressSink,
  ): Promise<void> {
    const namespace = translation.namespace;
    const deadline = Date.now() + options.timeoutMs;
    // Progress is about cluster objects: a stack service's lines go under its workload.
    const workloadOf = new Map(
      translation.services.map((p) => [p.service, `${p.workload.toLowerCase()}:${p.name}`]),
    );
    for (const w of translation.warnings) {
      progress({
        resource: (w.service && workloadOf.get(w.service)) || `project:${stack.project}`,
        status: 'warning',
        text: `${w.path}: ${w.message}`,
      });
    }
    const before = await this.existing(stack.project, namespace);
    try {
      await this.applyAll(stack, translation, options, progress, deadline);
    } catch (error) {
      // The API refused part of the stack: take back what this run created, so nothing is left
      // half-made. A rollout that did not finish is left standing for inspection.
      const refused = error instanceof RuntimeError && !/^KUBE_ROLLOUT_/.test(error.code);
      if (refused) await this.rollBack(translation, before, progress);
      throw error;
    }
  }

  /** What of this project (and its namespace) exists before an apply, as `Kind/name`. */
  private async existing(project: string, namespace: string): Promise<Set<string>> {
    const found = new Set<string>();
    if (await this.cluster.read('v1', 'Namespace', namespace)) found.add(`Namespace/${namespace}`);
    else return found;
    for (const { apiVersion, kind } of PROJECT_KINDS) {
      for (const item of await this.cluster.list(
        apiVersion,
        kind,
        namespace,
        projectSelector(labelValue(project)),
      )) {
        found.add(`${kind}/${item.metadata.name}`);
      }
    }
    return found;
  }

  private async rollBack(
    translation: Translation,
    before: Set<string>,
    progress: ProgressSink,
  ): Promise<void> {
    const created = translation.objects.filter((o) => !before.has(`${o.kind}/${o.metadata.name}`)).reverse();
    for (const object of created) {
      try {
        if (
          await this.cluster.delete(
            object.apiVersion,
            object.kind,
            object.metadata.name,
            object.metadata.namespace,
          )
        ) {
          progress({ resource: resourceKey(object), status: 'done', text: 'removed (up failed)' });
        }
      } catch (error) {
        progress({
          resource: resourceKey(object),
          status: 'warning',
          text: `could not remove after the failure: ${(error as Error).message}`,
        });
      }
    }
  }

  private async applyAll(
    stack: Stack,
    translation: Translation,
    options: StackDeployOptions,
    progress: ProgressSink,
    deadline: number,
  ): Promise<void> {
    const namespace = translation.namespace;
    const workloadOf = new Map(
      translation.services.map((p) => [p.service, `${p.workload.toLowerCase()}:${p.name}`]),
    );
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
        progress({ resource: workloadOf.get(plan.service)!, status: 'done', text: note });
    }
    if (options.removeOrphans)
      await this.removeOrphans(stack.project, namespace, translation.objects, progress);
    if (options.wait) await this.awaitRollout(namespace, workloads, deadline, options.timeoutMs, progress);
  }

  /** Deletes a project's objects by label, waits until they and their pods are gone, then its own namespace. */
  async remove(project: string, namespace: string, progress: ProgressSink): Promise<void> {
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
  async untilGone(
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
}
