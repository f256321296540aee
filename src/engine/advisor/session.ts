import { clusterIdentity, localIdentity } from '../access/identity.js';
import { type LoadedAccess, loadAccess } from '../access/load.js';
import { grantedNamespaces } from '../access/policy.js';
import { analyzeSnapshot, supportingKinds } from '../cluster/analysis.js';
import type { Issue } from '../cluster/issue.js';
import { findIssue } from '../cluster/issue-lookup.js';
import { LiveSource } from '../cluster/live.js';
import { ClusterSnapshot } from '../cluster/snapshot.js';
import { SnapshotSource } from '../cluster/snapshot-file.js';
import type { ClusterSource } from '../cluster/source.js';
import { visibleSnapshot } from '../cluster/visible.js';
import { RefusedError } from '../errors.js';

export interface CodexSessionOptions {
  snapshot?: string;
  kubeconfig?: string;
  context?: string;
  /** One namespace (`-n`); absent means every namespace the person may see. */
  namespace?: string;
  /** See as another user (admins only). */
  as?: string;
  /** Policy store: `file`, `file:PATH`, `configmap:NS/NAME`. */
  store?: string;
  now?: Date;
}

/** One codex invocation: where objects come from, who is asking, and what they may see. */
export interface CodexSession {
  source: ClusterSource;
  access: LoadedAccess;
  /** The objects the person may see (and only those), scoped to `namespace` when given. */
  snapshot: ClusterSnapshot;
  namespace: string | undefined;
  now: Date;
}

/**
 * Opens the source and the access policy together, so nothing downstream can read an object
 * the person may not see: live listing asks only for granted namespaces, and the snapshot is
 * filtered before any analyzer, table or plan touches it.
 */
export async function openCodexSession(options: CodexSessionOptions): Promise<CodexSession> {
  const kube = {
    ...(options.kubeconfig ? { kubeconfig: options.kubeconfig } : {}),
    ...(options.context ? { context: options.context } : {}),
  };
  let groups: string[] = [];
  let live: LiveSource | undefined;
  if (!options.snapshot) {
    live = await LiveSource.open(kube);
    groups = (await clusterIdentity(live.http, localIdentity(kube))).groups;
  }
  const access = await loadAccess({
    ...kube,
    ...(options.store ? { store: options.store } : {}),
    ...(options.as ? { as: options.as } : {}),
    groups,
  });
  if (options.namespace && !access.view.canSee(options.namespace)) {
    throw new RefusedError(
      'ACCESS_NAMESPACE_DENIED',
      `${access.identity.user} has no access to namespace ${options.namespace}`,
      {
        hint: 'see your grants with `kitten codex admin show`; an admin grants more with `kitten codex admin grant`',
      },
    );
  }
  let source: ClusterSource;
  if (live) {
    const granted = grantedNamespaces(access.policy, access.identity);
    source = granted === '*' ? live : await LiveSource.open({ ...kube, namespaces: granted });
  } else {
    source = await SnapshotSource.open(options.snapshot as string);
  }
  const scoped = await source.snapshot(options.namespace ? { namespace: options.namespace } : {});
  // K8sGPT writes its Results in the operator's namespace, which a namespace scope or a grant
  // would otherwise leave out; they are listed cluster-wide (RBAC permitting) and judged below.
  const needResults = options.namespace !== undefined || source !== live;
  const results = needResults ? await (live ?? source).list('Result') : [];
  const seen = new Set(
    scoped.objects
      .filter((o) => o.kind === 'Result')
      .map((o) => o.metadata.uid ?? `${o.metadata.namespace}/${o.metadata.name}`),
  );
  const all =
    results.length > 0
      ? new ClusterSnapshot([
          ...scoped.objects,
          ...results.filter((r) => !seen.has(r.metadata.uid ?? `${r.metadata.namespace}/${r.metadata.name}`)),
        ])
      : scoped;
  // K8sGPT Results live in the operator's namespace but describe objects elsewhere; the analysis
  // keeps only those about visible objects, so they are kept here for it.
  const visible = snapshotFor(all, access.view);
  return { source, access, snapshot: visible, namespace: options.namespace, now: options.now ?? new Date() };
}

/**
 * What the analysis may read for this person: the objects they may see, K8sGPT Results (judged
 * later by the object they describe) and the cluster configuration analyzers consult.
 */
export function snapshotFor(all: ClusterSnapshot, view: LoadedAccess['view']): ClusterSnapshot {
  // Single-user mode sees everything: no need to copy and re-index 10,000 pods.
  if (!view.restricted) return all;
  return visibleSnapshot(all, {
    canSee: (ns, kind) => kind === 'Result' || supportingKinds.has(kind ?? '') || view.canSee(ns, kind),
  });
}

export function sessionIssues(session: CodexSession, options: { kinds?: string[] } = {}): Issue[] {
  return analyzeSnapshot(session.snapshot, {
    now: session.now,
    ...(session.access.view.restricted ? { access: session.access.view } : {}),
    ...(session.namespace ? { namespace: session.namespace } : {}),
    ...(options.kinds ? { kinds: options.kinds } : {}),
  });
}

export function sessionIssue(session: CodexSession, idOrPrefix: string): Issue {
  return findIssue(sessionIssues(session), idOrPrefix);
}
