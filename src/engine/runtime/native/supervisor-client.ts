import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { KittenError, RuntimeError } from '../../errors.js';
import { readJsonIfExists } from '../../state/atomic.js';
import type { NativePaths } from './paths.js';
import { isAlive } from './process-table.js';
import type { SupervisorRequest, SupervisorResponse, SupervisorResults } from './protocol.js';
import type { SupervisorFile } from './supervisor/server.js';

/**
 * Talks to a project's supervisor, starting it (detached) when none answers. One request per
 * connection keeps failure handling trivial: a dead supervisor is a refused connect, never a
 * half-read stream.
 */
const START_DEADLINE_MS = 15_000;

function request(
  socketPath: string,
  message: SupervisorRequest,
): Promise<SupervisorResponse | 'unreachable'> {
  return new Promise((resolve, reject) => {
    const socket = connect(socketPath);
    let buffer = '';
    let connected = false;
    socket.setEncoding('utf8');
    socket.once('connect', () => {
      connected = true;
      socket.write(`${JSON.stringify(message)}\n`);
    });
    socket.on('data', (chunk: string) => {
      buffer += chunk;
    });
    socket.once('error', (error: NodeJS.ErrnoException) => {
      if (!connected) resolve('unreachable');
      else
        reject(new RuntimeError('SUPERVISOR_LOST', `the supervisor went away mid-request: ${error.message}`));
    });
    socket.once('close', () => {
      if (!connected) return;
      const line = buffer.split('\n')[0] ?? '';
      if (!line) {
        reject(
          new RuntimeError('SUPERVISOR_LOST', 'the supervisor closed the connection without answering', {
            hint: 'see supervisor.log in the project directory under KITTEN_HOME/native/projects',
          }),
        );
        return;
      }
      resolve(JSON.parse(line) as SupervisorResponse);
    });
  });
}

function supervisorEntry(): string[] {
  if (import.meta.url.endsWith('.ts')) {
    // Running from sources (tests, tsx): the supervisor is TypeScript too.
    const path = fileURLToPath(new URL('./supervisor/main.ts', import.meta.url));
    return ['--import', import.meta.resolve('tsx'), path];
  }
  // Through the package's own exports, so the bundled CLI (whose code lives in dist/chunks)
  // finds the same file as the library build does.
  return [fileURLToPath(import.meta.resolve('kitten/native-supervisor'))];
}

export class SupervisorClient {
  private starting = new Map<string, Promise<void>>();

  constructor(
    private readonly paths: NativePaths,
    private readonly home: string,
  ) {}

  async call<M extends SupervisorRequest['method']>(
    project: string,
    message: Extract<SupervisorRequest, { method: M }>,
  ): Promise<SupervisorResults[M]> {
    const socketPath = this.paths.supervisorSocket(project);
    let response = await request(socketPath, message);
    if (response === 'unreachable') {
      await this.ensureRunning(project);
      response = await request(socketPath, message);
    }
    if (response === 'unreachable') {
      throw new RuntimeError(
        'SUPERVISOR_UNREACHABLE',
        `the supervisor for project ${project} does not answer`,
        {
          hint: `see ${this.paths.supervisorLog(project)}`,
        },
      );
    }
    if (!response.ok) {
      const { code, message: text, hint, kind } = response.error;
      throw new KittenError(code, text, { hint, kind: kind ?? 'failure' });
    }
    return response.result as SupervisorResults[M];
  }

  /** Whether a supervisor process for the project is alive (by its recorded pid and start time). */
  async alive(project: string): Promise<boolean> {
    const file = await readJsonIfExists<SupervisorFile>(this.paths.supervisorFile(project)).catch(
      () => undefined,
    );
    return file ? isAlive({ pid: file.pid, startTime: file.start_time }) : false;
  }

  private ensureRunning(project: string): Promise<void> {
    let pending = this.starting.get(project);
    if (!pending) {
      pending = this.start(project).finally(() => this.starting.delete(project));
      this.starting.set(project, pending);
    }
    return pending;
  }

  private async start(project: string): Promise<void> {
    mkdirSync(this.paths.project(project), { recursive: true });
    const logPath = this.paths.supervisorLog(project);
    const log = openSync(logPath, 'a');
    let exited: number | null = null;
    try {
      const child = spawn(process.execPath, [...supervisorEntry(), this.home, project], {
        detached: true,
        stdio: ['ignore', log, log],
        cwd: '/',
        env: { ...process.env, KITTEN_HOME: this.home },
      });
      child.once('exit', (code) => {
        exited = code ?? 1;
      });
      child.unref();
    } finally {
      closeSync(log);
    }
    const socketPath = this.paths.supervisorSocket(project);
    const until = Date.now() + START_DEADLINE_MS;
    while (Date.now() < until) {
      const answer = await request(socketPath, { method: 'ping' });
      if (answer !== 'unreachable') return;
      // Exit 0 means another supervisor won the race to serve the project: keep asking it.
      if (exited !== null && exited !== 0) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    const last = lastLine(logPath);
    throw new RuntimeError(
      'SUPERVISOR_START_FAILED',
      `the supervisor for project ${project} did not start${last ? `: ${last}` : ''}`,
      { hint: `see ${logPath}` },
    );
  }
}

function lastLine(path: string): string | null {
  try {
    const lines = readFileSync(path, 'utf8').trim().split('\n');
    return lines.at(-1)?.slice(0, 200) ?? null;
  } catch {
    return null;
  }
}
