/** Bytes a terminal sends for the keys the TUI binds. */
export const KEY = {
  up: '\u001b[A',
  down: '\u001b[B',
  right: '\u001b[C',
  left: '\u001b[D',
  pageUp: '\u001b[5~',
  pageDown: '\u001b[6~',
  enter: '\r',
  escape: '\u001b',
  backspace: '\u007f',
  ctrlC: '\u0003',
} as const;

export function tick(ms = 0): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls until the predicate holds; fails with the last frame so a broken view is easy to read. */
export async function waitFor(
  frame: () => string | undefined,
  predicate: (text: string) => boolean,
  what: string,
  timeoutMs = 10_000,
): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = frame() ?? '';
    if (predicate(text)) return text;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last frame:\n${text}`);
    await tick(10);
  }
}

export async function type(stdin: { write: (data: string) => void }, ...keys: string[]): Promise<void> {
  for (const key of keys) {
    stdin.write(key);
    // Ink reads input on the next turn and holds a lone ESC briefly to tell it from a sequence.
    await tick(key === KEY.escape ? 60 : 15);
  }
}
