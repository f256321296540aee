import { describe, expect, it } from 'vitest';
import {
  identify,
  isAlive,
  parseSignalMask,
  parseStartTime,
} from '../../src/engine/runtime/native/process-table.js';

describe('process identity from /proc', () => {
  it.each([
    ['1234 (sleep) S 1 1234 1234 0 -1 4194560 100 0 0 0 0 0 0 0 20 0 1 0 98765 1000 100 ...', 98765],
    ['42 (a (weird) name) R 1 42 42 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 5555 0 0', 5555],
    ['7 (zombie) Z 1 7 7 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 1111 0 0', null],
    ['garbage', null],
  ])('reads the start time of %s', (stat, expected) => {
    expect(parseStartTime(stat)).toBe(expected);
  });

  it('tells this process alive, and the same pid with another start time dead (pid reuse)', () => {
    const me = identify(process.pid);
    expect(me).not.toBeNull();
    expect(isAlive(me)).toBe(true);
    expect(isAlive(me ? { pid: me.pid, startTime: me.startTime + 1 } : null)).toBe(false);
    expect(isAlive(null)).toBe(false);
  });

  it.each([
    ['SigCgt:\t0000000000004000', 15, true],
    ['SigCgt:\t0000000000004000', 2, false],
    ['SigCgt:\t0000000000000002', 2, true],
    ['SigIgn:\t0000000000000000', 15, false],
  ])('reads %s for signal %i → %s', (line, signal, expected) => {
    const field = line.split(':')[0] as 'SigCgt' | 'SigIgn';
    expect(parseSignalMask(`Name:\tx\n${line}\n`, field, signal)).toBe(expected);
  });
});
