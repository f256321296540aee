/**
 * The full-screen contract with the terminal: enter the alternate screen and hide the cursor on
 * start; leave it and show the cursor exactly once however the process ends (quit, Ctrl-C,
 * SIGTERM/SIGHUP, an uncaught error), so the person's shell is never left scrambled.
 */
export const ENTER_ALT_SCREEN = '\u001b[?1049h\u001b[H\u001b[2J\u001b[?25l';
export const LEAVE_ALT_SCREEN = '\u001b[?25h\u001b[?1049l';

export interface ScreenGuard {
  /** Leaves the alternate screen (idempotent). */
  restore(): void;
}

export function enterFullScreen(
  stdout: NodeJS.WriteStream,
  onSignal: (signal: NodeJS.Signals) => void,
): ScreenGuard {
  let restored = false;
  const restore = () => {
    if (restored) return;
    restored = true;
    process.off('exit', restore);
    for (const signal of signals) process.off(signal, handlers[signal]);
    try {
      stdout.write(LEAVE_ALT_SCREEN);
    } catch {
      // The terminal is gone (SIGHUP): nothing left to restore.
    }
  };
  const signals: NodeJS.Signals[] = ['SIGTERM', 'SIGHUP'];
  const handlers = Object.fromEntries(signals.map((s) => [s, () => onSignal(s)])) as Record<
    NodeJS.Signals,
    () => void
  >;
  stdout.write(ENTER_ALT_SCREEN);
  process.on('exit', restore);
  for (const signal of signals) process.on(signal, handlers[signal]);
  return { restore };
}
