import { describe, expect, it } from 'vitest';
import { ResumePoint, splitStamp } from '../../src/tui/session/log-resume.js';

/** Where a reopened follow picks up: by time, then by count at the last line's exact time. */
describe('resuming a followed log', () => {
  it.each([
    ['2026-11-21T20:36:10.123456789Z GET / 200', 'GET / 200'],
    ['2026-11-21T20:36:10Z ready', 'ready'],
    ['2026-11-21T21:36:10.5+01:00 ready', 'ready'],
    ['no stamp here', 'no stamp here'],
    ['2026-11-21 not a stamp', '2026-11-21 not a stamp'],
  ])('splits %j into its text %j', (line, text) => {
    expect(splitStamp(line).text).toBe(text);
  });

  it('asks from the last line’s whole second, which is what the kubelet gets', () => {
    const point = new ResumePoint();
    expect(point.started).toBe(false);
    expect(point.sinceTime()).toBeUndefined();
    point.accept('2026-11-21T20:36:10.999999999Z a');
    expect(point.started).toBe(true);
    expect(point.sinceTime()).toBe('2026-11-21T20:36:10Z');
  });

  it('drops what was shown before the gap and keeps repeats written after it', () => {
    const point = new ResumePoint();
    const first = [
      '2026-11-21T20:36:09.9Z older',
      '2026-11-21T20:36:10.100Z GET /health 200',
      '2026-11-21T20:36:10.200000001Z GET /health 200',
      '2026-11-21T20:36:10.200000001Z GET /health 200',
    ];
    expect(first.map((l) => point.accept(l))).toEqual([
      'older',
      'GET /health 200',
      'GET /health 200',
      'GET /health 200',
    ]);
    point.reopen();
    const resumed = [
      '2026-11-21T20:36:10.100Z GET /health 200',
      '2026-11-21T20:36:10.200000001Z GET /health 200',
      '2026-11-21T20:36:10.200000001Z GET /health 200',
      // Written at the same instant after the gap: new, though it looks the same.
      '2026-11-21T20:36:10.200000001Z GET /health 200',
      '2026-11-21T20:36:10.200000002Z GET /cart 500',
    ];
    expect(resumed.map((l) => point.accept(l))).toEqual([
      null,
      null,
      null,
      'GET /health 200',
      'GET /cart 500',
    ]);
  });

  it('compares times to the nanosecond, whatever their fraction’s length', () => {
    const point = new ResumePoint();
    point.accept('2026-11-21T20:36:10.5Z a');
    point.reopen();
    expect(point.accept('2026-11-21T20:36:10.499999999Z before')).toBeNull();
    expect(point.accept('2026-11-21T20:36:10.500000000Z a')).toBeNull();
    expect(point.accept('2026-11-21T20:36:10.500000001Z after')).toBe('after');
  });
});
