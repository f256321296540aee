import type { ContainerState, ContainerStatus, HealthState } from '../types.js';
import { ANNOTATIONS, KUBE_LABELS } from './objects.js';

/**
 * Pods as `kitten ps` rows: the same ContainerStatus every runtime reports, one per pod (the
 * stack's container inside it; Kitten's wait-for init containers are not the user's containers).
 */
type Plain = Record<string, unknown>;

interface KubeContainerStatus {
  name?: string;
  ready?: boolean;
  restartCount?: number;
  state?: {
    running?: { startedAt?: string };
    waiting?: { reason?: string; message?: string };
    terminated?: { exitCode?: number; reason?: string; startedAt?: string; finishedAt?: string };
  };
}

function obj(value: unknown): Plain {
  return value && typeof value === 'object' ? (value as Plain) : {};
}

export function podService(pod: Plain): string {
  const meta = obj(pod.metadata);
  const annotations = obj(meta.annotations) as Record<string, string>;
  const labels = obj(meta.labels) as Record<string, string>;
  return annotations[ANNOTATIONS.service] ?? labels[KUBE_LABELS.name] ?? '';
}

/** The reason a pod is not running as wanted (CrashLoopBackOff, ImagePullBackOff), if any. */
export function podProblem(pod: Plain): string | null {
  const status = obj(pod.status);
  const all = [
    ...((status.initContainerStatuses as KubeContainerStatus[] | undefined) ?? []),
    ...((status.containerStatuses as KubeContainerStatus[] | undefined) ?? []),
  ];
  for (const c of all) {
    const waiting = c.state?.waiting;
    if (waiting?.reason && waiting.reason !== 'ContainerCreating' && waiting.reason !== 'PodInitializing') {
      return `${waiting.reason}${waiting.message ? `: ${waiting.message}` : ''}`;
    }
    const terminated = c.state?.terminated;
    if (terminated && terminated.exitCode !== 0 && terminated.reason)
      return `${terminated.reason} (exit ${terminated.exitCode})`;
  }
  const conditions =
    (status.conditions as
      | { type?: string; status?: string; reason?: string; message?: string }[]
      | undefined) ?? [];
  const unschedulable = conditions.find((c) => c.type === 'PodScheduled' && c.status === 'False');
  if (unschedulable)
    return `${unschedulable.reason ?? 'Unschedulable'}${unschedulable.message ? `: ${unschedulable.message}` : ''}`;
  return null;
}

export function podToStatus(pod: Plain, project: string, replica: number): ContainerStatus {
  const meta = obj(pod.metadata);
  const spec = obj(pod.spec);
  const status = obj(pod.status);
  const annotations = obj(meta.annotations) as Record<string, string>;
  const service = podService(pod);
  const containers = (spec.containers as Plain[] | undefined) ?? [];
  const main = containers[0] ?? {};
  const statuses = (status.containerStatuses as KubeContainerStatus[] | undefined) ?? [];
  const mainStatus = statuses.find((s) => s.name === main.name) ?? statuses[0];
  const phase = String(status.phase ?? 'Pending');
  let state: ContainerState = 'created';
  if (meta.deletionTimestamp) state = 'exited';
  else if (mainStatus?.state?.running) state = 'running';
  else if (mainStatus?.state?.waiting?.reason === 'CrashLoopBackOff') state = 'restarting';
  else if (mainStatus?.state?.terminated || phase === 'Succeeded' || phase === 'Failed') state = 'exited';
  const hasProbe = Boolean(main.readinessProbe);
  let health: HealthState | null = null;
  if (hasProbe && state === 'running') health = mainStatus?.ready ? 'healthy' : 'starting';
  if (hasProbe && state === 'restarting') health = 'unhealthy';
  const terminated = mainStatus?.state?.terminated;
  const ports = ((main.ports as { containerPort?: number; protocol?: string }[] | undefined) ?? []).map(
    (p) => ({
      host: null,
      container: Number(p.containerPort),
      protocol: (p.protocol ?? 'TCP').toLowerCase() === 'udp' ? ('udp' as const) : ('tcp' as const),
      host_ip: null,
    }),
  );
  return {
    name: String(meta.name ?? ''),
    project,
    service,
    replica,
    image: String(main.image ?? ''),
    state,
    health,
    pid: null,
    ip: typeof status.podIP === 'string' ? status.podIP : null,
    ports,
    restarts: statuses.reduce((sum, s) => sum + (s.restartCount ?? 0), 0),
    exit_code: terminated?.exitCode ?? null,
    config_hash: annotations['dev.kitten.config-hash'] ?? '',
    started_at:
      mainStatus?.state?.running?.startedAt ??
      terminated?.startedAt ??
      (typeof status.startTime === 'string' ? status.startTime : null),
    finished_at: terminated?.finishedAt ?? null,
  };
}

/** Rows for a project's pods: grouped by service, numbered 1.. within a service by pod name. */
export function podsToStatuses(pods: Plain[], project: string): ContainerStatus[] {
  const byService = new Map<string, Plain[]>();
  for (const pod of pods) {
    const service = podService(pod);
    byService.set(service, [...(byService.get(service) ?? []), pod]);
  }
  const rows: ContainerStatus[] = [];
  for (const service of [...byService.keys()].sort()) {
    const list = byService
      .get(service)!
      .sort((a, b) => String(obj(a.metadata).name).localeCompare(String(obj(b.metadata).name)));
    list.forEach((pod, i) => {
      rows.push(podToStatus(pod, project, i + 1));
    });
  }
  return rows;
}
