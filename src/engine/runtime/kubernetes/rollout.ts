/**
 * Whether a workload has finished rolling out, as `kubectl rollout status` decides it: the
 * controller has seen the latest generation, every replica is updated, ready and available.
 * Jobs are done when complete and failed when the Failed condition is set.
 */
type Plain = Record<string, unknown>;

export type RolloutPhase = 'progressing' | 'ready' | 'failed';

export interface RolloutState {
  phase: RolloutPhase;
  /** One line for the progress event: "2/3 ready", "complete", "BackoffLimitExceeded". */
  text: string;
}

function obj(value: unknown): Plain {
  return value && typeof value === 'object' ? (value as Plain) : {};
}

function num(value: unknown): number {
  return typeof value === 'number' ? value : 0;
}

export function deploymentRollout(deployment: Plain): RolloutState {
  const meta = obj(deployment.metadata);
  const spec = obj(deployment.spec);
  const status = obj(deployment.status);
  const want = typeof spec.replicas === 'number' ? spec.replicas : 1;
  if (num(status.observedGeneration) < num(meta.generation))
    return { phase: 'progressing', text: 'waiting for the controller' };
  const conditions =
    (status.conditions as { type?: string; status?: string; reason?: string }[] | undefined) ?? [];
  const progressing = conditions.find((c) => c.type === 'Progressing');
  if (progressing?.reason === 'ProgressDeadlineExceeded')
    return { phase: 'failed', text: 'progress deadline exceeded' };
  const updated = num(status.updatedReplicas);
  const ready = num(status.readyReplicas);
  const available = num(status.availableReplicas);
  const total = num(status.replicas);
  if (updated < want) return { phase: 'progressing', text: `${updated}/${want} updated` };
  if (total > updated) return { phase: 'progressing', text: `${total - updated} old replicas terminating` };
  if (available < want || ready < want) return { phase: 'progressing', text: `${ready}/${want} ready` };
  return { phase: 'ready', text: `${ready}/${want} ready` };
}

export function jobRollout(job: Plain): RolloutState {
  const status = obj(job.status);
  const conditions =
    (status.conditions as
      | { type?: string; status?: string; reason?: string; message?: string }[]
      | undefined) ?? [];
  const failed = conditions.find((c) => c.type === 'Failed' && c.status === 'True');
  if (failed) return { phase: 'failed', text: failed.reason ?? 'failed' };
  const complete = conditions.find((c) => c.type === 'Complete' && c.status === 'True');
  const want = num(obj(job.spec).completions) || 1;
  if (complete) return { phase: 'ready', text: 'complete' };
  return { phase: 'progressing', text: `${num(status.succeeded)}/${want} completed` };
}

export function workloadRollout(workload: Plain): RolloutState {
  return workload.kind === 'Job' ? jobRollout(workload) : deploymentRollout(workload);
}
