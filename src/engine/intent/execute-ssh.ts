import type { Client } from 'ssh2';
import type { SshConnectOptions } from '../ssh/connect.js';
import { sshExec, sshExecAttached } from '../ssh/exec.js';
import { formatSshTarget, type SshTarget } from '../ssh/target.js';
import type { ExecResult } from './execute-local.js';

/** Where a command runs when it is not local: a host to connect to, or a connection already open. */
export type SshDestination =
  | { target: SshTarget; options?: SshConnectOptions }
  | { client: Client; label: string };

export function destinationLabel(destination: SshDestination): string {
  return 'client' in destination ? destination.label : formatSshTarget(destination.target);
}

export async function withSshClient<T>(
  destination: SshDestination,
  use: (client: Client) => Promise<T>,
): Promise<T> {
  if ('client' in destination) return use(destination.client);
  const { connectSsh } = await import('../ssh/connect.js');
  const client = await connectSsh(destination.target, destination.options);
  try {
    return await use(client);
  } finally {
    client.end();
  }
}

/** Runs an argv on the remote host, quoted for its shell; connection errors are thrown as KittenErrors. */
export function executeSsh(
  destination: SshDestination,
  argv: readonly string[],
  options: {
    timeoutMs?: number;
    onOutput?: (stream: 'stdout' | 'stderr', chunk: string) => void;
    signal?: AbortSignal;
  } = {},
): Promise<ExecResult> {
  return withSshClient(destination, async (client) => {
    const result = await sshExec(client, argv, options);
    // sshd runs the command through the login shell: 127 there means the tool is missing.
    const missing = result.exitCode === 127 && /not found/.test(result.stderr);
    return {
      exitCode: result.exitCode ?? (result.signal ? 128 : null),
      stdout: result.stdout,
      stderr: result.stderr,
      timedOut: result.timedOut,
      ...(missing ? { startError: `${argv[0]} is not installed on ${destinationLabel(destination)}` } : {}),
    };
  });
}

/** An interactive command (exec -it) on the remote host, attached to this terminal; nothing is captured. */
export function executeSshAttached(
  destination: SshDestination,
  argv: readonly string[],
): Promise<ExecResult> {
  return withSshClient(destination, async (client) => {
    const exitCode = await sshExecAttached(client, argv);
    return { exitCode, stdout: '', stderr: '', timedOut: false };
  });
}
