import { createHash } from 'node:crypto';

export type Severity = 'critical' | 'warning';
export type IssueSource = 'builtin' | 'k8sgpt';

/**
 * What went wrong, in a form the advisor can act on: a failure mode with the facts that matter
 * (container, image, exit code, missing key, scheduler message ...). `text` is the line a person reads.
 */
export interface Finding {
  mode: FailureMode;
  text: string;
  facts: Record<string, string | number>;
}

export type FailureMode =
  | 'CrashLoopBackOff'
  | 'ImagePullBackOff'
  | 'OOMKilled'
  | 'CreateContainerConfigError'
  | 'ContainerCannotRun'
  | 'Unschedulable'
  | 'ReadinessProbeFailed'
  | 'ReplicasUnavailable'
  | 'ProgressDeadlineExceeded'
  | 'ReplicaFailure'
  | 'ServiceNoMatchingPods'
  | 'ServiceNoReadyEndpoints'
  | 'IngressBackendMissing'
  | 'IngressClassMissing'
  | 'IngressTlsSecretMissing'
  | 'PvcPending'
  | 'PvcLost'
  | 'NodeNotReady'
  | 'NodePressure'
  | 'JobFailed'
  | 'CronJobInvalidSchedule'
  | 'CronJobSuspended'
  | 'HpaTargetMissing'
  | 'HpaUnableToCompute'
  | 'PdbBlocksDisruptions'
  | 'PdbSelectsNoPods'
  | 'NetworkPolicySelectsNoPods'
  | 'ConfigMapMissing'
  | 'SecretMissing'
  | 'ConfigKeyMissing'
  | 'Reported';

export interface ObjectRef {
  kind: string;
  name: string;
}

/** DESIGN.md's Issue: one per object and analyzer, with a stable id. */
export interface Issue {
  id: string;
  kind: string;
  namespace: string;
  name: string;
  /** The owning Deployment/StatefulSet/DaemonSet/CronJob of a pod, followed through its ReplicaSet or Job. */
  parent?: ObjectRef;
  analyzer: string;
  errors: string[];
  severity: Severity;
  source: IssueSource;
  /** Every source that reported it: an issue found by both is shown once. */
  seenBy: IssueSource[];
  findings: Finding[];
  /** K8sGPT's explanation (spec.details), when the operator wrote one. */
  details?: string;
}

/** Stable across runs and sources: the same object and analyzer always give the same id. */
export function issueId(kind: string, namespace: string, name: string, analyzer: string): string {
  return createHash('sha256').update(`${kind}/${namespace}/${name}/${analyzer}`).digest('hex').slice(0, 12);
}

const severityRank: Record<Severity, number> = { critical: 0, warning: 1 };

export function atLeast(severity: Severity, threshold: Severity): boolean {
  return severityRank[severity] <= severityRank[threshold];
}

export function compareIssues(a: Issue, b: Issue): number {
  return (
    severityRank[a.severity] - severityRank[b.severity] ||
    a.namespace.localeCompare(b.namespace) ||
    a.kind.localeCompare(b.kind) ||
    a.name.localeCompare(b.name) ||
    a.analyzer.localeCompare(b.analyzer)
  );
}
