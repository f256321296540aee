import type { Finding } from '../issue.js';
import type { CronJob, Job } from '../objects.js';
import { conditionOf } from '../objects.js';
import type { Analyzer, AnalyzerResult } from './analyzer.js';

export const jobAnalyzer: Analyzer = {
  name: 'Job',
  kind: 'Job',
  description: 'Job failed: backoff limit reached, deadline exceeded',
  analyze: ({ snapshot }) =>
    snapshot.ofKind<Job>('Job').flatMap((job): AnalyzerResult[] => {
      const failed = conditionOf(job.status?.conditions, 'Failed');
      if (failed?.status !== 'True') return [];
      const owner = job.metadata.ownerReferences?.find((o) => o.kind === 'CronJob');
      const reason = failed.reason ?? 'Failed';
      return [
        {
          object: job,
          severity: 'critical',
          ...(owner ? { parent: { kind: owner.kind, name: owner.name } } : {}),
          findings: [
            {
              mode: 'JobFailed',
              text: `Job failed (${reason})${failed.message ? `: ${failed.message}` : ''}; ${job.status?.failed ?? 0} failed pods, backoff limit ${job.spec?.backoffLimit ?? 6}`,
              facts: {
                reason,
                message: failed.message ?? '',
                failedPods: job.status?.failed ?? 0,
                backoffLimit: job.spec?.backoffLimit ?? 6,
                image: job.spec?.template?.spec.containers[0]?.image ?? '',
                container: job.spec?.template?.spec.containers[0]?.name ?? '',
                ...(owner ? { cronJob: owner.name } : {}),
              },
            },
          ],
        },
      ];
    }),
};

const macros = new Set(['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly']);
const fieldRanges: [number, number][] = [
  [0, 59],
  [0, 23],
  [1, 31],
  [1, 12],
  [0, 7],
];
const names = /^(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|sun|mon|tue|wed|thu|fri|sat)$/i;

/** Why a cron schedule is invalid, as the CronJob controller would refuse it; undefined when valid. */
export function cronScheduleProblem(schedule: string): string | undefined {
  const text = schedule.replace(/^(CRON_)?TZ=\S+\s+/, '').trim();
  if (macros.has(text) || /^@every\s+\d+[smh]$/.test(text)) return undefined;
  const fields = text.split(/\s+/);
  if (fields.length !== 5) return `expected 5 fields, found ${fields.length}`;
  for (const [i, field] of fields.entries()) {
    const [lo, hi] = fieldRanges[i] ?? [0, 59];
    for (const part of field.split(',')) {
      const [range, step] = part.split('/');
      if (step !== undefined && !/^\d+$/.test(step)) return `invalid step "${step}" in field ${i + 1}`;
      if (range === '*' || range === '?' || (range && names.test(range))) continue;
      const bounds = (range ?? '').split('-');
      for (const b of bounds) {
        if (names.test(b)) continue;
        if (!/^\d+$/.test(b)) return `invalid value "${part}" in field ${i + 1}`;
        const n = Number(b);
        if (n < lo || n > hi) return `value ${n} out of range ${lo}-${hi} in field ${i + 1}`;
      }
    }
  }
  return undefined;
}

export const cronJobAnalyzer: Analyzer = {
  name: 'CronJob',
  kind: 'CronJob',
  description: 'invalid schedule, suspended schedule, negative starting deadline',
  analyze: ({ snapshot }) =>
    snapshot.ofKind<CronJob>('CronJob').flatMap((cj): AnalyzerResult[] => {
      const findings: Finding[] = [];
      const schedule = cj.spec?.schedule ?? '';
      const problem = cronScheduleProblem(schedule);
      if (problem) {
        findings.push({
          mode: 'CronJobInvalidSchedule',
          text: `CronJob schedule "${schedule}" is invalid: ${problem}`,
          facts: { schedule, problem },
        });
      }
      if (cj.spec?.suspend) {
        findings.push({
          mode: 'CronJobSuspended',
          text: `CronJob is suspended: schedule "${schedule}" does not run${cj.status?.lastScheduleTime ? `; last run ${cj.status.lastScheduleTime}` : ''}`,
          facts: { schedule, lastScheduleTime: cj.status?.lastScheduleTime ?? '' },
        });
      }
      if (findings.length === 0) return [];
      return [{ object: cj, severity: problem ? 'critical' : 'warning', findings }];
    }),
};
