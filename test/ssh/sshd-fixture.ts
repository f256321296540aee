import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { hasCommand, isRoot } from '../support/testbed.js';

/**
 * A real OpenSSH sshd on a random loopback port, with a freshly generated host key and a client
 * key in its authorized_keys. Used when the shared test bed has no sshd of its own.
 */
export interface SshServer {
  host: string;
  port: number;
  user: string;
  identityFile: string;
  /** Public host key line (`ssh-ed25519 AAAA...`) without the host field. */
  hostKeyLine: string;
  dir: string;
  stop(): Promise<void>;
}

const SSHD = '/usr/sbin/sshd';

export function sshdProblem(): string | null {
  if (!existsSync(SSHD)) return 'sshd is not installed (apt-get install openssh-server)';
  if (!hasCommand('ssh-keygen')) return 'ssh-keygen is not installed';
  if (!isRoot()) return 'starting a private sshd needs root (sshd privilege separation)';
  return null;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

export async function startSshd(extraConfig: string[] = []): Promise<SshServer> {
  const dir = mkdtempSync(join(tmpdir(), 'kitten-sshd-'));
  const keygen = (file: string) => execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', file]);
  keygen(join(dir, 'host_key'));
  keygen(join(dir, 'client_key'));
  writeFileSync(join(dir, 'authorized_keys'), readFileSync(join(dir, 'client_key.pub')), { mode: 0o600 });
  const port = await freePort();
  const config = [
    `Port ${port}`,
    'ListenAddress 127.0.0.1',
    `HostKey ${join(dir, 'host_key')}`,
    `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
    `PidFile ${join(dir, 'sshd.pid')}`,
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'PermitRootLogin prohibit-password',
    'StrictModes no',
    'UsePAM no',
    'LogLevel ERROR',
    ...extraConfig,
  ].join('\n');
  writeFileSync(join(dir, 'sshd_config'), `${config}\n`);
  mkdirSync('/run/sshd', { recursive: true });
  const child: ChildProcess = spawn(SSHD, ['-D', '-e', '-f', join(dir, 'sshd_config')], { stdio: 'ignore' });
  const deadline = Date.now() + 10_000;
  while (!(await canConnect(port))) {
    if (child.exitCode !== null) throw new Error(`sshd exited with ${child.exitCode}`);
    if (Date.now() > deadline) throw new Error('sshd did not listen within 10s');
    await new Promise((r) => setTimeout(r, 50));
  }
  const [type, key] = readFileSync(join(dir, 'host_key.pub'), 'utf8').trim().split(/\s+/);
  return {
    host: '127.0.0.1',
    port,
    user: userInfo().username,
    identityFile: join(dir, 'client_key'),
    hostKeyLine: `${type} ${key}`,
    dir,
    async stop() {
      if (child.exitCode === null && child.pid) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
