import { analyzePod } from '../cluster/analyzers/pod.js';
import type { Finding, Issue, ObjectRef } from '../cluster/issue.js';
import type { Pod } from '../cluster/objects.js';
import { podsOwnedBy, topOwner } from '../cluster/relations.js';
import type { ClusterSnapshot } from '../cluster/snapshot.js';
import type { Advice, Draft, KnowledgeContext } from './knowledge/context.js';
import { knowledgeBase } from './knowledge/index.js';
import { KubectlArgv } from './kubectl-argv.js';
import type { PlanMode } from './plan.js';

const workloadKinds = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob']);

function workloadOf(issue: Issue): ObjectRef | undefined {
  if (workloadKinds.has(issue.kind)) return { kind: issue.kind, name: issue.name };
  if (issue.parent && workloadKinds.has(issue.parent.kind)) return issue.parent;
  return undefined;
}

/**
 * For a workload or Service whose problem is really its pods: the first failing pod's finding,
 * so the plan says "cart crashes with exit code 1", not only "0/2 ready".
 */
function explainingPod(
  issue: Issue,
  snapshot: ClusterSnapshot | undefined,
  now: Date,
): { pod: string; finding: Finding; owner: ObjectRef | undefined } | undefined {
  if (!snapshot) return undefined;
  let pods: Pod[] = [];
  if (workloadKinds.has(issue.kind))
    pods = podsOwnedBy(snapshot, issue.kind, issue.namespace, issue.name) as Pod[];
  else if (issue.kind === 'Service') {
    const names = issue.findings
      .flatMap((f) => String(f.facts.notReadyPods ?? '').split(','))
      .filter(Boolean);
    pods = names.map((n) => snapshot.get<Pod>('Pod', issue.namespace, n)).filter((p): p is Pod => Boolean(p));
  }
  const sorted = [...pods].sort((a, b) =>
    (b.metadata.creationTimestamp ?? '').localeCompare(a.metadata.creationTimestamp ?? ''),
  );
  for (const pod of sorted) {
    const result = analyzePod(pod, snapshot, now);
    const finding = result?.findings[0];
    if (finding) return { pod: pod.metadata.name, finding, owner: topOwner(snapshot, pod) };
  }
  return undefined;
}

function adviceFor(
  issue: Issue,
  finding: Finding,
  snapshot: ClusterSnapshot | undefined,
  pod: string | undefined,
): Advice {
  const context: KnowledgeContext = {
    issue,
    finding,
    snapshot,
    k: new KubectlArgv(issue.namespace),
    workload: workloadOf(issue),
    pod: pod ?? (issue.kind === 'Pod' ? issue.name : undefined),
  };
  return knowledgeBase[finding.mode](context);
}

export interface DraftPlan {
  summary: string;
  steps: Draft[];
  verification: Draft[];
  rollback: Draft[];
}

function dedupe(drafts: Draft[]): Draft[] {
  const seen = new Set<string>();
  return drafts.filter((d) => {
    const key = d.command ? d.command.join('\u0000') : d.title;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * The offline knowledge base's plan for an issue, before the policy check: every finding's
 * advice, plus — for workloads and Services — the advice for the pod that explains them.
 */
export function draftOfflinePlan(
  issue: Issue,
  mode: PlanMode,
  snapshot: ClusterSnapshot | undefined,
  now: Date,
): DraftPlan {
  const modes = new Set<string>();
  const advices: Advice[] = [];
  for (const finding of issue.findings) {
    if (modes.has(finding.mode)) continue;
    modes.add(finding.mode);
    advices.push(adviceFor(issue, finding, snapshot, undefined));
  }
  const explained = issue.kind === 'Pod' ? undefined : explainingPod(issue, snapshot, now);
  if (explained && !modes.has(explained.finding.mode)) {
    const owner = workloadOf(issue) ?? explained.owner;
    const podIssue: Issue = {
      ...issue,
      kind: 'Pod',
      name: explained.pod,
      ...(owner ? { parent: owner } : {}),
    };
    const podAdvice = adviceFor(podIssue, explained.finding, snapshot, explained.pod);
    // For a root cause the pod's story comes first; for a fix, the workload's own checks do.
    if (mode === 'rca') advices.unshift(podAdvice);
    else advices.push(podAdvice);
  }
  const pick = (a: Advice) => (mode === 'remediation' ? a.remediation : a.rca);
  return {
    summary: advices.map((a) => a.summary).join(' '),
    steps: dedupe(advices.flatMap(pick)),
    verification: dedupe(advices.flatMap((a) => a.verification)),
    rollback: mode === 'remediation' ? dedupe(advices.flatMap((a) => a.rollback)) : [],
  };
}
