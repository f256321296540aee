import type { RestartPolicy } from '../../stack/model.js';

/**
 * Docker's restart rules, as a pure function so every case is a table row in a test.
 * Back-off doubles from 100 ms up to a minute, and starts over once a run lasted 10 s.
 */
export const BACKOFF_START_MS = 100;
export const BACKOFF_CAP_MS = 60_000;
export const BACKOFF_RESET_AFTER_MS = 10_000;

export interface ExitFacts {
  exitCode: number;
  /** Restarts done so far by policy (not counting the first start). */
  restarts: number;
  /** The person (or `down`/`stop`) asked for it to stop. */
  stoppedByUser: boolean;
}

export function shouldRestart(policy: RestartPolicy, facts: ExitFacts): boolean {
  if (facts.stoppedByUser) return false;
  switch (policy.policy) {
    case 'no':
      return false;
    case 'always':
    case 'unless-stopped':
      return true;
    case 'on-failure':
      if (facts.exitCode === 0) return false;
      return policy.max_retries === null || facts.restarts < policy.max_retries;
  }
}

/**
 * The delay before the next restart. `previousDelayMs` is the last delay used (0 for none);
 * `upMs` is how long the run that just ended lasted.
 */
export function nextBackoff(previousDelayMs: number, upMs: number): number {
  if (previousDelayMs <= 0 || upMs >= BACKOFF_RESET_AFTER_MS) return BACKOFF_START_MS;
  return Math.min(previousDelayMs * 2, BACKOFF_CAP_MS);
}

/**
 * Whether a container found dead when a supervisor takes over (after a crash or a reboot) comes
 * back, as Docker decides when its daemon restarts: `always` does even if it was stopped by hand,
 * `unless-stopped` only if it was not.
 */
export function restartsOnAdoption(policy: RestartPolicy, stoppedByUser: boolean): boolean {
  if (policy.policy === 'always') return true;
  return policy.policy === 'unless-stopped' && !stoppedByUser;
}
