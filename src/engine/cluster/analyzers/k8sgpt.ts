import type { FailureMode, Finding, Issue, ObjectRef, Severity } from '../issue.js';
import { issueId } from '../issue.js';
import type { K8sgptResult } from '../objects.js';
import type { ClusterSnapshot } from '../snapshot.js';

/**
 * K8sGPT operator `Result`s (core.k8sgpt.ai/v1alpha1) as Issues. The operator writes spec.name as
 * `namespace/name` (plain `name` for cluster-scoped kinds) and spec.parentObject as `Kind/name`.
 * The analyzer is the reported kind, as K8sGPT names its analyzers, so a Result about a pod gets
 * the same id as Kitten's own Pod finding and the two merge.
 */
const patterns: [RegExp, FailureMode, Severity][] = [
  [/OOMKilled/i, 'OOMKilled', 'critical'],
  [/CrashLoopBackOff|back-off restarting failed container/i, 'CrashLoopBackOff', 'critical'],
  [/ImagePullBackOff|ErrImagePull|pull(ing)? image/i, 'ImagePullBackOff', 'critical'],
  [
    /CreateContainerConfigError|couldn't find key|(secret|configmap) "[^"]+" not found/i,
    'CreateContainerConfigError',
    'critical',
  ],
  [/(\d+\/\d+ nodes are available|unschedulable|FailedScheduling)/i, 'Unschedulable', 'critical'],
  [/readiness probe failed/i, 'ReadinessProbeFailed', 'warning'],
  [/no (ready )?endpoints|Service has no endpoints/i, 'ServiceNoReadyEndpoints', 'critical'],
  [/does not exist.*ingress ?class|ingress class .* does not exist/i, 'IngressClassMissing', 'warning'],
  [/ingress .*service .* does not exist|backend service/i, 'IngressBackendMissing', 'critical'],
  [/tls secret|secret .* does not exist/i, 'IngressTlsSecretMissing', 'warning'],
  [/PersistentVolumeClaim|ProvisioningFailed|storageclass/i, 'PvcPending', 'critical'],
  [/node .*not ?ready|NodeNotReady/i, 'NodeNotReady', 'critical'],
  [/(Memory|Disk|PID)Pressure/i, 'NodePressure', 'warning'],
  [/BackoffLimitExceeded|job has reached the specified backoff limit/i, 'JobFailed', 'critical'],
  [/is suspended/i, 'CronJobSuspended', 'warning'],
  [/scale ?target|does not exist.*(Deployment|StatefulSet)/i, 'HpaTargetMissing', 'critical'],
];

export function classifyText(text: string): { mode: FailureMode; severity: Severity } {
  for (const [re, mode, severity] of patterns) if (re.test(text)) return { mode, severity };
  return { mode: 'Reported', severity: 'warning' };
}

const clusterScoped = new Set(['Node', 'PersistentVolume', 'Namespace', 'StorageClass', 'IngressClass']);

export function parseResult(result: K8sgptResult): Issue | undefined {
  const spec = result.spec;
  if (!spec?.kind || !spec.name) return undefined;
  const slash = spec.name.indexOf('/');
  const namespaced = slash > 0 && !clusterScoped.has(spec.kind);
  const namespace = namespaced ? spec.name.slice(0, slash) : '';
  const name = namespaced ? spec.name.slice(slash + 1) : spec.name;
  const errors = (spec.error ?? []).map((e) => e.text).filter((t) => t.length > 0);
  const classified = classifyText(errors.join('\n'));
  const findings: Finding[] = errors.map((text) => ({ mode: classifyText(text).mode, text, facts: {} }));
  let parent: ObjectRef | undefined;
  const parentSlash = spec.parentObject?.indexOf('/') ?? -1;
  if (spec.parentObject && parentSlash > 0) {
    const parentName = spec.parentObject.slice(parentSlash + 1);
    // `Deployment/shop/cart` also appears in some operator versions; the name is the last part.
    parent = {
      kind: spec.parentObject.slice(0, parentSlash),
      name: parentName.split('/').pop() ?? parentName,
    };
  }
  return {
    id: issueId(spec.kind, namespace, name, spec.kind),
    kind: spec.kind,
    namespace,
    name,
    ...(parent && !(parent.kind === spec.kind && parent.name === name) ? { parent } : {}),
    analyzer: spec.kind,
    errors,
    severity: classified.severity,
    source: 'k8sgpt',
    seenBy: ['k8sgpt'],
    findings:
      findings.length > 0
        ? findings
        : [{ mode: classified.mode, text: `${spec.kind} reported by K8sGPT`, facts: {} }],
    ...(spec.details ? { details: spec.details } : {}),
  };
}

export function k8sgptIssues(snapshot: ClusterSnapshot): Issue[] {
  return snapshot
    .ofKind<K8sgptResult>('Result')
    .filter((r) => !r.apiVersion || r.apiVersion.startsWith('core.k8sgpt.ai/'))
    .flatMap((r) => {
      const issue = parseResult(r);
      return issue ? [issue] : [];
    });
}
