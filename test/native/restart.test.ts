import { describe, expect, it } from 'vitest';
import {
  BACKOFF_CAP_MS,
  nextBackoff,
  restartsOnAdoption,
  shouldRestart,
} from '../../src/engine/runtime/native/restart.js';
import type { RestartPolicy } from '../../src/engine/stack/model.js';

const policy = (name: RestartPolicy['policy'], max: number | null = null): RestartPolicy => ({
  policy: name,
  max_retries: max,
});

describe('restart policies', () => {
  it.each([
    { p: policy('no'), exitCode: 1, restarts: 0, user: false, expected: false },
    { p: policy('always'), exitCode: 0, restarts: 50, user: false, expected: true },
    { p: policy('always'), exitCode: 1, restarts: 0, user: true, expected: false },
    { p: policy('unless-stopped'), exitCode: 0, restarts: 0, user: false, expected: true },
    { p: policy('unless-stopped'), exitCode: 0, restarts: 0, user: true, expected: false },
    { p: policy('on-failure'), exitCode: 0, restarts: 0, user: false, expected: false },
    { p: policy('on-failure'), exitCode: 3, restarts: 99, user: false, expected: true },
    { p: policy('on-failure', 2), exitCode: 1, restarts: 0, user: false, expected: true },
    { p: policy('on-failure', 2), exitCode: 1, restarts: 1, user: false, expected: true },
    { p: policy('on-failure', 2), exitCode: 1, restarts: 2, user: false, expected: false },
    { p: policy('on-failure', 2), exitCode: 137, restarts: 0, user: true, expected: false },
  ])(
    '$p.policy:$p.max_retries after exit $exitCode with $restarts restarts (stopped by user: $user) → $expected',
    ({ p, exitCode, restarts, user, expected }) => {
      expect(shouldRestart(p, { exitCode, restarts, stoppedByUser: user })).toBe(expected);
    },
  );

  it('starts exactly 3 times under on-failure:2 when every run fails', () => {
    let restarts = 0;
    let starts = 1;
    while (shouldRestart(policy('on-failure', 2), { exitCode: 1, restarts, stoppedByUser: false })) {
      restarts++;
      starts++;
    }
    expect(starts).toBe(3);
  });

  it('doubles the back-off from 100 ms up to the cap, and starts over after 10 s up', () => {
    const delays: number[] = [];
    let delay = 0;
    for (let i = 0; i < 12; i++) {
      delay = nextBackoff(delay, 50);
      delays.push(delay);
    }
    expect(delays.slice(0, 5)).toEqual([100, 200, 400, 800, 1600]);
    expect(Math.max(...delays)).toBe(BACKOFF_CAP_MS);
    expect(nextBackoff(BACKOFF_CAP_MS, 10_000)).toBe(100);
    expect(nextBackoff(6400, 9_999)).toBe(12_800);
  });

  it.each([
    ['always', false, true],
    ['always', true, true],
    ['unless-stopped', false, true],
    ['unless-stopped', true, false],
    ['on-failure', false, false],
    ['no', false, false],
  ] as const)(
    'brings a %s container back after a supervisor crash (stopped by user: %s) → %s',
    (name, user, expected) => {
      expect(restartsOnAdoption(policy(name), user)).toBe(expected);
    },
  );
});
