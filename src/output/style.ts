import { Chalk, type ChalkInstance } from 'chalk';

/** One colour decision for the whole process: NO_COLOR, FORCE_COLOR and a non-TTY stdout all turn it off or on. */
function colourLevel(stream: NodeJS.WriteStream): 0 | 1 | 2 | 3 {
  if (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '') return 0;
  const forced = process.env.FORCE_COLOR;
  if (forced !== undefined) return forced === '0' || forced === 'false' ? 0 : 1;
  if (!stream.isTTY || process.env.TERM === 'dumb') return 0;
  return 1;
}

export const style: ChalkInstance = new Chalk({ level: colourLevel(process.stdout) });
export const errStyle: ChalkInstance = new Chalk({ level: colourLevel(process.stderr) });

export const symbols = {
  ok: '✔',
  fail: '✖',
  warn: '⚠',
  info: 'ℹ',
  arrow: '→',
} as const;
