import { type ChildProcess, execFile, spawn } from 'node:child_process';

/** What any executor reports: the process's own account of how it ended. */
export interface ExecResult {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  /** Set when the program could not be started at all (not installed, not executable). */
  startError?: string;
}

export interface LocalExecOptions {
  timeoutMs?: number;
  onOutput?: (stream: 'stdout' | 'stderr', chunk: string) => void;
  /** Give the command this terminal (for `exec -it`): nothing is captured. */
  attachTerminal?: boolean;
  env?: NodeJS.ProcessEnv;
  maxCaptureBytes?: number;
  /** Stops the command (SIGTERM, then SIGKILL) when aborted: how a UI cancels `logs -f`. */
  signal?: AbortSignal;
}

const KILL_GRACE_MS = 2000;

function stopOnTimeout(
  child: ChildProcess,
  timeoutMs: number | undefined,
  onTimeout: () => void,
): () => void {
  if (!timeoutMs || timeoutMs <= 0) return () => {};
  let grace: NodeJS.Timeout | undefined;
  const timer = setTimeout(() => {
    onTimeout();
    child.kill('SIGTERM');
    grace = setTimeout(() => child.kill('SIGKILL'), KILL_GRACE_MS);
  }, timeoutMs);
  return () => {
    clearTimeout(timer);
    if (grace) clearTimeout(grace);
  };
}

/** Runs an argv with execFile — no shell ever sees it — streaming and capturing its output. */
export function executeLocal(argv: readonly string[], options: LocalExecOptions = {}): Promise<ExecResult> {
  const [file, ...args] = argv;
  if (!file)
    return Promise.resolve({
      exitCode: null,
      stdout: '',
      stderr: '',
      timedOut: false,
      startError: 'empty command',
    });
  const cap = options.maxCaptureBytes ?? 8 * 1024 * 1024;
  return new Promise((resolve) => {
    let timedOut = false;
    if (options.attachTerminal) {
      const child = spawn(file, args, { stdio: 'inherit', env: options.env ?? process.env, shell: false });
      child.once('error', (error: NodeJS.ErrnoException) =>
        resolve({
          exitCode: null,
          stdout: '',
          stderr: '',
          timedOut,
          startError: describeStartError(file, error),
        }),
      );
      child.once('exit', (code, signal) =>
        resolve({ exitCode: code ?? (signal ? 128 : null), stdout: '', stderr: '', timedOut }),
      );
      return;
    }
    let stdout = '';
    let stderr = '';
    const child = execFile(
      file,
      args,
      {
        env: options.env ?? process.env,
        maxBuffer: Number.POSITIVE_INFINITY,
        encoding: 'utf8',
        windowsHide: true,
      },
      (error) => {
        clear();
        const err = error as (NodeJS.ErrnoException & { code?: string | number }) | null;
        if (err && typeof err.code === 'string' && (err.code === 'ENOENT' || err.code === 'EACCES')) {
          resolve({ exitCode: null, stdout, stderr, timedOut, startError: describeStartError(file, err) });
          return;
        }
        const exitCode = child.exitCode ?? (child.signalCode ? 128 + signalNumber(child.signalCode) : 0);
        resolve({ exitCode, stdout, stderr, timedOut });
      },
    );
    const stopTimer = stopOnTimeout(child, options.timeoutMs, () => {
      timedOut = true;
    });
    const stop = () => {
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), KILL_GRACE_MS).unref();
    };
    options.signal?.addEventListener('abort', stop, { once: true });
    const clear = () => {
      stopTimer();
      options.signal?.removeEventListener('abort', stop);
    };
    if (options.signal?.aborted) stop();
    child.stdin?.end();
    child.stdout?.on('data', (chunk: string) => {
      if (stdout.length < cap) stdout += chunk.slice(0, cap - stdout.length);
      options.onOutput?.('stdout', chunk);
    });
    child.stderr?.on('data', (chunk: string) => {
      if (stderr.length < cap) stderr += chunk.slice(0, cap - stderr.length);
      options.onOutput?.('stderr', chunk);
    });
  });
}

function signalNumber(signal: NodeJS.Signals): number {
  return ({ SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGTERM: 15 } as Record<string, number>)[signal] ?? 0;
}

function describeStartError(file: string, error: NodeJS.ErrnoException): string {
  if (error.code === 'ENOENT') return `${file} is not installed (not found on PATH)`;
  if (error.code === 'EACCES') return `${file} is not executable`;
  return `${file} could not be started: ${error.message}`;
}
