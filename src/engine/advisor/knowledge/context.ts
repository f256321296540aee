import type { Finding, Issue, ObjectRef } from '../../cluster/issue.js';
import type { Workload } from '../../cluster/objects.js';
import type { ClusterSnapshot } from '../../cluster/snapshot.js';
import type { KubectlArgv } from '../kubectl-argv.js';

/** A step before the policy has classified its command (risk comes from the policy, never from here). */
export interface Draft {
  title: string;
  command?: string[];
  why: string;
  edit?: string;
}

export interface Advice {
  summary: string;
  remediation: Draft[];
  rca: Draft[];
  verification: Draft[];
  rollback: Draft[];
}

export interface KnowledgeContext {
  issue: Issue;
  finding: Finding;
  /** Absent when the issue came from K8sGPT alone and the object is not in the source. */
  snapshot: ClusterSnapshot | undefined;
  k: KubectlArgv;
  /** The object a person edits: the pod's Deployment/StatefulSet, or the object itself. */
  workload: ObjectRef | undefined;
  /** The pod the finding is about, for pod-level failure modes. */
  pod: string | undefined;
}

export type Knowledge = (context: KnowledgeContext) => Advice;

export function fact(finding: Finding, key: string): string {
  const value = finding.facts[key];
  return value === undefined ? '' : String(value);
}

export function where(ctx: KnowledgeContext): string {
  return ctx.workload
    ? `${ctx.workload.kind} ${ctx.issue.namespace}/${ctx.workload.name}`
    : `${ctx.issue.kind} ${ctx.issue.namespace}/${ctx.issue.name}`;
}

export interface Revision {
  revision: number;
  replicaSet: string;
  images: string[];
}

/** The Deployment's ReplicaSets by revision, newest first: what `rollout undo` would return to. */
export function revisions(ctx: KnowledgeContext): Revision[] {
  const w = ctx.workload;
  if (!ctx.snapshot || w?.kind !== 'Deployment') return [];
  return ctx.snapshot
    .ofKind<Workload>('ReplicaSet', ctx.issue.namespace)
    .filter((rs) => rs.metadata.ownerReferences?.some((o) => o.kind === 'Deployment' && o.name === w.name))
    .map((rs) => ({
      revision: Number(rs.metadata.annotations?.['deployment.kubernetes.io/revision'] ?? 0),
      replicaSet: rs.metadata.name,
      images: (rs.spec?.template?.spec.containers ?? []).map((c) => c.image ?? ''),
    }))
    .sort((a, b) => b.revision - a.revision);
}

/** The newest earlier revision that ran a different image, if the cluster still has it. */
export function previousImageRevision(ctx: KnowledgeContext): Revision | undefined {
  const [current, ...older] = revisions(ctx);
  if (!current) return undefined;
  return older.find((r) => r.images.join() !== current.images.join());
}

export function selectorOf(ctx: KnowledgeContext): string | undefined {
  const w = ctx.workload;
  if (!ctx.snapshot || !w) return undefined;
  const object = ctx.snapshot.get<Workload>(w.kind, ctx.issue.namespace, w.name);
  const labels = object?.spec?.selector?.matchLabels;
  if (!labels) return undefined;
  return Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

/** `256Mi` → `512Mi`: the next step up for a memory limit, in the unit it was written in. */
export function doubled(quantity: string): string {
  const m = /^(\d+(?:\.\d+)?)([A-Za-z]*)$/.exec(quantity.trim());
  if (!m) return quantity;
  const n = Number(m[1]) * 2;
  return `${Number.isInteger(n) ? n : n.toFixed(1)}${m[2]}`;
}

/** Bytes in a Kubernetes quantity (`24Gi`, `15079952Ki`, `512M`). */
export function bytesOf(quantity: string): number {
  const m = /^(\d+(?:\.\d+)?)([KMGTPE]i?|[kmgtpe])?$/.exec(quantity.trim());
  if (!m) return Number.NaN;
  const n = Number(m[1]);
  const unit = m[2] ?? '';
  const binary: Record<string, number> = {
    Ki: 2 ** 10,
    Mi: 2 ** 20,
    Gi: 2 ** 30,
    Ti: 2 ** 40,
    Pi: 2 ** 50,
    Ei: 2 ** 60,
  };
  const decimal: Record<string, number> = { k: 1e3, K: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };
  return n * (binary[unit] ?? decimal[unit] ?? 1);
}

export function gib(bytes: number): string {
  return `${(bytes / 2 ** 30).toFixed(1)}Gi`;
}

/** What an exit code usually means; the plan says it so the person knows where to look. */
export function exitCodeMeaning(code: number): string {
  const meanings: Record<number, string> = {
    0: 'exit code 0: the process finished on its own; a long-running container must not exit',
    1: 'exit code 1: the application failed and exited (an unhandled error or a failed start-up check)',
    2: 'exit code 2: a usage or configuration error (bad flags, missing settings)',
    126: 'exit code 126: the command exists but is not executable',
    127: 'exit code 127: the command was not found in the image (wrong entrypoint or a missing binary)',
    137: 'exit code 137: killed with SIGKILL (out of memory, or a failed liveness probe)',
    139: 'exit code 139: a segmentation fault in the process',
    143: 'exit code 143: stopped with SIGTERM (a liveness probe restart or a node shutting down)',
  };
  return meanings[code] ?? `exit code ${code}: the application exited with an error of its own`;
}
