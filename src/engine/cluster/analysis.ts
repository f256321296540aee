import { registeredAnalyzers } from './analyzers/analyzer.js';
import './analyzers/core.js';
import { k8sgptIssues } from './analyzers/k8sgpt.js';
import type { Issue } from './issue.js';
import { compareIssues, issueId } from './issue.js';
import type { ClusterSnapshot } from './snapshot.js';

/** What the analysis may see: the access policy's view, structurally (see engine/access). */
export interface Visibility {
  canSee(namespace: string, kind?: string): boolean;
}

/**
 * Cluster configuration the analyzers consult but never report on or show: without them a user
 * granted one namespace would be told their Ingress has no ingress class when it has one.
 */
export const supportingKinds: ReadonlySet<string> = new Set(['IngressClass', 'StorageClass']);

export interface AnalysisOptions {
  now?: Date;
  /** Only issues about these kinds (exact kind names, e.g. `Pod`). */
  kinds?: string[];
  /** Only issues in this namespace. */
  namespace?: string;
  access?: Visibility;
  /** Leave out K8sGPT Results. */
  builtinOnly?: boolean;
}

/**
 * Runs every registered analyzer over what the person may see, adds K8sGPT's Results about
 * visible objects, and merges an issue that both report into one (the builtin one keeps its
 * facts and gains K8sGPT's explanation). Sorted critical first, then namespace, kind, name.
 */
export function analyzeSnapshot(snapshot: ClusterSnapshot, options: AnalysisOptions = {}): Issue[] {
  const now = options.now ?? new Date();
  const access = options.access;
  const visible = access
    ? snapshot.filter((o) => supportingKinds.has(o.kind) || access.canSee(o.metadata.namespace ?? '', o.kind))
    : snapshot;
  const wanted = (kind: string, namespace: string) =>
    (!options.kinds || options.kinds.includes(kind)) &&
    (options.namespace === undefined || namespace === options.namespace) &&
    (!access || access.canSee(namespace, kind));

  const byId = new Map<string, Issue>();
  for (const analyzer of registeredAnalyzers()) {
    if (options.kinds && analyzer.kind !== '*' && !options.kinds.includes(analyzer.kind)) continue;
    for (const result of analyzer.analyze({ snapshot: visible, now })) {
      const { kind, metadata } = result.object;
      const namespace = metadata.namespace ?? '';
      if (!wanted(kind, namespace)) continue;
      const id = issueId(kind, namespace, metadata.name, analyzer.name);
      byId.set(id, {
        id,
        kind,
        namespace,
        name: metadata.name,
        ...(result.parent ? { parent: result.parent } : {}),
        analyzer: analyzer.name,
        errors: result.findings.map((f) => f.text),
        severity: result.severity,
        source: 'builtin',
        seenBy: ['builtin'],
        findings: result.findings,
      });
    }
  }

  if (!options.builtinOnly) {
    const byObject = new Map<string, Issue>();
    for (const issue of byId.values()) {
      const key = objectKeyOf(issue);
      if (!byObject.has(key)) byObject.set(key, issue);
    }
    // Results live in the operator's namespace but speak of objects elsewhere: visibility is
    // decided by the object they describe, not by where the Result is stored.
    for (const reported of k8sgptIssues(snapshot)) {
      if (!wanted(reported.kind, reported.namespace)) continue;
      const existing = byId.get(reported.id) ?? byObject.get(objectKeyOf(reported));
      if (existing) {
        if (!existing.seenBy.includes('k8sgpt')) existing.seenBy.push('k8sgpt');
        if (reported.details && !existing.details) existing.details = reported.details;
        continue;
      }
      byId.set(reported.id, reported);
    }
  }
  return [...byId.values()].sort(compareIssues);
}

/** A K8sGPT Result about an object Kitten reported under another analyzer is still the same problem. */
function objectKeyOf(issue: Issue): string {
  return `${issue.kind}\u0000${issue.namespace}\u0000${issue.name}`;
}

export interface IssueCounts {
  critical: number;
  warning: number;
}

export function countIssues(issues: readonly Issue[]): IssueCounts {
  let critical = 0;
  for (const issue of issues) if (issue.severity === 'critical') critical++;
  return { critical, warning: issues.length - critical };
}
