import { UsageError } from '../errors.js';
import { ageOf } from './age.js';
import type {
  CronJob,
  DaemonSetStatus,
  HorizontalPodAutoscaler,
  Ingress,
  Job,
  K8sgptResult,
  KubeEvent,
  KubeObject,
  NetworkPolicy,
  NodeObject,
  PersistentVolumeClaim,
  Pod,
  PodDisruptionBudget,
  Secret,
  Service,
  Workload,
} from './objects.js';
import { podReadyText, podRestartsText, podStatusText } from './pod-status.js';
import { selectorText } from './selectors.js';

/**
 * One registry of resource kinds (as k9s keeps one): names and aliases, the columns kubectl
 * users expect, and what a person can do with an object of that kind. `codex resources`, the
 * TUI's tabs and the ask context all read it; unknown kinds fall back to NAME/AGE.
 */
export type Capability = 'loggable' | 'scalable' | 'restartable' | 'describable' | 'deletable';

export interface ResourceColumn {
  header: string;
  /** Shown only with `-o wide`. */
  wide?: boolean;
  value: (object: KubeObject, now: Date) => string;
}

export interface ResourceKind {
  kind: string;
  /** Lower-case plural, as `kubectl get` takes it: `pods`. */
  plural: string;
  singular: string;
  shortNames: string[];
  /** API group ('' for core) and version. */
  group: string;
  version: string;
  namespaced: boolean;
  columns: ResourceColumn[];
  capabilities: Capability[];
}

const age: ResourceColumn = { header: 'AGE', value: (o, now) => ageOf(o.metadata.creationTimestamp, now) };
const num = (n: number | undefined) => String(n ?? 0);
const none = (text: string | undefined) => (text && text.length > 0 ? text : '<none>');

function containersOf(o: Workload): string {
  return (o.spec?.template?.spec.containers ?? []).map((c) => c.name).join(',');
}
function imagesOf(o: Workload): string {
  return (o.spec?.template?.spec.containers ?? []).map((c) => c.image ?? '').join(',');
}

function nodeStatus(node: NodeObject): string {
  const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
  let text = ready?.status === 'True' ? 'Ready' : ready ? 'NotReady' : 'Unknown';
  if (node.spec?.unschedulable) text += ',SchedulingDisabled';
  return text;
}

function nodeRoles(node: NodeObject): string {
  const roles = Object.keys(node.metadata.labels ?? {})
    .filter((l) => l.startsWith('node-role.kubernetes.io/'))
    .map((l) => l.slice('node-role.kubernetes.io/'.length))
    .filter((r) => r.length > 0);
  return roles.length > 0 ? roles.sort().join(',') : '<none>';
}

function servicePorts(svc: Service): string {
  const ports = svc.spec?.ports ?? [];
  if (ports.length === 0) return '<none>';
  return ports.map((p) => `${p.port}${p.nodePort ? `:${p.nodePort}` : ''}/${p.protocol ?? 'TCP'}`).join(',');
}

function externalIp(svc: Service): string {
  const type = svc.spec?.type ?? 'ClusterIP';
  const lb = (svc.status?.loadBalancer?.ingress ?? []).map((i) => i.ip ?? i.hostname ?? '').filter(Boolean);
  const external = [...(svc.spec?.externalIPs ?? []), ...lb];
  if (type === 'ExternalName') return svc.spec?.externalName ?? '<none>';
  if (type === 'LoadBalancer') return external.length > 0 ? external.join(',') : '<pending>';
  return external.length > 0 ? external.join(',') : '<none>';
}

function jobStatus(job: Job): string {
  const conditions = job.status?.conditions ?? [];
  const is = (type: string) => conditions.some((c) => c.type === type && c.status === 'True');
  if (is('Failed')) return 'Failed';
  if (is('Complete')) return 'Complete';
  if (job.spec?.suspend || is('Suspended')) return 'Suspended';
  return 'Running';
}

function jobDuration(job: Job, now: Date): string {
  const start = job.status?.startTime;
  if (!start) return '';
  const end = job.status?.completionTime;
  return ageOf(start, end ? new Date(end) : now);
}

function hpaTargets(hpa: HorizontalPodAutoscaler): string {
  const metrics = hpa.spec?.metrics ?? [];
  if (metrics.length === 0) return '<none>';
  return metrics
    .map((m, i) => {
      const target = m.resource?.target?.averageUtilization;
      const current = hpa.status?.currentMetrics?.[i]?.resource?.current?.averageUtilization;
      return `${m.resource?.name ?? m.type}: ${current === undefined ? '<unknown>' : `${current}%`}/${target ?? '?'}%`;
    })
    .join(', ');
}

function eventLastSeen(event: KubeEvent, now: Date): string {
  return ageOf(
    event.lastTimestamp ?? event.eventTime ?? event.firstTimestamp ?? event.metadata.creationTimestamp,
    now,
  );
}

const kinds: ResourceKind[] = [
  {
    kind: 'Pod',
    plural: 'pods',
    singular: 'pod',
    shortNames: ['po'],
    group: '',
    version: 'v1',
    namespaced: true,
    capabilities: ['loggable', 'describable', 'deletable'],
    columns: [
      { header: 'READY', value: (o) => podReadyText(o as Pod) },
      { header: 'STATUS', value: (o) => podStatusText(o as Pod) },
      { header: 'RESTARTS', value: (o, now) => podRestartsText(o as Pod, now) },
      age,
      { header: 'IP', wide: true, value: (o) => none((o as Pod).status?.podIP) },
      { header: 'NODE', wide: true, value: (o) => none((o as Pod).spec?.nodeName) },
    ],
  },
  {
    kind: 'Deployment',
    plural: 'deployments',
    singular: 'deployment',
    shortNames: ['deploy'],
    group: 'apps',
    version: 'v1',
    namespaced: true,
    capabilities: ['loggable', 'scalable', 'restartable', 'describable', 'deletable'],
    columns: [
      {
        header: 'READY',
        value: (o) =>
          `${num((o as Workload).status?.readyReplicas)}/${num((o as Workload).spec?.replicas ?? 1)}`,
      },
      { header: 'UP-TO-DATE', value: (o) => num((o as Workload).status?.updatedReplicas) },
      { header: 'AVAILABLE', value: (o) => num((o as Workload).status?.availableReplicas) },
      age,
      { header: 'CONTAINERS', wide: true, value: (o) => containersOf(o as Workload) },
      { header: 'IMAGES', wide: true, value: (o) => imagesOf(o as Workload) },
      { header: 'SELECTOR', wide: true, value: (o) => selectorText((o as Workload).spec?.selector) },
    ],
  },
  {
    kind: 'StatefulSet',
    plural: 'statefulsets',
    singular: 'statefulset',
    shortNames: ['sts'],
    group: 'apps',
    version: 'v1',
    namespaced: true,
    capabilities: ['loggable', 'scalable', 'restartable', 'describable', 'deletable'],
    columns: [
      {
        header: 'READY',
        value: (o) =>
          `${num((o as Workload).status?.readyReplicas)}/${num((o as Workload).spec?.replicas ?? 1)}`,
      },
      age,
      { header: 'CONTAINERS', wide: true, value: (o) => containersOf(o as Workload) },
      { header: 'IMAGES', wide: true, value: (o) => imagesOf(o as Workload) },
    ],
  },
  {
    kind: 'ReplicaSet',
    plural: 'replicasets',
    singular: 'replicaset',
    shortNames: ['rs'],
    group: 'apps',
    version: 'v1',
    namespaced: true,
    capabilities: ['loggable', 'scalable', 'describable', 'deletable'],
    columns: [
      { header: 'DESIRED', value: (o) => num((o as Workload).spec?.replicas ?? 1) },
      { header: 'CURRENT', value: (o) => num((o as Workload).status?.replicas) },
      { header: 'READY', value: (o) => num((o as Workload).status?.readyReplicas) },
      age,
      { header: 'CONTAINERS', wide: true, value: (o) => containersOf(o as Workload) },
      { header: 'IMAGES', wide: true, value: (o) => imagesOf(o as Workload) },
    ],
  },
  {
    kind: 'DaemonSet',
    plural: 'daemonsets',
    singular: 'daemonset',
    shortNames: ['ds'],
    group: 'apps',
    version: 'v1',
    namespaced: true,
    capabilities: ['loggable', 'restartable', 'describable', 'deletable'],
    columns: [
      { header: 'DESIRED', value: (o) => num((o.status as DaemonSetStatus)?.desiredNumberScheduled) },
      { header: 'CURRENT', value: (o) => num((o.status as DaemonSetStatus)?.currentNumberScheduled) },
      { header: 'READY', value: (o) => num((o.status as DaemonSetStatus)?.numberReady) },
      { header: 'UP-TO-DATE', value: (o) => num((o.status as DaemonSetStatus)?.updatedNumberScheduled) },
      { header: 'AVAILABLE', value: (o) => num((o.status as DaemonSetStatus)?.numberAvailable) },
      age,
    ],
  },
  {
    kind: 'Service',
    plural: 'services',
    singular: 'service',
    shortNames: ['svc'],
    group: '',
    version: 'v1',
    namespaced: true,
    capabilities: ['describable', 'deletable'],
    columns: [
      { header: 'TYPE', value: (o) => (o as Service).spec?.type ?? 'ClusterIP' },
      { header: 'CLUSTER-IP', value: (o) => none((o as Service).spec?.clusterIP) },
      { header: 'EXTERNAL-IP', value: (o) => externalIp(o as Service) },
      { header: 'PORT(S)', value: (o) => servicePorts(o as Service) },
      age,
      { header: 'SELECTOR', wide: true, value: (o) => selectorText((o as Service).spec?.selector) },
    ],
  },
  {
    kind: 'Endpoints',
    plural: 'endpoints',
    singular: 'endpoints',
    shortNames: ['ep'],
    group: '',
    version: 'v1',
    namespaced: true,
    capabilities: ['describable'],
    columns: [
      {
        header: 'ENDPOINTS',
        value: (o) => {
          const subsets = (o.subsets ?? []) as { addresses?: { ip: string }[]; ports?: { port: number }[] }[];
          const list = subsets.flatMap((s) =>
            (s.addresses ?? []).flatMap((a) => (s.ports ?? [{ port: 0 }]).map((p) => `${a.ip}:${p.port}`)),
          );
          return list.length === 0
            ? '<none>'
            : list.length > 3
              ? `${list.slice(0, 3).join(',')} + ${list.length - 3} more...`
              : list.join(',');
        },
      },
      age,
    ],
  },
  {
    kind: 'Ingress',
    plural: 'ingresses',
    singular: 'ingress',
    shortNames: ['ing'],
    group: 'networking.k8s.io',
    version: 'v1',
    namespaced: true,
    capabilities: ['describable', 'deletable'],
    columns: [
      { header: 'CLASS', value: (o) => none((o as Ingress).spec?.ingressClassName) },
      {
        header: 'HOSTS',
        value: (o) => (o as Ingress).spec?.rules?.map((r) => r.host ?? '*').join(',') || '*',
      },
      {
        header: 'ADDRESS',
        value: (o) =>
          ((o as Ingress).status?.loadBalancer?.ingress ?? []).map((i) => i.ip ?? i.hostname ?? '').join(','),
      },
      { header: 'PORTS', value: (o) => ((o as Ingress).spec?.tls?.length ? '80, 443' : '80') },
      age,
    ],
  },
  {
    kind: 'PersistentVolumeClaim',
    plural: 'persistentvolumeclaims',
    singular: 'persistentvolumeclaim',
    shortNames: ['pvc'],
    group: '',
    version: 'v1',
    namespaced: true,
    capabilities: ['describable', 'deletable'],
    columns: [
      { header: 'STATUS', value: (o) => (o as PersistentVolumeClaim).status?.phase ?? 'Pending' },
      { header: 'VOLUME', value: (o) => (o as PersistentVolumeClaim).spec?.volumeName ?? '' },
      { header: 'CAPACITY', value: (o) => (o as PersistentVolumeClaim).status?.capacity?.storage ?? '' },
      {
        header: 'ACCESS MODES',
        value: (o) =>
          ((o as PersistentVolumeClaim).status?.accessModes ?? [])
            .map(
              (m) =>
                ({
                  ReadWriteOnce: 'RWO',
                  ReadOnlyMany: 'ROX',
                  ReadWriteMany: 'RWX',
                  ReadWriteOncePod: 'RWOP',
                })[m] ?? m,
            )
            .join(','),
      },
      { header: 'STORAGECLASS', value: (o) => none((o as PersistentVolumeClaim).spec?.storageClassName) },
      age,
    ],
  },
  {
    kind: 'Node',
    plural: 'nodes',
    singular: 'node',
    shortNames: ['no'],
    group: '',
    version: 'v1',
    namespaced: false,
    capabilities: ['describable'],
    columns: [
      { header: 'STATUS', value: (o) => nodeStatus(o as NodeObject) },
      { header: 'ROLES', value: (o) => nodeRoles(o as NodeObject) },
      age,
      { header: 'VERSION', value: (o) => (o as NodeObject).status?.nodeInfo?.kubeletVersion ?? '' },
      {
        header: 'INTERNAL-IP',
        wide: true,
        value: (o) =>
          none((o as NodeObject).status?.addresses?.find((a) => a.type === 'InternalIP')?.address),
      },
      { header: 'OS-IMAGE', wide: true, value: (o) => (o as NodeObject).status?.nodeInfo?.osImage ?? '' },
      {
        header: 'KERNEL-VERSION',
        wide: true,
        value: (o) => (o as NodeObject).status?.nodeInfo?.kernelVersion ?? '',
      },
      {
        header: 'CONTAINER-RUNTIME',
        wide: true,
        value: (o) => (o as NodeObject).status?.nodeInfo?.containerRuntimeVersion ?? '',
      },
    ],
  },
  {
    kind: 'Job',
    plural: 'jobs',
    singular: 'job',
    shortNames: [],
    group: 'batch',
    version: 'v1',
    namespaced: true,
    capabilities: ['loggable', 'describable', 'deletable'],
    columns: [
      { header: 'STATUS', value: (o) => jobStatus(o as Job) },
      {
        header: 'COMPLETIONS',
        value: (o) => `${num((o as Job).status?.succeeded)}/${num((o as Job).spec?.completions ?? 1)}`,
      },
      { header: 'DURATION', value: (o, now) => jobDuration(o as Job, now) },
      age,
    ],
  },
  {
    kind: 'CronJob',
    plural: 'cronjobs',
    singular: 'cronjob',
    shortNames: ['cj'],
    group: 'batch',
    version: 'v1',
    namespaced: true,
    capabilities: ['describable', 'deletable'],
    columns: [
      { header: 'SCHEDULE', value: (o) => (o as CronJob).spec?.schedule ?? '' },
      { header: 'TIMEZONE', value: (o) => none((o as CronJob).spec?.timeZone) },
      { header: 'SUSPEND', value: (o) => ((o as CronJob).spec?.suspend ? 'True' : 'False') },
      { header: 'ACTIVE', value: (o) => String((o as CronJob).status?.active?.length ?? 0) },
      {
        header: 'LAST SCHEDULE',
        value: (o, now) =>
          (o as CronJob).status?.lastScheduleTime
            ? ageOf((o as CronJob).status?.lastScheduleTime, now)
            : '<none>',
      },
      age,
    ],
  },
  {
    kind: 'HorizontalPodAutoscaler',
    plural: 'horizontalpodautoscalers',
    singular: 'horizontalpodautoscaler',
    shortNames: ['hpa'],
    group: 'autoscaling',
    version: 'v2',
    namespaced: true,
    capabilities: ['describable', 'deletable'],
    columns: [
      {
        header: 'REFERENCE',
        value: (o) => {
          const ref = (o as HorizontalPodAutoscaler).spec?.scaleTargetRef;
          return ref ? `${ref.kind}/${ref.name}` : '';
        },
      },
      { header: 'TARGETS', value: (o) => hpaTargets(o as HorizontalPodAutoscaler) },
      { header: 'MINPODS', value: (o) => String((o as HorizontalPodAutoscaler).spec?.minReplicas ?? 1) },
      { header: 'MAXPODS', value: (o) => String((o as HorizontalPodAutoscaler).spec?.maxReplicas ?? '') },
      { header: 'REPLICAS', value: (o) => num((o as HorizontalPodAutoscaler).status?.currentReplicas) },
      age,
    ],
  },
  {
    kind: 'PodDisruptionBudget',
    plural: 'poddisruptionbudgets',
    singular: 'poddisruptionbudget',
    shortNames: ['pdb'],
    group: 'policy',
    version: 'v1',
    namespaced: true,
    capabilities: ['describable', 'deletable'],
    columns: [
      {
        header: 'MIN AVAILABLE',
        value: (o) => String((o as PodDisruptionBudget).spec?.minAvailable ?? 'N/A'),
      },
      {
        header: 'MAX UNAVAILABLE',
        value: (o) => String((o as PodDisruptionBudget).spec?.maxUnavailable ?? 'N/A'),
      },
      {
        header: 'ALLOWED DISRUPTIONS',
        value: (o) => num((o as PodDisruptionBudget).status?.disruptionsAllowed),
      },
      age,
    ],
  },
  {
    kind: 'NetworkPolicy',
    plural: 'networkpolicies',
    singular: 'networkpolicy',
    shortNames: ['netpol'],
    group: 'networking.k8s.io',
    version: 'v1',
    namespaced: true,
    capabilities: ['describable', 'deletable'],
    columns: [
      {
        header: 'POD-SELECTOR',
        value: (o) => selectorText((o as NetworkPolicy).spec?.podSelector).replace('<none>', ''),
      },
      age,
    ],
  },
  {
    kind: 'ConfigMap',
    plural: 'configmaps',
    singular: 'configmap',
    shortNames: ['cm'],
    group: '',
    version: 'v1',
    namespaced: true,
    capabilities: ['describable', 'deletable'],
    columns: [
      {
        header: 'DATA',
        value: (o) =>
          String(
            Object.keys((o.data as object) ?? {}).length + Object.keys((o.binaryData as object) ?? {}).length,
          ),
      },
      age,
    ],
  },
  {
    kind: 'Secret',
    plural: 'secrets',
    singular: 'secret',
    shortNames: [],
    group: '',
    version: 'v1',
    namespaced: true,
    capabilities: ['describable', 'deletable'],
    columns: [
      { header: 'TYPE', value: (o) => (o as Secret).type ?? 'Opaque' },
      { header: 'DATA', value: (o) => String(Object.keys((o as Secret).data ?? {}).length) },
      age,
    ],
  },
  {
    kind: 'Event',
    plural: 'events',
    singular: 'event',
    shortNames: ['ev'],
    group: '',
    version: 'v1',
    namespaced: true,
    capabilities: [],
    columns: [
      { header: 'LAST SEEN', value: (o, now) => eventLastSeen(o as KubeEvent, now) },
      { header: 'TYPE', value: (o) => (o as KubeEvent).type ?? '' },
      { header: 'REASON', value: (o) => (o as KubeEvent).reason ?? '' },
      {
        header: 'OBJECT',
        value: (o) => {
          const io = (o as KubeEvent).involvedObject;
          return io ? `${(io.kind ?? '').toLowerCase()}/${io.name ?? ''}` : '';
        },
      },
      { header: 'MESSAGE', value: (o) => ((o as KubeEvent).message ?? '').replace(/\s+/g, ' ') },
    ],
  },
  {
    kind: 'Namespace',
    plural: 'namespaces',
    singular: 'namespace',
    shortNames: ['ns'],
    group: '',
    version: 'v1',
    namespaced: false,
    capabilities: ['describable'],
    columns: [{ header: 'STATUS', value: (o) => (o.status as { phase?: string })?.phase ?? 'Active' }, age],
  },
  {
    kind: 'Result',
    plural: 'results',
    singular: 'result',
    shortNames: [],
    group: 'core.k8sgpt.ai',
    version: 'v1alpha1',
    namespaced: true,
    capabilities: ['describable', 'deletable'],
    columns: [
      { header: 'KIND', value: (o) => (o as K8sgptResult).spec?.kind ?? '' },
      { header: 'OBJECT', value: (o) => (o as K8sgptResult).spec?.name ?? '' },
      { header: 'BACKEND', value: (o) => (o as K8sgptResult).spec?.backend ?? '' },
      age,
    ],
  },
];

const genericColumns: ResourceColumn[] = [age];

/** Every kind the registry knows, in the order the TUI shows its tabs. */
export const resourceKinds: readonly ResourceKind[] = kinds;

const byName = new Map<string, ResourceKind>();
function index(def: ResourceKind): void {
  for (const name of [def.kind.toLowerCase(), def.plural, def.singular, ...def.shortNames])
    byName.set(name, def);
  if (def.group) byName.set(`${def.plural}.${def.group}`, def);
}
kinds.forEach(index);

/** Adds a kind (a CRD a plugin knows how to show); a later registration of the same kind replaces it. */
export function registerResourceKind(def: ResourceKind): void {
  const at = kinds.findIndex((k) => k.kind === def.kind);
  if (at >= 0) kinds[at] = def;
  else kinds.push(def);
  index(def);
}

export function findKind(name: string): ResourceKind | undefined {
  return byName.get(name.toLowerCase());
}

/** `po`, `pods`, `Pod`, `deploy`, `deployments.apps` → the registered kind, or a usage error naming the choices. */
export function resolveKind(name: string): ResourceKind {
  const found = findKind(name);
  if (found) return found;
  throw new UsageError('UNKNOWN_KIND', `unknown resource kind "${name}"`, {
    hint: `known kinds: ${kinds.map((k) => (k.shortNames[0] ? `${k.plural} (${k.shortNames[0]})` : k.plural)).join(', ')}`,
  });
}

export function hasCapability(kind: string, capability: Capability): boolean {
  return findKind(kind)?.capabilities.includes(capability) ?? false;
}

export interface ColumnHeader {
  header: string;
  wide: boolean;
}

export interface RowOptions {
  now: Date;
  /** Prefix a NAMESPACE column, as `kubectl get -A` does. */
  allNamespaces?: boolean;
  wide?: boolean;
}

function columnDefs(kind: string): ResourceColumn[] {
  return findKind(kind)?.columns ?? genericColumns;
}

/** Headers in display order, NAMESPACE and NAME included. */
export function columnsFor(
  kind: string,
  options: { allNamespaces?: boolean; wide?: boolean } = {},
): ColumnHeader[] {
  const namespaced = findKind(kind)?.namespaced ?? true;
  const head: ColumnHeader[] = [];
  if (options.allNamespaces && namespaced) head.push({ header: 'NAMESPACE', wide: false });
  head.push({ header: 'NAME', wide: false });
  return [
    ...head,
    ...columnDefs(kind)
      .filter((c) => options.wide || !c.wide)
      .map((c) => ({ header: c.header, wide: c.wide ?? false })),
  ];
}

export interface ResourceRow {
  kind: string;
  namespace: string;
  name: string;
  /** One cell per header of `columnsFor(kind, same options)`. */
  cells: string[];
  object: KubeObject;
}

export function rowsFor(kind: string, objects: readonly KubeObject[], options: RowOptions): ResourceRow[] {
  const namespaced = findKind(kind)?.namespaced ?? true;
  const columns = columnDefs(kind).filter((c) => options.wide || !c.wide);
  const rows = objects.map((object) => {
    const cells: string[] = [];
    if (options.allNamespaces && namespaced) cells.push(object.metadata.namespace ?? '');
    cells.push(object.metadata.name);
    for (const c of columns) cells.push(c.value(object, options.now));
    return { kind, namespace: object.metadata.namespace ?? '', name: object.metadata.name, cells, object };
  });
  if (kind === 'Event') {
    // Events read as a timeline, as with `kubectl get events --sort-by=.lastTimestamp`.
    const at = (o: KubeObject) => {
      const e = o as KubeEvent;
      return e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp ?? e.metadata.creationTimestamp ?? '';
    };
    return rows.sort((a, b) => at(a.object).localeCompare(at(b.object)));
  }
  return rows.sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name));
}
