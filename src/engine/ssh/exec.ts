import type { Client } from 'ssh2';
import { KittenError } from '../errors.js';
import { quoteArgv } from './shell-quote.js';

export interface SshExecOptions {
  timeoutMs?: number;
  onOutput?: (stream: 'stdout' | 'stderr', chunk: string) => void;
  /** Request a pseudo-terminal (for `exec -it`); stdout and stderr then arrive merged. */
  pty?: boolean;
  /** Captured output beyond this many bytes per stream is dropped (still streamed). */
  maxCaptureBytes?: number;
  /** Closes the channel when aborted. */
  signal?: AbortSignal;
}

export interface SshExecResult {
  exitCode: number | null;
  signal: string | undefined;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

function appendCapped(current: string, chunk: string, cap: number): string {
  if (current.length >= cap) return current;
  return current + chunk.slice(0, cap - current.length);
}

/** Runs one argv on the remote host (quoted for its shell) and waits for it to end or time out. */
export function sshExec(
  client: Client,
  argv: readonly string[],
  options: SshExecOptions = {},
): Promise<SshExecResult> {
  const cap = options.maxCaptureBytes ?? 8 * 1024 * 1024;
  const line = quoteArgv(argv);
  return new Promise((resolve, reject) => {
    client.exec(line, { pty: options.pty ?? false }, (error, channel) => {
      if (error) {
        reject(
          new KittenError('SSH_EXEC_FAILED', `the remote host would not run the command: ${error.message}`, {
            hint: 'check that the SSH account may run commands (not a forced command or sftp-only)',
          }),
        );
        return;
      }
      let stdout = '';
      let stderr = '';
      let timedOut = false;
      let exitCode: number | null = null;
      let signal: string | undefined;
      let settled = false;
      const finish = () => {
        if (settled) return;
        settled = true;
        if (timer) clearTimeout(timer);
        resolve({ exitCode, signal, stdout, stderr, timedOut });
      };
      const timer =
        options.timeoutMs && options.timeoutMs > 0
          ? setTimeout(() => {
              timedOut = true;
              // Ask the remote side to stop and drop the channel; sshd may ignore both for a
              // session without a terminal, so the result does not wait for it.
              channel.signal('KILL');
              channel.close();
              finish();
            }, options.timeoutMs)
          : undefined;
      channel.setEncoding('utf8');
      channel.stderr.setEncoding('utf8');
      channel.on('data', (chunk: string) => {
        stdout = appendCapped(stdout, chunk, cap);
        options.onOutput?.('stdout', chunk);
      });
      channel.stderr.on('data', (chunk: string) => {
        stderr = appendCapped(stderr, chunk, cap);
        options.onOutput?.('stderr', chunk);
      });
      channel.on('exit', (code: number | null, signalName?: string) => {
        exitCode = code;
        signal = signalName ?? undefined;
      });
      const abort = () => {
        channel.signal('TERM');
        channel.close();
        finish();
      };
      options.signal?.addEventListener('abort', abort, { once: true });
      if (options.signal?.aborted) abort();
      channel.on('close', () => {
        options.signal?.removeEventListener('abort', abort);
        finish();
      });
    });
  });
}

/**
 * Runs an argv on the remote host inside a pseudo-terminal wired to this process's terminal
 * (for `exec -it`): keystrokes go there raw, output comes back as it is drawn. Resolves with
 * the remote exit code once the session ends.
 */
export function sshExecAttached(client: Client, argv: readonly string[]): Promise<number | null> {
  const stdin = process.stdin;
  const stdout = process.stdout;
  return new Promise((resolve, reject) => {
    const pty = { term: process.env.TERM ?? 'xterm', rows: stdout.rows ?? 24, cols: stdout.columns ?? 80 };
    client.exec(quoteArgv(argv), { pty }, (error, channel) => {
      if (error) {
        reject(
          new KittenError('SSH_EXEC_FAILED', `the remote host would not run the command: ${error.message}`),
        );
        return;
      }
      let exitCode: number | null = null;
      const wasRaw = stdin.isTTY ? stdin.isRaw : false;
      if (stdin.isTTY) stdin.setRawMode(true);
      const resize = () => channel.setWindow(stdout.rows ?? 24, stdout.columns ?? 80, 0, 0);
      stdout.on('resize', resize);
      stdin.pipe(channel);
      channel.pipe(stdout, { end: false });
      channel.stderr.pipe(process.stderr, { end: false });
      channel.on('exit', (code: number | null) => {
        exitCode = code;
      });
      channel.on('close', () => {
        stdin.unpipe(channel);
        stdout.off('resize', resize);
        if (stdin.isTTY) stdin.setRawMode(wasRaw);
        stdin.pause();
        resolve(exitCode);
      });
    });
  });
}
