import { ageOf } from './age.js';
import type { Pod } from './objects.js';

/**
 * The STATUS column as kubectl computes it (printPod in kubectl's table printer): the pod's
 * reason or phase, overridden by init-container progress, then by the last container that is
 * waiting or terminated, then Terminating when a deletion is pending.
 */
export function podStatusText(pod: Pod): string {
  const status = pod.status ?? {};
  let reason = status.reason || status.phase || 'Unknown';

  let initializing = false;
  const initSpecs = pod.spec?.initContainers ?? [];
  (status.initContainerStatuses ?? []).forEach((cs, i) => {
    if (initializing) return;
    const terminated = cs.state?.terminated;
    if (terminated && terminated.exitCode === 0) return;
    if (terminated) {
      reason = terminated.reason
        ? `Init:${terminated.reason}`
        : terminated.signal
          ? `Init:Signal:${terminated.signal}`
          : `Init:ExitCode:${terminated.exitCode}`;
    } else if (cs.state?.waiting?.reason && cs.state.waiting.reason !== 'PodInitializing') {
      reason = `Init:${cs.state.waiting.reason}`;
    } else {
      reason = `Init:${i}/${initSpecs.length}`;
    }
    initializing = true;
  });

  if (!initializing) {
    let hasRunning = false;
    const statuses = status.containerStatuses ?? [];
    for (let i = statuses.length - 1; i >= 0; i--) {
      const cs = statuses[i];
      if (!cs) continue;
      const waiting = cs.state?.waiting;
      const terminated = cs.state?.terminated;
      if (waiting?.reason) reason = waiting.reason;
      else if (terminated?.reason) reason = terminated.reason;
      else if (terminated)
        reason = terminated.signal ? `Signal:${terminated.signal}` : `ExitCode:${terminated.exitCode}`;
      else if (cs.ready && cs.state?.running) hasRunning = true;
    }
    if (reason === 'Completed' && hasRunning) {
      const ready = (status.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
      reason = ready ? 'Running' : 'NotReady';
    }
  }

  if (pod.metadata.deletionTimestamp) reason = status.reason === 'NodeLost' ? 'Unknown' : 'Terminating';
  return reason;
}

export function podReadyText(pod: Pod): string {
  const total = pod.spec?.containers.length ?? pod.status?.containerStatuses?.length ?? 0;
  const ready = (pod.status?.containerStatuses ?? []).filter((c) => c.ready).length;
  return `${ready}/${total}`;
}

export function podRestarts(pod: Pod): number {
  return (pod.status?.containerStatuses ?? []).reduce((sum, c) => sum + (c.restartCount ?? 0), 0);
}

/** `5 (2m ago)` as kubectl 1.27+ prints it: restarts plus how long since the last one finished. */
export function podRestartsText(pod: Pod, now: Date): string {
  const restarts = podRestarts(pod);
  let last: string | undefined;
  for (const cs of pod.status?.containerStatuses ?? []) {
    const finished = cs.lastState?.terminated?.finishedAt;
    if (finished && (!last || finished > last)) last = finished;
  }
  return restarts > 0 && last ? `${restarts} (${ageOf(last, now)} ago)` : String(restarts);
}
