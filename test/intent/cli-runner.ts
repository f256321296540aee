import { execFile, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { root } from '../support/cli.js';

/**
 * Runs the built CLI as a person would, without a terminal. KITTEN_CLI_DIR points at another
 * build of the tree (a directory with bin/ and dist/), for checking a build of one's own.
 */
export const cliDir = process.env.KITTEN_CLI_DIR ?? root;

export interface CliRun {
  status: number;
  stdout: string;
  stderr: string;
  json: () => Record<string, unknown>;
}

function result(status: number, stdout: string, stderr: string): CliRun {
  return { status, stdout, stderr, json: () => JSON.parse(stdout) as Record<string, unknown> };
}

export function runKitten(args: string[], env: NodeJS.ProcessEnv, bin = 'kitten.js'): CliRun {
  const run = spawnSync(process.execPath, [join(cliDir, 'bin', bin), ...args], {
    cwd: cliDir,
    env: { NO_COLOR: '1', ...env, KITTEN_DEBUG: '' },
    encoding: 'utf8',
    input: '',
    timeout: 60_000,
  });
  return result(run.status ?? -1, run.stdout, run.stderr);
}

/** For cases where something in this process (a loopback model) must answer the CLI. */
export function runKittenAsync(args: string[], env: NodeJS.ProcessEnv): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(cliDir, 'bin', 'kitten.js'), ...args],
      { cwd: cliDir, env: { NO_COLOR: '1', ...env, KITTEN_DEBUG: '' }, timeout: 60_000 },
      (error, stdout, stderr) => {
        resolve(result(error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr));
      },
    );
  });
}
