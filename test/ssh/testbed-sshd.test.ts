import { describe, expect, it } from 'vitest';
import { ask } from '../../src/engine/intent/ask.js';
import { connectSsh } from '../../src/engine/ssh/connect.js';
import { sshExec } from '../../src/engine/ssh/exec.js';
import { componentAvailable, loadTestbed } from '../support/testbed.js';

/** The shared test bed's sshd (scripts/testbed.sh), as the docker runtime uses it too. */
const bed = loadTestbed().ssh;
const available = componentAvailable(
  'test bed sshd',
  bed ? null : 'no ssh entry in the test bed file (run scripts/testbed.sh)',
);

describe.runIf(available)('SSH against the test bed sshd', () => {
  const target = () => ({ user: bed!.user, host: bed!.host, port: bed!.port });
  const options = () => ({
    identityFile: bed!.identityFile,
    knownHostsFile: bed!.knownHosts,
    env: { HOME: '/nonexistent-home' },
  });

  it('connects with the recorded known_hosts and key, and runs a command', async () => {
    const client = await connectSsh(target(), options());
    try {
      const result = await sshExec(client, ['sh', '-c', 'echo "$0 ok"', 'kitten']);
      expect(result).toMatchObject({ exitCode: 0, stdout: 'kitten ok\n' });
    } finally {
      client.end();
    }
  });

  it.runIf(Boolean(loadTestbed().docker))(
    'runs `what is running` with the real docker engine on the remote side',
    async () => {
      const result = await ask(
        { intent: 'what is running', target: 'docker', ssh: { target: target(), options: options() } },
        { audit: false },
      );
      expect(result).toMatchObject({ overall_status: 'SUCCESS', exit_code: 0, command: ['docker', 'ps'] });
      expect(result.stdout).toMatch(/^CONTAINER ID\s+IMAGE/);
    },
  );

  it('plans an ask over SSH without connecting (dry run)', async () => {
    const result = await ask(
      {
        intent: 'what is running',
        target: 'docker',
        dryRun: true,
        ssh: { target: target(), options: options() },
      },
      { audit: false },
    );
    expect(result).toMatchObject({ overall_status: 'PLANNED', command: ['docker', 'ps'] });
  });
});
