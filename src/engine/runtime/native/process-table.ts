import { readFileSync } from 'node:fs';

/**
 * What /proc says about a process. A pid alone is not an identity (pids are reused), so every
 * pid Kitten records is paired with its start time in clock ticks since boot.
 */
export interface ProcessIdentity {
  pid: number;
  startTime: number;
}

/** Field 22 of /proc/PID/stat; null when the process is gone. */
export function processStartTime(pid: number): number | null {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  return parseStartTime(stat);
}

/** /proc/PID/stat: `pid (comm) state ppid ...`; comm may hold spaces and parentheses. */
export function parseStartTime(stat: string): number | null {
  const close = stat.lastIndexOf(')');
  if (close < 0) return null;
  const fields = stat.slice(close + 2).split(' ');
  // fields[0] is field 3 (state); starttime is field 22.
  const value = Number(fields[19]);
  if (!Number.isFinite(value)) return null;
  // A zombie has exited already: treat it as gone.
  if (fields[0] === 'Z') return null;
  return value;
}

export function isAlive(identity: ProcessIdentity | null | undefined): boolean {
  if (!identity) return false;
  const start = processStartTime(identity.pid);
  return start !== null && start === identity.startTime;
}

export function identify(pid: number): ProcessIdentity | null {
  const startTime = processStartTime(pid);
  return startTime === null ? null : { pid, startTime };
}

export function childPids(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}

/**
 * Whether a process has a handler for the signal (SigCgt in /proc/PID/status). The kernel drops
 * any signal a PID-namespace init has no handler for, so stopping such a container gently is
 * pointless: `sleep` or `node` as PID 1 would only make `stop` wait out its whole grace period.
 */
export function catchesSignal(pid: number, signal: number): boolean {
  try {
    return parseSignalMask(readFileSync(`/proc/${pid}/status`, 'utf8'), 'SigCgt', signal);
  } catch {
    return false;
  }
}

export function parseSignalMask(
  status: string,
  field: 'SigCgt' | 'SigIgn' | 'SigBlk',
  signal: number,
): boolean {
  const line = status.split('\n').find((l) => l.startsWith(`${field}:`));
  if (!line) return false;
  const mask = BigInt(`0x${line.slice(field.length + 1).trim()}`);
  return (mask & (1n << BigInt(signal - 1))) !== 0n;
}
