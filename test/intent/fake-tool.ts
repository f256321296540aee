import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A real executable named `docker` (and `kubectl`) first on PATH that records the exact argv it
 * received (NUL-separated) and behaves as FAKE_TOOL_MODE says: ok, fail, or hang.
 */
export interface FakeTools {
  dir: string;
  env: NodeJS.ProcessEnv;
  calls(): string[][];
  cleanup(): void;
}

const SCRIPT = `#!/bin/sh
for a in "$@"; do printf '%s\\0' "$a"; done >> "$FAKE_TOOL_LOG"
printf '\\n' >> "$FAKE_TOOL_LOG"
case "$FAKE_TOOL_MODE" in
  fail) echo "Error response from daemon: No such container: $2" >&2; exit 3 ;;
  hang) exec sleep 30 ;;
  *) echo "ran: $*"; echo "second line" ;;
esac
`;

export function fakeTools(mode: 'ok' | 'fail' | 'hang' = 'ok'): FakeTools {
  const dir = mkdtempSync(join(tmpdir(), 'kitten-fake-tools-'));
  const log = join(dir, 'calls.log');
  writeFileSync(log, '');
  for (const name of ['docker', 'kubectl']) {
    writeFileSync(join(dir, name), SCRIPT);
    chmodSync(join(dir, name), 0o755);
  }
  return {
    dir,
    env: { ...process.env, PATH: `${dir}:${process.env.PATH}`, FAKE_TOOL_LOG: log, FAKE_TOOL_MODE: mode },
    calls: () =>
      readFileSync(log, 'utf8')
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => line.split('\0').slice(0, -1)),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
