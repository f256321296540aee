import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { Client, type ConnectConfig } from 'ssh2';
import { KittenError, RefusedError, UsageError } from '../errors.js';
import {
  fingerprint,
  type HostKeyVerdict,
  hostLookupName,
  parseKnownHosts,
  verifyHostKey,
} from './known-hosts.js';
import { formatSshTarget, type SshTarget } from './target.js';

export interface SshConnectOptions {
  /** A private key file (`-i`); without one, ssh-agent (SSH_AUTH_SOCK) and then ~/.ssh/id_* are tried. */
  identityFile?: string;
  /** Defaults to ~/.ssh/known_hosts plus /etc/ssh/ssh_known_hosts. */
  knownHostsFile?: string;
  /** Accept a host key that is not in known_hosts (never one that contradicts it). */
  insecureAcceptHostKey?: boolean;
  timeoutMs?: number;
  passphrase?: string;
  /** Environment to read SSH_AUTH_SOCK and HOME from; tests pass their own. */
  env?: NodeJS.ProcessEnv;
}

const DEFAULT_IDENTITIES = ['id_ed25519', 'id_ecdsa', 'id_rsa'];

function knownHostsFiles(options: SshConnectOptions, home: string): string[] {
  if (options.knownHostsFile) return [options.knownHostsFile];
  return [join(home, '.ssh', 'known_hosts'), '/etc/ssh/ssh_known_hosts'];
}

function readKnownHosts(files: string[]) {
  return files.flatMap((file) => (existsSync(file) ? parseKnownHosts(readFileSync(file, 'utf8')) : []));
}

function readIdentity(path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    throw new UsageError(
      'SSH_IDENTITY_UNREADABLE',
      `cannot read identity file ${path}: ${(error as Error).message}`,
      {
        hint: 'pass the path of a private key with -i, or load the key into ssh-agent',
      },
    );
  }
}

function hostKeyError(
  target: SshTarget,
  verdict: HostKeyVerdict,
  print: string,
  files: string[],
): KittenError {
  const where = formatSshTarget(target);
  const lookup = hostLookupName(target.host, target.port);
  const portFlag = target.port === 22 ? '' : ` -p ${target.port}`;
  if (verdict.status === 'mismatch') {
    return new RefusedError(
      'SSH_HOST_KEY_MISMATCH',
      `host key for ${lookup} does not match known_hosts line ${verdict.line} (server offered ${print}); refusing to connect`,
      {
        hint: 'someone may be intercepting the connection; if the host was reinstalled, remove the old line with `ssh-keygen -R` and add the new key',
      },
    );
  }
  if (verdict.status === 'revoked') {
    return new RefusedError(
      'SSH_HOST_KEY_REVOKED',
      `host key ${print} for ${lookup} is marked @revoked in known_hosts`,
      {
        hint: 'the host must be given a new key before Kitten will connect',
      },
    );
  }
  return new RefusedError('SSH_HOST_KEY_UNKNOWN', `host ${where} is not in known_hosts (key ${print})`, {
    hint: `check the fingerprint, then add it with \`ssh-keyscan${portFlag} ${target.host} >> ${files[0] ?? '~/.ssh/known_hosts'}\`, or pass --insecure-accept-host-key`,
  });
}

/**
 * Opens an authenticated SSH connection whose host key was checked against known_hosts. The
 * caller owns the client and must `end()` it.
 */
export function connectSsh(target: SshTarget, options: SshConnectOptions = {}): Promise<Client> {
  const env = options.env ?? process.env;
  const home = env.HOME || homedir();
  const files = knownHostsFiles(options, home);
  const entries = readKnownHosts(files);
  const timeoutMs = options.timeoutMs ?? 15_000;

  const config: ConnectConfig = {
    host: target.host,
    port: target.port,
    username: target.user,
    readyTimeout: timeoutMs,
    keepaliveInterval: 10_000,
  };
  if (options.identityFile) {
    config.privateKey = readIdentity(options.identityFile);
    if (options.passphrase) config.passphrase = options.passphrase;
  }
  if (env.SSH_AUTH_SOCK) config.agent = env.SSH_AUTH_SOCK;
  if (!options.identityFile && !env.SSH_AUTH_SOCK) {
    const fallback = DEFAULT_IDENTITIES.map((name) => join(home, '.ssh', name)).find((p) => existsSync(p));
    if (!fallback) {
      return Promise.reject(
        new UsageError('SSH_NO_CREDENTIALS', `no SSH key to log in to ${formatSshTarget(target)} with`, {
          hint: 'start ssh-agent and `ssh-add` your key, or pass an identity file with -i',
        }),
      );
    }
    config.privateKey = readIdentity(fallback);
  }

  let rejectedKey: KittenError | undefined;
  config.hostVerifier = (key: Buffer) => {
    const verdict = verifyHostKey(entries, target.host, target.port, key);
    if (verdict.status === 'known') return true;
    if (verdict.status === 'unknown' && options.insecureAcceptHostKey) return true;
    rejectedKey = hostKeyError(target, verdict, fingerprint(key), files);
    return false;
  };

  return new Promise((resolve, reject) => {
    const client = new Client();
    client.once('ready', () => resolve(client));
    client.once('error', (error: Error & { level?: string; code?: string }) => {
      client.end();
      reject(rejectedKey ?? describeConnectError(target, error, timeoutMs));
    });
    try {
      client.connect(config);
    } catch (error) {
      reject(
        new UsageError('SSH_IDENTITY_INVALID', `cannot use the SSH key: ${(error as Error).message}`, {
          hint: 'pass an unencrypted OpenSSH private key with -i, or load the key into ssh-agent',
        }),
      );
    }
  });
}

function describeConnectError(
  target: SshTarget,
  error: Error & { level?: string; code?: string },
  timeoutMs: number,
) {
  const where = formatSshTarget(target);
  if (error.level === 'client-authentication') {
    return new KittenError('SSH_AUTH_FAILED', `${where} did not accept any of the offered keys`, {
      hint: 'check the user name, that your public key is in ~/.ssh/authorized_keys there, or pass the right key with -i',
    });
  }
  if (error.level === 'client-timeout') {
    return new KittenError(
      'SSH_TIMEOUT',
      `no SSH handshake with ${where} within ${Math.round(timeoutMs / 1000)}s`,
      {
        hint: 'check the host and port are reachable, or raise --timeout',
      },
    );
  }
  return new KittenError('SSH_CONNECT_FAILED', `cannot connect to ${where}: ${error.code ?? error.message}`, {
    hint: 'check the host name and port, and that sshd is running there',
  });
}
