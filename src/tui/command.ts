import { UsageError } from '../engine/errors.js';
import type { TuiTarget } from './session/engine-session.js';

/**
 * What `kitten tui` and `codex tui` share: the checks before the screen is taken over, and the
 * run itself. Everything that can fail with a clear line fails here, before the alternate screen.
 */
export function assertTerminal(
  streams: { stdin: { isTTY?: boolean }; stdout: { isTTY?: boolean } },
  command: string,
): void {
  if (streams.stdin.isTTY && streams.stdout.isTTY) return;
  throw new UsageError(
    'TUI_NEEDS_TERMINAL',
    `${command} is a full-screen app and needs a terminal (stdin and stdout must be a TTY)`,
    {
      hint: 'in scripts and pipes use `kitten codex issues` (add --json for machine-readable output)',
    },
  );
}

export async function runTui(target: TuiTarget, initialTab: string): Promise<void> {
  // React's development build checks every render and records timings: several times slower per
  // frame. It is chosen when react is first loaded, which is the import below.
  process.env.NODE_ENV ??= 'production';
  const { openEngineSession } = await import('./session/engine-session.js');
  const { launchTui } = await import('./launch.js');
  const { session, close } = await openEngineSession(target);
  try {
    await launchTui(session, { initialTab });
  } finally {
    await close().catch(() => undefined);
  }
}
