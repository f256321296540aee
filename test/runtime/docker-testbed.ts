import { existsSync } from 'node:fs';
import { isKittenError } from '../../src/engine/errors.js';
import { pingDocker } from '../../src/engine/runtime/docker/index.js';
import type { TestbedInfo } from '../support/testbed.js';

/** Null when the test bed's Docker engine answers, else why the docker suites cannot run. */
export async function dockerProblem(testbed: TestbedInfo): Promise<string | null> {
  if (!testbed.docker) return 'no docker entry in the test bed file (run scripts/testbed.sh as root)';
  try {
    await pingDocker({ host: testbed.docker.host, timeoutMs: 3000 });
    return null;
  } catch (error) {
    return isKittenError(error) ? error.message : String(error);
  }
}

/** Null when the test bed's sshd (for ssh:// engines) is described and its key files exist. */
export function sshProblem(testbed: TestbedInfo): string | null {
  if (!testbed.ssh) return 'no ssh entry in the test bed file (run scripts/testbed.sh as root)';
  for (const file of [testbed.ssh.identityFile, testbed.ssh.knownHosts]) {
    if (!existsSync(file)) return `${file} is missing (run scripts/testbed.sh as root)`;
  }
  return null;
}
