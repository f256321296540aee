import type { Knowledge } from './context.js';
import { bytesOf, fact, gib, previousImageRevision, selectorOf, where } from './context.js';

/**
 * Workload-level modes. When a failing pod explains them, the advisor adds that pod's plan
 * (see offline.ts); these steps cover what belongs to the workload itself.
 */
const replicasUnavailable: Knowledge = (ctx) => {
  const w = ctx.workload ?? { kind: ctx.issue.kind, name: ctx.issue.name };
  const selector = selectorOf(ctx);
  return {
    summary: `${where(ctx)} has ${fact(ctx.finding, 'ready')}/${fact(ctx.finding, 'desired')} replicas ready${fact(ctx.finding, 'podStates') ? ` (${fact(ctx.finding, 'podStates')})` : ''}.`,
    remediation: [
      {
        title: `List the pods of ${w.name} and their states`,
        command: ctx.k.get('Pod', undefined, ...(selector ? ['-l', selector] : []), '-o', 'wide'),
        why: 'the pods that are not Ready say why the replicas are missing',
      },
      {
        title: `Describe ${w.kind} ${w.name}`,
        command: ctx.k.describe(w.kind, w.name),
        why: 'conditions and events show whether the controller can create pods at all',
      },
    ],
    verification: [
      {
        title: `Wait for ${w.name} to be fully available`,
        command: ctx.k.rollout('status', w.kind, w.name, '--timeout=180s'),
        why: 'returns when every replica is ready',
      },
    ],
    rollback: [],
    rca: [
      {
        title: 'Alert on unavailable replicas',
        why: 'alert when available replicas stay below desired for 10 minutes, with the pod reason in the alert',
      },
    ],
  };
};

const progressDeadline: Knowledge = (ctx) => {
  const w = ctx.workload ?? { kind: ctx.issue.kind, name: ctx.issue.name };
  const prev = previousImageRevision(ctx);
  return {
    summary: `The rollout of ${where(ctx)} stopped making progress: ${fact(ctx.finding, 'message')}`,
    remediation: [
      {
        title: `See the rollout history of ${w.name}`,
        command: ctx.k.rollout('history', w.kind, w.name),
        why: 'shows which revision is stuck and which one last worked',
      },
      prev
        ? {
            title: `Roll back to revision ${prev.revision} (${prev.images.join(', ')})`,
            command: ctx.k.rollout('undo', w.kind, w.name, `--to-revision=${prev.revision}`),
            why: `the stuck revision never became available; revision ${prev.revision} did and is still recorded in ReplicaSet ${prev.replicaSet}`,
          }
        : {
            title: `Roll back ${w.name} to its previous revision`,
            command: ctx.k.rollout('undo', w.kind, w.name),
            why: 'the new revision never became available; the previous one did',
          },
    ],
    verification: [
      {
        title: `Wait for ${w.name} to roll out`,
        command: ctx.k.rollout('status', w.kind, w.name, '--timeout=180s'),
        why: 'succeeds when the revision in place is available',
      },
    ],
    rollback: [
      {
        title: 'Go forward again once the new revision is fixed',
        command: ctx.k.rollout('history', w.kind, w.name),
        why: 'pick the fixed revision number and `rollout undo --to-revision=N`',
      },
    ],
    rca: [
      {
        title: 'Gate releases on availability',
        why: `the deploy pipeline should run \`kubectl rollout status\` and roll back automatically when progressDeadlineSeconds (${fact(ctx.finding, 'deadlineSeconds') || 600}s) passes`,
      },
    ],
  };
};

const replicaFailure: Knowledge = (ctx) => {
  const w = ctx.workload ?? { kind: ctx.issue.kind, name: ctx.issue.name };
  const message = fact(ctx.finding, 'message');
  const quota = /quota/i.test(message);
  // `exceeded quota: q, requested: requests.memory=4Gi, used: requests.memory=10Gi, limited: requests.memory=12Gi`
  const q =
    /exceeded quota: ([^,]+), requested: ([^=]+)=(\S+?), used: [^=]+=(\S+?), limited: [^=]+=(\S+)/.exec(
      message,
    );
  const left = q ? bytesOf(q[5] ?? '') - bytesOf(q[4] ?? '') : Number.NaN;
  return {
    summary: `${where(ctx)} cannot create pods (${fact(ctx.finding, 'reason')}): ${message}`,
    remediation: [
      {
        title: `Describe ${w.kind} ${w.name}`,
        command: ctx.k.describe(w.kind, w.name),
        why: 'FailedCreate events carry the API server’s refusal',
      },
      ...(quota
        ? [
            {
              title: `See the namespace quota in ${ctx.issue.namespace}`,
              command: ['kubectl', 'describe', 'resourcequota', '-n', ctx.issue.namespace],
              why: 'Used vs Hard shows which resource ran out',
            },
          ]
        : []),
      ...(q && !Number.isNaN(left)
        ? [
            {
              title: `Fit the pod in quota ${q[1]}: it asks ${q[3]} of ${q[2]}, only ${gib(Math.max(0, left))} of ${q[5]} is left`,
              why: 'either each pod asks for less, or the quota grows; the controller retries creating pods by itself once it fits',
              edit: `${w.kind} ${w.name}: spec.template.spec.containers[*].resources.${q[2]} ≤ ${gib(Math.max(0, left))}, or ResourceQuota ${q[1]}: spec.hard.${q[2]} above ${q[5]}`,
            },
          ]
        : []),
      ...(quota
        ? [
            {
              title: 'Free quota or scale down something less important',
              command: ctx.k.get('Deployment'),
              why: 'lowering replicas elsewhere frees room for these pods without touching the quota',
            },
          ]
        : []),
    ],
    verification: [
      {
        title: `Check ${w.name} creates its pods`,
        command: ctx.k.rollout('status', w.kind, w.name, '--timeout=180s'),
        why: 'succeeds when the replicas exist and are available',
      },
    ],
    rollback: [],
    rca: [
      {
        title: quota ? 'Size quotas from what the namespace runs' : 'Fix what the admission chain rejects',
        why: quota
          ? 'requests × replicas (plus rollout surge) must fit the ResourceQuota; review it when replicas or requests change'
          : message,
      },
    ],
  };
};

export const workloadKnowledge = {
  ReplicasUnavailable: replicasUnavailable,
  ProgressDeadlineExceeded: progressDeadline,
  ReplicaFailure: replicaFailure,
} satisfies Record<string, Knowledge>;
