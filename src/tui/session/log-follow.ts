import type { ClusterSource } from '../../engine/cluster/source.js';
import { KittenError } from '../../engine/errors.js';
import { ResumePoint } from './log-resume.js';

/** Shown once per outage, between the last line before it and the first line after it. */
export const RECONNECTING = '── reconnecting ──';

export interface ResumingFollow {
  source: Required<Pick<ClusterSource, 'followLogs'>> & Pick<ClusterSource, 'get'>;
  namespace: string;
  pod: string;
  container?: string;
  /** Lines of history the first request asks for. */
  tail: number;
  signal: AbortSignal;
  /** The first wait before reopening; each failed attempt doubles it, up to eight times this. */
  retryMs: number;
  /** Failed attempts in a row after which the follow gives up. */
  attempts: number;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

/**
 * Whether more of this pod's log can come: API servers and kubelets end long log requests (time
 * limits, restarts) while the pod runs on, but a pod that is gone, going or finished writes no
 * more.
 */
async function podRunsOn(follow: ResumingFollow): Promise<boolean> {
  if (!follow.source.get) return false;
  const pod = await follow.source.get('Pod', follow.namespace, follow.pod);
  if (!pod) return false;
  const meta = pod.metadata as { deletionTimestamp?: string };
  const phase = (pod.status as { phase?: string } | undefined)?.phase;
  return !meta.deletionTimestamp && phase !== 'Succeeded' && phase !== 'Failed';
}

/**
 * A pod's log as `kubectl logs -f` shows it, that outlives the server ending the request: when
 * the stream ends and the pod runs on, the follow is reopened from the last line's time with
 * back-off, and no line is shown twice or skipped. It ends quietly when the pod is gone, and
 * fails with one error after `attempts` reopenings in a row came to nothing.
 */
export async function* followResuming(follow: ResumingFollow): AsyncGenerator<string> {
  const { source, namespace, pod, container, signal } = follow;
  const resume = new ResumePoint();
  const patience = follow.retryMs * 8;
  let failures = 0;
  let announced = false;
  let lastProblem = 'the stream ended';
  for (let attempt = 0; ; attempt++) {
    const from =
      attempt > 0 && resume.started ? { sinceTime: resume.sinceTime() as string } : { tail: follow.tail };
    resume.reopen();
    const opened = Date.now();
    let delivered = false;
    try {
      for await (const raw of source.followLogs(namespace, pod, {
        ...(container ? { container } : {}),
        ...from,
        timestamps: true,
        signal,
      })) {
        const line = resume.accept(raw);
        if (line === null) continue;
        delivered = true;
        announced = false;
        yield line;
      }
      lastProblem = 'the stream ended';
    } catch (error) {
      // The first request fails as it always has (no such pod, forbidden): nothing to resume.
      if (attempt === 0 || signal.aborted) throw error;
      lastProblem = message(error);
    }
    if (signal.aborted) return;
    // A quiet pod's stream may be ended after a long while without a line: that is no failure.
    failures = delivered || Date.now() - opened > patience ? 0 : failures + 1;
    try {
      if (!(await podRunsOn(follow))) return;
    } catch (error) {
      lastProblem = message(error);
      if (failures === 0) failures = 1;
    }
    if (signal.aborted) return;
    if (failures >= follow.attempts) {
      throw new KittenError(
        'LOG_FOLLOW_LOST',
        `lost the log of ${namespace}/${pod}${container ? ` (${container})` : ''}: reconnecting failed ${failures} times in a row, the last with: ${lastProblem}`,
        { hint: 'press f twice to follow it again' },
      );
    }
    if (!announced) {
      announced = true;
      yield RECONNECTING;
    }
    await pause(Math.min(follow.retryMs * 2 ** Math.max(0, failures - 1), patience), signal);
    if (signal.aborted) return;
  }
}
