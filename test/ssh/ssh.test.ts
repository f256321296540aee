import { execFileSync, spawn } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isKittenError } from '../../src/engine/errors.js';
import { connectSsh } from '../../src/engine/ssh/connect.js';
import { sshExec } from '../../src/engine/ssh/exec.js';
import { componentAvailable, hasCommand } from '../support/testbed.js';
import { type SshServer, sshdProblem, startSshd } from './sshd-fixture.js';

const available = componentAvailable('sshd', sshdProblem());

describe.runIf(available)('SSH against a real sshd on loopback', () => {
  let server: SshServer;
  const env = { HOME: '/nonexistent-home' };

  beforeAll(async () => {
    server = await startSshd();
  });
  afterAll(async () => {
    await server?.stop();
  });

  function knownHosts(name: string, line: string): string {
    const file = join(server.dir, name);
    writeFileSync(file, `${line}\n`);
    return file;
  }
  const target = () => ({ user: server.user, host: server.host, port: server.port });
  const plainEntry = () => `[${server.host}]:${server.port} ${server.hostKeyLine}`;

  async function codeOf(promise: Promise<unknown>): Promise<string> {
    try {
      await promise;
      return 'connected';
    } catch (error) {
      return isKittenError(error) ? error.code : String(error);
    }
  }

  it('refuses a host that is not in known_hosts', async () => {
    const file = knownHosts('empty_known_hosts', '# nothing here');
    const code = await codeOf(
      connectSsh(target(), { identityFile: server.identityFile, knownHostsFile: file, env }),
    );
    expect(code).toBe('SSH_HOST_KEY_UNKNOWN');
  });

  it('refuses a host whose key contradicts known_hosts, even with insecureAcceptHostKey', async () => {
    const other = `ssh-ed25519 ${Buffer.concat([Buffer.from([0, 0, 0, 11]), Buffer.from('ssh-ed25519'), Buffer.from([0, 0, 0, 32]), randomBytes(32)]).toString('base64')}`;
    const file = knownHosts('wrong_known_hosts', `[${server.host}]:${server.port} ${other}`);
    const options = {
      identityFile: server.identityFile,
      knownHostsFile: file,
      env,
      insecureAcceptHostKey: true,
    };
    expect(await codeOf(connectSsh(target(), options))).toBe('SSH_HOST_KEY_MISMATCH');
  });

  it('accepts an unknown host only when told to', async () => {
    const file = knownHosts('empty2_known_hosts', '');
    const client = await connectSsh(target(), {
      identityFile: server.identityFile,
      knownHostsFile: file,
      insecureAcceptHostKey: true,
      env,
    });
    client.end();
  });

  it('connects to a host listed as [host]:port and returns exit code, stdout and stderr', async () => {
    const client = await connectSsh(target(), {
      identityFile: server.identityFile,
      knownHostsFile: knownHosts('plain_known_hosts', plainEntry()),
      env,
    });
    try {
      const result = await sshExec(client, ['sh', '-c', 'echo out; echo err >&2; exit 7']);
      expect(result).toMatchObject({ exitCode: 7, stdout: 'out\n', stderr: 'err\n', timedOut: false });
    } finally {
      client.end();
    }
  });

  it('connects to a host listed under a hashed name (|1|salt|hmac)', async () => {
    const salt = randomBytes(20);
    const name = `[${server.host}]:${server.port}`;
    const hash = createHmac('sha1', salt).update(name).digest('base64');
    const file = knownHosts(
      'hashed_known_hosts',
      `|1|${salt.toString('base64')}|${hash} ${server.hostKeyLine}`,
    );
    const client = await connectSsh(target(), {
      identityFile: server.identityFile,
      knownHostsFile: file,
      env,
    });
    client.end();
  });

  it('delivers an argv with spaces, quotes and shell characters to the remote side unchanged', async () => {
    const client = await connectSsh(target(), {
      identityFile: server.identityFile,
      knownHostsFile: knownHosts('plain2_known_hosts', plainEntry()),
      env,
    });
    const words = ['a b', "it's", '"double"', '$(id)', '`id`', 'x;y', '', '*', 'back\\slash', 'new\nline'];
    try {
      const result = await sshExec(client, ['printf', '%s|', ...words]);
      expect(result.exitCode).toBe(0);
      expect(result.stdout).toBe(`${words.join('|')}|`);
    } finally {
      client.end();
    }
  });

  it('stops a remote command that runs past its timeout', async () => {
    const client = await connectSsh(target(), {
      identityFile: server.identityFile,
      knownHostsFile: knownHosts('plain3_known_hosts', plainEntry()),
      env,
    });
    try {
      const result = await sshExec(client, ['sleep', '3'], { timeoutMs: 300 });
      expect(result.timedOut).toBe(true);
    } finally {
      client.end();
    }
  });

  it('reads ~/.ssh/known_hosts and ~/.ssh/id_ed25519 by default', async () => {
    const home = join(server.dir, 'home');
    mkdirSync(join(home, '.ssh'), { recursive: true });
    writeFileSync(join(home, '.ssh', 'known_hosts'), `${plainEntry()}\n`);
    copyFileSync(server.identityFile, join(home, '.ssh', 'id_ed25519'));
    const client = await connectSsh(target(), { env: { HOME: home } });
    client.end();
  });

  it.runIf(hasCommand('ssh-agent') && hasCommand('ssh-add'))(
    'authenticates with a key held by ssh-agent (SSH_AUTH_SOCK)',
    async () => {
      const socket = join(server.dir, 'agent.sock');
      const agent = spawn('ssh-agent', ['-D', '-a', socket], { stdio: 'ignore' });
      try {
        const deadline = Date.now() + 10_000;
        while (!existsSync(socket)) {
          if (Date.now() > deadline) throw new Error('ssh-agent did not create its socket');
          await new Promise((r) => setTimeout(r, 20));
        }
        execFileSync('ssh-add', ['-q', server.identityFile], {
          env: { ...process.env, SSH_AUTH_SOCK: socket },
          stdio: 'ignore',
        });
        const client = await connectSsh(target(), {
          knownHostsFile: knownHosts('agent_known_hosts', plainEntry()),
          env: { HOME: '/nonexistent-home', SSH_AUTH_SOCK: socket },
        });
        const result = await sshExec(client, ['echo', 'via agent']);
        client.end();
        expect(result.stdout).toBe('via agent\n');
      } finally {
        const exited = new Promise((r) => agent.once('exit', r));
        agent.kill('SIGTERM');
        await exited;
      }
    },
  );

  it('says there is no key when neither -i, an agent nor ~/.ssh/id_* exists', async () => {
    const code = await codeOf(connectSsh(target(), { knownHostsFile: knownHosts('k5', plainEntry()), env }));
    expect(code).toBe('SSH_NO_CREDENTIALS');
  });

  it('reports a key the server does not accept as SSH_AUTH_FAILED', async () => {
    const stranger = join(server.dir, 'stranger');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', stranger]);
    const code = await codeOf(
      connectSsh(target(), { identityFile: stranger, knownHostsFile: knownHosts('k4', plainEntry()), env }),
    );
    expect(code).toBe('SSH_AUTH_FAILED');
  });
});
