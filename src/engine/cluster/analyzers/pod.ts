import type { Finding, Severity } from '../issue.js';
import type { Container, ContainerStatus, Pod } from '../objects.js';
import { conditionOf } from '../objects.js';
import { latestEvent, topOwner } from '../relations.js';
import type { ClusterSnapshot } from '../snapshot.js';
import type { Analyzer, AnalyzerResult } from './analyzer.js';

const imagePullReasons = new Set([
  'ImagePullBackOff',
  'ErrImagePull',
  'InvalidImageName',
  'ErrImageNeverPull',
]);
const cannotRunReasons = new Set([
  'CreateContainerError',
  'RunContainerError',
  'StartError',
  'ContainerCannotRun',
]);
/** A container that has run this long without becoming ready is failing its probe, not starting. */
const readinessGraceMs = 60_000;

function containerSpec(pod: Pod, name: string): Container | undefined {
  return [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])].find((c) => c.name === name);
}

function memoryLimit(pod: Pod, name: string): string | undefined {
  return containerSpec(pod, name)?.resources?.limits?.memory;
}

/** `secret "cart-db" not found` / `couldn't find key DB_PASSWORD in Secret shop/cart-db` → facts. */
export function parseConfigError(message: string): Record<string, string> {
  const missingObject = /(configmap|secret) "([^"]+)" not found/i.exec(message);
  if (missingObject) {
    return {
      refKind: missingObject[1]?.toLowerCase() === 'secret' ? 'Secret' : 'ConfigMap',
      refName: missingObject[2] ?? '',
    };
  }
  const missingKey = /couldn't find key (\S+) in (ConfigMap|Secret) (?:([^/\s]+)\/)?(\S+)/i.exec(message);
  if (missingKey) {
    return {
      refKind: missingKey[2]?.toLowerCase() === 'secret' ? 'Secret' : 'ConfigMap',
      refName: missingKey[4] ?? '',
      key: missingKey[1] ?? '',
    };
  }
  return {};
}

function containerFindings(pod: Pod, cs: ContainerStatus, snapshot: ClusterSnapshot, now: Date): Finding[] {
  const waiting = cs.state?.waiting;
  const terminated = cs.state?.terminated;
  const last = cs.lastState?.terminated;
  const image = cs.image ?? containerSpec(pod, cs.name)?.image ?? '';
  const base = { container: cs.name, image, restarts: cs.restartCount ?? 0 };

  if (waiting?.reason === 'CrashLoopBackOff') {
    if (last?.reason === 'OOMKilled') {
      const limit = memoryLimit(pod, cs.name);
      return [
        {
          mode: 'OOMKilled',
          text: `container ${cs.name} was OOMKilled (exit code ${last.exitCode}) ${cs.restartCount} times${limit ? ` with a memory limit of ${limit}` : ''} and is in CrashLoopBackOff`,
          facts: { ...base, exitCode: last.exitCode, ...(limit ? { memoryLimit: limit } : {}) },
        },
      ];
    }
    const reason = last?.reason ?? 'Error';
    const exit = last?.exitCode;
    const lastMessage = last?.message?.trim().split('\n').pop();
    return [
      {
        mode: 'CrashLoopBackOff',
        text: `container ${cs.name} is in CrashLoopBackOff: last termination reason ${reason}${exit === undefined ? '' : `, exit code ${exit}`}, ${cs.restartCount} restarts${lastMessage ? `: ${lastMessage}` : ''}`,
        facts: {
          ...base,
          lastReason: reason,
          ...(exit === undefined ? {} : { exitCode: exit }),
          ...(lastMessage ? { lastMessage } : {}),
        },
      },
    ];
  }
  if (waiting?.reason && imagePullReasons.has(waiting.reason)) {
    // The waiting message only says "Back-off pulling image"; the kubelet's Failed event says why.
    const event = latestEvent(snapshot, pod, ['Failed']);
    const detail = event?.message?.includes(image)
      ? event.message
      : (waiting.message ?? event?.message ?? '');
    return [
      {
        mode: 'ImagePullBackOff',
        text: `container ${cs.name} cannot pull image ${image} (${waiting.reason})${detail ? `: ${detail}` : ''}`,
        facts: { ...base, reason: waiting.reason, ...(detail ? { message: detail } : {}) },
      },
    ];
  }
  if (waiting?.reason === 'CreateContainerConfigError') {
    const message = waiting.message ?? '';
    return [
      {
        mode: 'CreateContainerConfigError',
        text: `container ${cs.name} cannot start (CreateContainerConfigError)${message ? `: ${message}` : ''}`,
        facts: { ...base, ...(message ? { message } : {}), ...parseConfigError(message) },
      },
    ];
  }
  if (waiting?.reason && cannotRunReasons.has(waiting.reason)) {
    return [
      {
        mode: 'ContainerCannotRun',
        text: `container ${cs.name} cannot run (${waiting.reason})${waiting.message ? `: ${waiting.message}` : ''}`,
        facts: { ...base, reason: waiting.reason, ...(waiting.message ? { message: waiting.message } : {}) },
      },
    ];
  }
  if (terminated?.reason === 'OOMKilled' && pod.status?.phase !== 'Succeeded') {
    const limit = memoryLimit(pod, cs.name);
    return [
      {
        mode: 'OOMKilled',
        text: `container ${cs.name} was OOMKilled (exit code ${terminated.exitCode})${limit ? ` with a memory limit of ${limit}` : ''}`,
        facts: { ...base, exitCode: terminated.exitCode, ...(limit ? { memoryLimit: limit } : {}) },
      },
    ];
  }
  const running = cs.state?.running;
  if (running && !cs.ready && pod.status?.phase === 'Running') {
    const started = running.startedAt ? Date.parse(running.startedAt) : Number.NaN;
    if (!Number.isNaN(started) && now.getTime() - started < readinessGraceMs) return [];
    const probe = containerSpec(pod, cs.name)?.readinessProbe;
    const event = latestEvent(snapshot, pod, ['Unhealthy']);
    const message = event?.message?.startsWith('Readiness probe failed') ? event.message : undefined;
    if (!probe && !message) return [];
    const target = probe?.httpGet
      ? `GET ${probe.httpGet.path ?? '/'} on port ${probe.httpGet.port}`
      : probe?.tcpSocket
        ? `TCP port ${probe.tcpSocket.port}`
        : probe?.exec
          ? `exec ${probe.exec.command.join(' ')}`
          : '';
    return [
      {
        mode: 'ReadinessProbeFailed',
        text: `container ${cs.name} is running but not ready${message ? `: ${message}` : target ? ` (readiness probe ${target})` : ''}`,
        facts: { ...base, ...(target ? { probe: target } : {}), ...(message ? { message } : {}) },
      },
    ];
  }
  return [];
}

function unschedulable(pod: Pod, snapshot: ClusterSnapshot): Finding[] {
  if (pod.status?.phase !== 'Pending' || pod.spec?.nodeName) return [];
  const scheduled = conditionOf(pod.status?.conditions, 'PodScheduled');
  if (scheduled?.status !== 'False') return [];
  const event = latestEvent(snapshot, pod, ['FailedScheduling']);
  const message = scheduled.message ?? event?.message ?? 'the scheduler found no node for it';
  return [
    {
      mode: 'Unschedulable',
      text: `pod is Pending: ${message}`,
      facts: { reason: scheduled.reason ?? 'Unschedulable', message },
    },
  ];
}

export function analyzePod(pod: Pod, snapshot: ClusterSnapshot, now: Date): AnalyzerResult | undefined {
  const phase = pod.status?.phase;
  if (phase === 'Succeeded') return undefined;
  // A failed pod of a Job is the Job's story (backoff limit); the Job analyzer tells it.
  if (phase === 'Failed' && pod.metadata.ownerReferences?.some((o) => o.kind === 'Job')) return undefined;
  const findings = [
    ...unschedulable(pod, snapshot),
    ...(pod.status?.initContainerStatuses ?? []).flatMap((cs) => containerFindings(pod, cs, snapshot, now)),
    ...(pod.status?.containerStatuses ?? []).flatMap((cs) => containerFindings(pod, cs, snapshot, now)),
  ];
  if (findings.length === 0) return undefined;
  const severity: Severity = findings.every((f) => f.mode === 'ReadinessProbeFailed')
    ? 'warning'
    : 'critical';
  const parent = topOwner(snapshot, pod);
  return { object: pod, severity, findings, ...(parent ? { parent } : {}) };
}

export const podAnalyzer: Analyzer = {
  name: 'Pod',
  kind: 'Pod',
  description:
    'CrashLoopBackOff (last termination reason and exit code), image pull errors, OOMKilled, CreateContainerConfigError, Pending with the scheduler reason, failed readiness',
  analyze: ({ snapshot, now }) =>
    snapshot.ofKind<Pod>('Pod').flatMap((pod) => {
      const result = analyzePod(pod, snapshot, now);
      return result ? [result] : [];
    }),
};
