import type { Knowledge } from './context.js';
import { fact } from './context.js';

const jobFailed: Knowledge = (ctx) => {
  const name = ctx.issue.name;
  const cron = fact(ctx.finding, 'cronJob');
  return {
    summary: `Job ${ctx.issue.namespace}/${name}${cron ? ` (from CronJob ${cron})` : ''} failed: ${fact(ctx.finding, 'reason')} after ${fact(ctx.finding, 'failedPods')} failed pods (backoff limit ${fact(ctx.finding, 'backoffLimit')}).`,
    remediation: [
      {
        title: `Read the log of Job ${name}`,
        command: ctx.k.workloadLogs('Job', name),
        why: `the ${fact(ctx.finding, 'container') || 'job'} container's last run says why it failed`,
      },
      {
        title: `Describe Job ${name}`,
        command: ctx.k.describe('Job', name),
        why: 'events list each failed pod and the final condition',
      },
      {
        title: cron ? `Run it again once fixed, from CronJob ${cron}` : `Run Job ${name} again once fixed`,
        why: 'a failed Job does not retry past its backoff limit',
        edit: cron
          ? `kubectl create job ${cron}-manual-<n> --from=cronjob/${cron} -n ${ctx.issue.namespace}`
          : `re-apply the Job under a new name`,
      },
      {
        title: `Delete the failed Job ${name} after reading its logs`,
        command: ctx.k.delete('Job', name),
        why: 'its pods keep the failure visible until then; deleting removes them',
      },
    ],
    verification: [
      {
        title: `Check the next run${cron ? ` of ${cron}` : ''} completes`,
        command: ctx.k.get('Job'),
        why: 'COMPLETIONS 1/1 and STATUS Complete',
      },
    ],
    rollback: [],
    rca: [
      {
        title: `Reproduce: run ${fact(ctx.finding, 'image')} with the Job's command locally`,
        why: 'against a copy of the data it works on, to see the same failure',
      },
      {
        title: 'Make the job safe to retry',
        why: 'idempotent steps and a clear exit code let the backoff retries help instead of repeating a partial change',
      },
      {
        title: 'Alert on failed jobs',
        why: 'alert on kube_job_status_failed > 0, especially for migrations that block deploys',
      },
    ],
  };
};

const cronInvalid: Knowledge = (ctx) => ({
  summary: `CronJob ${ctx.issue.namespace}/${ctx.issue.name} has an invalid schedule "${fact(ctx.finding, 'schedule')}": ${fact(ctx.finding, 'problem')}. It never runs.`,
  remediation: [
    {
      title: `Describe CronJob ${ctx.issue.name}`,
      command: ctx.k.describe('CronJob', ctx.issue.name),
      why: 'shows the schedule as stored',
    },
    {
      title: 'Write a valid five-field schedule',
      why: 'minute hour day-of-month month day-of-week, e.g. "*/15 * * * *"',
      edit: `CronJob ${ctx.issue.name}: spec.schedule`,
    },
  ],
  verification: [
    {
      title: `Check ${ctx.issue.name} schedules`,
      command: ctx.k.get('CronJob', ctx.issue.name),
      why: 'LAST SCHEDULE fills in after the next slot',
    },
  ],
  rollback: [],
  rca: [
    {
      title: 'Validate schedules in CI',
      why: 'kubectl apply --dry-run=server rejects invalid schedules before they ship',
    },
  ],
});

const cronSuspended: Knowledge = (ctx) => ({
  summary: `CronJob ${ctx.issue.namespace}/${ctx.issue.name} is suspended: "${fact(ctx.finding, 'schedule')}" has not run since ${fact(ctx.finding, 'lastScheduleTime') || 'it was suspended'}.`,
  remediation: [
    {
      title: `Describe CronJob ${ctx.issue.name}`,
      command: ctx.k.describe('CronJob', ctx.issue.name),
      why: 'confirm it was suspended on purpose (an incident, a migration) before resuming',
    },
    {
      title: 'Resume it if the suspension is no longer needed',
      why: 'missed runs are not replayed unless startingDeadlineSeconds allows it',
      edit: `kubectl patch cronjob ${ctx.issue.name} -n ${ctx.issue.namespace} -p '{"spec":{"suspend":false}}'`,
    },
  ],
  verification: [
    {
      title: `Check ${ctx.issue.name} runs again`,
      command: ctx.k.get('CronJob', ctx.issue.name),
      why: 'SUSPEND False, LAST SCHEDULE recent',
    },
  ],
  rollback: [{ title: 'Suspend it again', why: 'if the runs cause trouble', edit: `spec.suspend: true` }],
  rca: [
    {
      title: 'Record why a job is suspended',
      why: 'an annotation with the reason and an owner (and a reminder) stops suspensions from being forgotten',
    },
  ],
});

const hpaTargetMissing: Knowledge = (ctx) => {
  const target = fact(ctx.finding, 'targetName');
  const kind = fact(ctx.finding, 'targetKind');
  const candidates = (ctx.snapshot?.ofKind(kind, ctx.issue.namespace) ?? []).map((o) => o.metadata.name);
  const close = candidates.find((c) => target.startsWith(c) || c.startsWith(target.split('-')[0] ?? target));
  return {
    summary: `HorizontalPodAutoscaler ${ctx.issue.namespace}/${ctx.issue.name} scales ${kind} ${target}, which does not exist: nothing is autoscaled${close ? ` (did it mean ${close}?)` : ''}.`,
    remediation: [
      {
        title: `List ${kind}s in ${ctx.issue.namespace}`,
        command: ctx.k.get(kind),
        why: `find the workload it should scale${close ? `: ${close} looks like it` : ''}`,
      },
      {
        title: `Point the autoscaler at ${close ?? 'the right workload'}`,
        why: `the target was renamed or removed; ${close ? `${kind} ${close} has no autoscaler of its own` : 'an autoscaler without a target does nothing'}`,
        edit: `HorizontalPodAutoscaler ${ctx.issue.name}: spec.scaleTargetRef.name: ${close ?? '<name>'}`,
      },
    ],
    verification: [
      {
        title: `Check the autoscaler sees its target`,
        command: ctx.k.describe('HorizontalPodAutoscaler', ctx.issue.name),
        why: 'AbleToScale True, with current metrics',
      },
    ],
    rollback: [],
    rca: [
      {
        title: 'Template the autoscaler with its workload',
        why: 'scaleTargetRef.name should use the same fullname helper as the Deployment so renames carry over',
      },
    ],
  };
};

const hpaUnable: Knowledge = (ctx) => {
  const missing = fact(ctx.finding, 'containersWithoutRequests');
  const target = fact(ctx.finding, 'targetName');
  return {
    summary: `HorizontalPodAutoscaler ${ctx.issue.namespace}/${ctx.issue.name} cannot compute a replica count for ${fact(ctx.finding, 'targetKind')} ${target}: ${fact(ctx.finding, 'message') || fact(ctx.finding, 'reason')}.`,
    remediation: [
      {
        title: `Describe the autoscaler`,
        command: ctx.k.describe('HorizontalPodAutoscaler', ctx.issue.name),
        why: 'its conditions and events name the failing metric',
      },
      ...(missing
        ? [
            {
              title: `Give ${missing} a ${fact(ctx.finding, 'metric') || 'cpu'} request`,
              why: 'utilization is measured against the request; without one the autoscaler has nothing to divide by',
              edit: `${fact(ctx.finding, 'targetKind')} ${target}: spec.template.spec.containers[name=${missing.split(',')[0]}].resources.requests.${fact(ctx.finding, 'metric') || 'cpu'}: <typical use, e.g. 100m>`,
            },
          ]
        : [
            {
              title: 'Check metrics are served',
              command: ctx.k.get('Pod', undefined, '-o', 'wide'),
              why: 'kubectl top pod must answer; if it does not, metrics-server is missing or failing',
            },
          ]),
    ],
    verification: [
      {
        title: 'Check the autoscaler has current metrics',
        command: ctx.k.get('HorizontalPodAutoscaler', ctx.issue.name),
        why: 'TARGETS shows a percentage instead of <unknown>',
      },
    ],
    rollback: [],
    rca: [
      {
        title: 'Require requests on every container',
        why: 'a LimitRange with default requests, or a policy (Kyverno/Gatekeeper) that rejects containers without them',
      },
    ],
  };
};

const pdbBlocks: Knowledge = (ctx) => ({
  summary: `PodDisruptionBudget ${ctx.issue.namespace}/${ctx.issue.name} (${fact(ctx.finding, 'budget')}) allows no disruption with ${fact(ctx.finding, 'currentHealthy')} of ${fact(ctx.finding, 'expectedPods')} pods healthy: node drains and cluster upgrades will hang on it.`,
  remediation: [
    {
      title: `Describe the budget`,
      command: ctx.k.describe('PodDisruptionBudget', ctx.issue.name),
      why: 'shows the selected pods and allowed disruptions',
    },
    {
      title: `List the pods it protects`,
      command: ctx.k.get('Pod', undefined, '-l', fact(ctx.finding, 'selector')),
      why: 'unhealthy pods count against the budget: fix them first and disruptions become allowed again',
    },
    {
      title: 'Make the budget satisfiable',
      why: 'minAvailable equal to the replica count (or maxUnavailable 0) can never allow an eviction',
      edit: `PodDisruptionBudget ${ctx.issue.name}: spec.maxUnavailable: 1 (instead of ${fact(ctx.finding, 'budget')})`,
    },
  ],
  verification: [
    {
      title: 'Check allowed disruptions',
      command: ctx.k.get('PodDisruptionBudget', ctx.issue.name),
      why: 'ALLOWED DISRUPTIONS at least 1',
    },
  ],
  rollback: [],
  rca: [
    {
      title: 'Derive budgets from replicas',
      why: 'in the chart, use maxUnavailable: 1 (or a percentage) rather than an absolute minAvailable that breaks when replicas change',
    },
  ],
});

const pdbNoPods: Knowledge = (ctx) => ({
  summary: `PodDisruptionBudget ${ctx.issue.namespace}/${ctx.issue.name} selects ${fact(ctx.finding, 'selector')}, which matches no pod: it protects nothing.`,
  remediation: [
    {
      title: `List pods with labels`,
      command: ctx.k.podsWithLabels(),
      why: 'compare their labels with the budget’s selector',
    },
    {
      title: 'Fix the selector or delete the stale budget',
      why: 'a budget left behind by a removed app confuses drains and audits',
      edit: `PodDisruptionBudget ${ctx.issue.name}: spec.selector`,
    },
  ],
  verification: [
    {
      title: 'Check the budget counts pods',
      command: ctx.k.get('PodDisruptionBudget', ctx.issue.name),
      why: 'it reports expected pods once it matches',
    },
  ],
  rollback: [],
  rca: [{ title: 'Ship budgets with their apps', why: 'template them from the same selector labels' }],
});

const reported: Knowledge = (ctx) => ({
  summary: `K8sGPT reports ${ctx.issue.kind} ${ctx.issue.namespace ? `${ctx.issue.namespace}/` : ''}${ctx.issue.name}: ${ctx.issue.errors.join('; ')}`,
  remediation: [
    {
      title: `Describe ${ctx.issue.kind} ${ctx.issue.name}`,
      command: ctx.k.describe(ctx.issue.kind, ctx.issue.name),
      why: 'see the object as the cluster has it now',
    },
    {
      title: `Recent events about ${ctx.issue.name}`,
      command: ctx.k.events(ctx.issue.name),
      why: 'events say what changed and what the controllers complain about',
    },
    ...(ctx.issue.details
      ? [{ title: 'K8sGPT’s explanation', why: ctx.issue.details.split('\n').join(' ') }]
      : []),
  ],
  verification: [
    {
      title: `Check ${ctx.issue.name} again`,
      command: ctx.k.get(ctx.issue.kind, ctx.issue.name),
      why: 'and re-run `kitten codex issues` to see it gone',
    },
  ],
  rollback: [],
  rca: [
    {
      title: 'Record the cause',
      why:
        ctx.issue.details ?? 'K8sGPT gave no explanation; describe and events above are the starting point',
    },
  ],
});

export const operationsKnowledge = {
  JobFailed: jobFailed,
  CronJobInvalidSchedule: cronInvalid,
  CronJobSuspended: cronSuspended,
  HpaTargetMissing: hpaTargetMissing,
  HpaUnableToCompute: hpaUnable,
  PdbBlocksDisruptions: pdbBlocks,
  PdbSelectsNoPods: pdbNoPods,
  Reported: reported,
} satisfies Record<string, Knowledge>;
