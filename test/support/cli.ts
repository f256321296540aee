import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

export const root = join(import.meta.dirname, '../..');

export interface CliResult {
  status: number;
  stdout: string;
  stderr: string;
  json: () => unknown;
}

/** Runs a built entry point (bin/kitten.js by default) as a person would, without a TTY. */
export function runCli(
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; bin?: string; input?: string } = {},
): CliResult {
  const result = spawnSync(process.execPath, [join(root, 'bin', options.bin ?? 'kitten.js'), ...args], {
    cwd: options.cwd ?? root,
    env: { ...process.env, NO_COLOR: '1', KITTEN_DEBUG: '', ...options.env },
    encoding: 'utf8',
    input: options.input ?? '',
    timeout: 60_000,
  });
  return {
    status: result.status ?? -1,
    stdout: result.stdout,
    stderr: result.stderr,
    json: () => JSON.parse(result.stdout),
  };
}
