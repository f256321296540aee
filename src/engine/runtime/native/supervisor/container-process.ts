import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, constants, openSync, readFileSync } from 'node:fs';
import { Socket } from 'node:net';
import { LineSplitter, type LogWriter } from '../log-file.js';
import { childPids, identify, type ProcessIdentity } from '../process-table.js';

/**
 * One run of a container: the shim process, the container's init pid, and the log pumps.
 *
 * Output goes through two FIFOs in the container's directory rather than through pipes to the
 * supervisor. The container holds each FIFO open read-write, so it never gets SIGPIPE when the
 * supervisor dies; a new supervisor reopens the FIFOs and carries on reading (the kernel keeps up
 * to a pipe buffer meanwhile).
 */
export interface Fifos {
  stdout: string;
  stderr: string;
}

export class LogPump {
  private readonly sockets: Socket[] = [];
  private readonly splitters: LineSplitter[] = [];

  constructor(fifos: Fifos, writer: LogWriter) {
    for (const stream of ['stdout', 'stderr'] as const) {
      const fd = openSync(fifos[stream], constants.O_RDWR | constants.O_NONBLOCK);
      const splitter = new LineSplitter((line) => void writer.write(stream, line));
      const socket = new Socket({ fd, readable: true, writable: false });
      socket.setEncoding('utf8');
      socket.on('data', (chunk: string) => splitter.push(chunk));
      socket.on('error', () => undefined);
      this.sockets.push(socket);
      this.splitters.push(splitter);
    }
  }

  /** Emits any partial last line (a container that ended without a newline). */
  flushPartial(): void {
    for (const s of this.splitters) s.end();
  }

  close(): void {
    this.flushPartial();
    for (const s of this.sockets) s.destroy();
  }
}

export interface SpawnedContainer {
  child: ChildProcess;
  shim: ProcessIdentity;
}

export function spawnShim(
  shell: string,
  script: string,
  env: Record<string, string>,
  fifos: Fifos,
): SpawnedContainer {
  // Blocking read-write descriptors for the container: read-write so it is its own reader (no SIGPIPE).
  const out = openSync(fifos.stdout, 'r+');
  const err = openSync(fifos.stderr, 'r+');
  try {
    const child = spawn(shell, ['-c', script], { env, stdio: ['ignore', out, err], detached: true });
    const pid = child.pid;
    if (pid === undefined) throw new Error(`could not start ${shell}`);
    const shim = identify(pid) ?? { pid, startTime: -1 };
    return { child, shim };
  } finally {
    closeSync(out);
    closeSync(err);
  }
}

/**
 * The container's init is the shim's only child (the shim execs into nsenter, unshare and the
 * waiting shell). It appears a moment after the shim does; poll with a deadline. A container
 * that ends at once may never be seen.
 */
export async function findInit(shimPid: number, deadlineMs = 3000): Promise<ProcessIdentity | null> {
  const until = Date.now() + deadlineMs;
  while (Date.now() < until) {
    for (const child of childPids(shimPid)) {
      const identity = identify(child);
      if (identity) return identity;
    }
    if (identify(shimPid) === null) return null;
    await new Promise((r) => setTimeout(r, 5));
  }
  return null;
}

/**
 * Waits until the container's init has exec'd the command: until then its command line is the
 * stage shell's (`sh -c set -e …`). Returns early when the process goes away.
 */
export async function waitForExec(init: ProcessIdentity, shell: string, deadlineMs = 10_000): Promise<void> {
  const stagePrefix = `${shell}\0-c\0set -e`;
  const until = Date.now() + deadlineMs;
  while (Date.now() < until) {
    let cmdline: string;
    try {
      cmdline = readFileSync(`/proc/${init.pid}/cmdline`, 'utf8');
    } catch {
      return;
    }
    if (!cmdline.startsWith(stagePrefix) || identify(init.pid)?.startTime !== init.startTime) return;
    await new Promise((r) => setTimeout(r, 2));
  }
}
