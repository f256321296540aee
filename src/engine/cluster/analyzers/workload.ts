import type { Finding, Severity } from '../issue.js';
import type { DaemonSetStatus, Pod, Workload } from '../objects.js';
import { conditionOf } from '../objects.js';
import { podStatusText } from '../pod-status.js';
import { podsOwnedBy } from '../relations.js';
import type { ClusterSnapshot } from '../snapshot.js';
import type { Analyzer, AnalyzerResult } from './analyzer.js';

/** `2 pods CrashLoopBackOff, 1 pod Pending`: why the replicas are not ready, from the pods themselves. */
function podStates(snapshot: ClusterSnapshot, kind: string, namespace: string, name: string): string {
  const counts = new Map<string, number>();
  for (const pod of podsOwnedBy(snapshot, kind, namespace, name) as Pod[]) {
    const ready = (pod.status?.containerStatuses ?? []).every((c) => c.ready);
    let status = podStatusText(pod);
    if (status === 'Running' && ready) continue;
    if (status === 'Running') status = 'Running but not ready';
    counts.set(status, (counts.get(status) ?? 0) + 1);
  }
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([status, n]) => `${n} pod${n === 1 ? '' : 's'} ${status}`)
    .join(', ');
}

function replicaFindings(
  workload: Workload,
  snapshot: ClusterSnapshot,
  desired: number,
  ready: number,
): { findings: Finding[]; severity: Severity } {
  const findings: Finding[] = [];
  const ns = workload.metadata.namespace ?? '';
  const conditions = workload.status?.conditions;
  const progressing = conditionOf(conditions, 'Progressing');
  if (progressing?.status === 'False' && progressing.reason === 'ProgressDeadlineExceeded') {
    findings.push({
      mode: 'ProgressDeadlineExceeded',
      text: `rollout exceeded its progress deadline${progressing.message ? `: ${progressing.message}` : ''}`,
      facts: {
        message: progressing.message ?? '',
        deadlineSeconds: workload.spec?.progressDeadlineSeconds ?? 600,
      },
    });
  }
  const failure = conditionOf(conditions, 'ReplicaFailure');
  if (failure?.status === 'True') {
    findings.push({
      mode: 'ReplicaFailure',
      text: `cannot create pods (${failure.reason ?? 'ReplicaFailure'})${failure.message ? `: ${failure.message}` : ''}`,
      facts: { reason: failure.reason ?? 'ReplicaFailure', message: failure.message ?? '' },
    });
  }
  if (ready < desired) {
    const states = podStates(snapshot, workload.kind, ns, workload.metadata.name);
    findings.push({
      mode: 'ReplicasUnavailable',
      text: `${workload.kind} ${ns}/${workload.metadata.name} has ${ready}/${desired} replicas ready${states ? ` (${states})` : ''}`,
      facts: { ready, desired, ...(states ? { podStates: states } : {}) },
    });
  }
  const severity: Severity = ready === 0 && desired > 0 ? 'critical' : 'warning';
  return { findings, severity };
}

function workloadAnalyzer(kind: 'Deployment' | 'StatefulSet', description: string): Analyzer {
  return {
    name: kind,
    kind,
    description,
    analyze: ({ snapshot }) =>
      snapshot.ofKind<Workload>(kind).flatMap((w): AnalyzerResult[] => {
        if (w.spec?.paused) return [];
        const desired = w.spec?.replicas ?? 1;
        const ready = w.status?.readyReplicas ?? 0;
        const { findings, severity } = replicaFindings(w, snapshot, desired, ready);
        return findings.length > 0 ? [{ object: w, severity, findings }] : [];
      }),
  };
}

export const deploymentAnalyzer = workloadAnalyzer(
  'Deployment',
  'ready replicas below desired, failed rollouts (ReplicaFailure), progress deadline exceeded',
);
export const statefulSetAnalyzer = workloadAnalyzer('StatefulSet', 'ready replicas below desired');

/**
 * A ReplicaSet a Deployment owns is reported through its Deployment; on its own account only when
 * it cannot create pods (quota, admission), or when nobody owns it.
 */
export const replicaSetAnalyzer: Analyzer = {
  name: 'ReplicaSet',
  kind: 'ReplicaSet',
  description: 'cannot create pods (ReplicaFailure), and ready below desired for unowned ReplicaSets',
  analyze: ({ snapshot }) =>
    snapshot.ofKind<Workload>('ReplicaSet').flatMap((rs): AnalyzerResult[] => {
      const owned = (rs.metadata.ownerReferences ?? []).length > 0;
      const desired = rs.spec?.replicas ?? 1;
      const ready = rs.status?.readyReplicas ?? 0;
      const failure = conditionOf(rs.status?.conditions, 'ReplicaFailure');
      const findings: Finding[] = [];
      if (failure?.status === 'True') {
        findings.push({
          mode: 'ReplicaFailure',
          text: `cannot create pods (${failure.reason ?? 'ReplicaFailure'})${failure.message ? `: ${failure.message}` : ''}`,
          facts: { reason: failure.reason ?? 'ReplicaFailure', message: failure.message ?? '' },
        });
      }
      if (!owned && ready < desired) {
        findings.push(...replicaFindings(rs, snapshot, desired, ready).findings);
      }
      if (findings.length === 0) return [];
      const parent = rs.metadata.ownerReferences?.[0];
      return [
        {
          object: rs,
          severity: ready === 0 && desired > 0 ? 'critical' : 'warning',
          findings,
          ...(parent ? { parent: { kind: parent.kind, name: parent.name } } : {}),
        },
      ];
    }),
};

export const daemonSetAnalyzer: Analyzer = {
  name: 'DaemonSet',
  kind: 'DaemonSet',
  description: 'pods unavailable on scheduled nodes',
  analyze: ({ snapshot }) =>
    snapshot.ofKind('DaemonSet').flatMap((ds): AnalyzerResult[] => {
      const status = (ds.status ?? {}) as DaemonSetStatus;
      const desired = status.desiredNumberScheduled ?? 0;
      const ready = status.numberReady ?? 0;
      if (ready >= desired) return [];
      const states = podStates(snapshot, 'DaemonSet', ds.metadata.namespace ?? '', ds.metadata.name);
      return [
        {
          object: ds,
          severity: ready === 0 ? 'critical' : 'warning',
          findings: [
            {
              mode: 'ReplicasUnavailable',
              text: `DaemonSet ${ds.metadata.namespace}/${ds.metadata.name} has ${ready}/${desired} pods ready${states ? ` (${states})` : ''}`,
              facts: { ready, desired, ...(states ? { podStates: states } : {}) },
            },
          ],
        },
      ];
    }),
};
