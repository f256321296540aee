import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

/**
 * Integration suites ask here whether their real component is present. On a laptop without it
 * they skip with a printed reason; under CI (env CI set) an absent component fails the suite.
 *
 * `scripts/testbed.sh` starts the components and writes what it started to
 * $KITTEN_TESTBED (default /run/kitten-testbed/testbed.json).
 */
export interface TestbedInfo {
  docker?: { host: string; image: string };
  ssh?: { host: string; port: number; user: string; identityFile: string; knownHosts: string };
  registry?: { url: string; image: string };
}

export const testbedFile = process.env.KITTEN_TESTBED ?? '/run/kitten-testbed/testbed.json';

export function loadTestbed(): TestbedInfo {
  if (!existsSync(testbedFile)) return {};
  return JSON.parse(readFileSync(testbedFile, 'utf8')) as TestbedInfo;
}

export const inCI = Boolean(process.env.CI);

/**
 * Returns true when the component is usable. `problem` is null when it is, else why not.
 * Absent under CI → throws, so the suite fails instead of silently skipping.
 */
export function componentAvailable(component: string, problem: string | null): boolean {
  if (problem === null) return true;
  const message = `${component} unavailable: ${problem}`;
  if (inCI) throw new Error(`${message} (CI requires it: run scripts/testbed.sh as root first)`);
  console.warn(`skipping ${component} suite: ${problem}`);
  return false;
}

export function isRoot(): boolean {
  return process.getuid?.() === 0;
}

export function hasCommand(command: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
