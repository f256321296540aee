import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { connect, createServer, type Server } from 'node:net';
import { isKittenError } from '../../../errors.js';
import { writeJsonAtomic } from '../../../state/atomic.js';
import type { NativePaths } from '../paths.js';
import { identify } from '../process-table.js';
import type { SupervisorRequest, SupervisorResponse, WireError } from '../protocol.js';
import { ProjectSupervisor } from './project-supervisor.js';

const ORPHAN_CHECK_MS = 5000;

/** Whether something already answers on the socket (a live supervisor for the same project). */
export function socketAnswers(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(path);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

export interface SupervisorFile {
  pid: number;
  start_time: number;
  socket: string;
  started_at: string;
}

function toWire(error: unknown): WireError {
  if (isKittenError(error))
    return { code: error.code, message: error.message, hint: error.hint, kind: error.kind };
  return { code: 'NATIVE_INTERNAL', message: error instanceof Error ? error.message : String(error) };
}

async function dispatch(
  supervisor: ProjectSupervisor,
  request: SupervisorRequest,
  pid: number,
  project: string,
) {
  switch (request.method) {
    case 'ping':
      return { pid, project };
    case 'ensureNetwork':
      return supervisor.ensureNetwork(request.network);
    case 'removeNetwork':
      return supervisor.removeNetwork(request.network);
    case 'create':
      return supervisor.create(request.request, request.image);
    case 'start':
      return supervisor.start(request.name);
    case 'stop':
      return supervisor.stop(request.name, request.timeoutMs);
    case 'remove':
      return supervisor.remove(request.name);
  }
}

/**
 * Runs the supervisor for one project until the project is empty (after `down`). Returns false
 * when another supervisor already serves the project.
 */
export async function serveProject(paths: NativePaths, project: string): Promise<boolean> {
  const socketPath = paths.supervisorSocket(project);
  if (await socketAnswers(socketPath)) return false;
  await rm(socketPath, { force: true });
  const supervisor = new ProjectSupervisor(paths, project);
  await supervisor.adopt();
  let server: Server | null = null;
  const done = new Promise<void>((resolve) => {
    server = createServer((socket) => {
      let buffer = '';
      socket.setEncoding('utf8');
      socket.on('error', () => undefined);
      socket.on('data', (chunk: string) => {
        buffer += chunk;
        const newline = buffer.indexOf('\n');
        if (newline < 0) return;
        const line = buffer.slice(0, newline);
        buffer = '';
        void (async () => {
          let response: SupervisorResponse;
          try {
            const result = await dispatch(
              supervisor,
              JSON.parse(line) as SupervisorRequest,
              process.pid,
              project,
            );
            response = { ok: true, result: result ?? null };
          } catch (error) {
            response = { ok: false, error: toWire(error) };
          }
          socket.end(`${JSON.stringify(response)}\n`);
        })();
      });
    });
    supervisor.onEmpty = () => {
      // Give the reply that emptied the project time to leave before the socket closes.
      setTimeout(async () => {
        if (!(await supervisor.isEmpty())) return;
        await supervisor.shutdown();
        server?.close();
        await rm(socketPath, { force: true });
        await rm(paths.supervisorFile(project), { force: true });
        await rm(paths.project(project), { recursive: true, force: true }).catch(() => undefined);
        resolve();
      }, 100);
    };
  });
  await new Promise<void>((resolve, reject) => {
    (server as unknown as Server).once('error', reject);
    (server as unknown as Server).listen(socketPath, resolve);
  });
  const me = identify(process.pid);
  await writeJsonAtomic(paths.supervisorFile(project), {
    pid: process.pid,
    start_time: me?.startTime ?? -1,
    socket: socketPath,
    started_at: new Date().toISOString(),
  } satisfies SupervisorFile);
  const stop = async () => {
    await supervisor.shutdown();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
  // Someone deleted the project's state (rm -rf KITTEN_HOME): nothing is left to supervise
  // for, and no command could reach this supervisor again. Containers keep running, as after a crash.
  const orphaned = setInterval(() => {
    if (!existsSync(paths.supervisorFile(project))) void stop();
  }, ORPHAN_CHECK_MS);
  orphaned.unref();
  await done;
  clearInterval(orphaned);
  return true;
}
