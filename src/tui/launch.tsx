import { constants as osConstants } from 'node:os';
import { render } from 'ink';
import { App } from './app.js';
import type { Session } from './session/port.js';
import { enterFullScreen } from './terminal.js';

export interface LaunchOptions {
  initialTab?: string;
  stdout?: NodeJS.WriteStream;
  stdin?: NodeJS.ReadStream;
}

/**
 * Runs the app until the person quits. Resolves after the terminal is restored; a crash inside
 * rejects with the error after restoring it, so the CLI edge can print one line.
 */
export async function launchTui(session: Session, options: LaunchOptions = {}): Promise<void> {
  const stdout = options.stdout ?? process.stdout;
  const stdin = options.stdin ?? process.stdin;
  let instance: ReturnType<typeof render> | undefined;
  // Ended by a signal, the process exits as shells expect: 128 + the signal's number (143 for SIGTERM).
  const guard = enterFullScreen(stdout, (signal) => {
    process.exitCode = 128 + (osConstants.signals[signal] ?? 0);
    instance?.unmount();
  });
  let crash: unknown;
  const onCrash = (error: unknown) => {
    crash = error;
    instance?.unmount();
  };
  process.on('uncaughtException', onCrash);
  process.on('unhandledRejection', onCrash);
  const stop = session.start();
  try {
    instance = render(<App session={session} initialTab={options.initialTab} />, {
      stdout,
      stdin,
      exitOnCtrlC: true,
      patchConsole: true,
      // Ink's incremental mode mis-counts a frame that ends in a newline and scrolls the screen by
      // one line; whole frames inside synchronized-output brackets redraw without flicker.
      incrementalRendering: false,
      maxFps: 30,
    });
    await instance.waitUntilExit();
  } finally {
    stop();
    process.off('uncaughtException', onCrash);
    process.off('unhandledRejection', onCrash);
    guard.restore();
  }
  if (crash) throw crash;
}
