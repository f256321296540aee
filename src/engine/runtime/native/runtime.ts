import { spawn } from 'node:child_process';
import { readdir, stat } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import { RuntimeError, UsageError } from '../../errors.js';
import { type ProgressSink, silentProgress } from '../../progress.js';
import type { NetworkSpec } from '../../stack/model.js';
import { readJsonIfExists } from '../../state/atomic.js';
import { kittenHome } from '../../state/home.js';
import type {
  ContainerStatus,
  CreateRequest,
  ExecResult,
  LogLine,
  LogOptions,
  NetworkStatus,
  Runtime,
} from '../types.js';
import { hostTools } from './host-tools.js';
import { ImageStore } from './image/store.js';
import { LOG_FILE, readLogs } from './log-file.js';
import { type NativePaths, nativePaths } from './paths.js';
import { isAlive } from './process-table.js';
import type { ResolvedImage } from './protocol.js';
import { type ContainerRecord, type NetworkRecord, readExitCode, readRecord, toStatus } from './state.js';
import { networkRecordStatus } from './supervisor/project-supervisor.js';
import { SupervisorClient } from './supervisor-client.js';

export interface NativeRuntimeOptions {
  home?: string;
  progress?: ProgressSink;
}

const DEFAULT_STOP_TIMEOUT_MS = 10_000;

export function requireRoot(action: string): void {
  if (process.getuid?.() === 0) return;
  throw new RuntimeError('NATIVE_NEEDS_ROOT', `the native runtime needs root to ${action}`, {
    hint: 'namespaces, overlay mounts, bridges, veths and cgroups all need root: run with sudo, or use --runtime docker',
  });
}

function looksLikePath(image: string): boolean {
  return image.startsWith('/') || image.startsWith('./') || image.startsWith('../') || image === '.';
}

/**
 * Kitten's own runtime: containers are processes in fresh Linux namespaces with an overlay root,
 * supervised by one detached process per project. Reads (inspect, list, logs) go straight to the
 * state files; changes go through the project's supervisor, which is started on demand.
 */
export class NativeRuntime implements Runtime {
  readonly name = 'native' as const;
  readonly home: string;
  readonly paths: NativePaths;
  readonly images: ImageStore;
  private readonly client: SupervisorClient;
  private readonly progress: ProgressSink;

  constructor(options: NativeRuntimeOptions = {}) {
    this.home = options.home ?? kittenHome();
    this.paths = nativePaths(this.home);
    this.progress = options.progress ?? silentProgress;
    this.client = new SupervisorClient(this.paths, this.home);
    this.images = new ImageStore(this.paths.images);
  }

  async ensureNetwork(project: string, network: NetworkSpec): Promise<NetworkStatus> {
    requireRoot(`create network ${network.name}`);
    return this.client.call(project, { method: 'ensureNetwork', network });
  }

  async removeNetwork(project: string, network: string): Promise<void> {
    const exists = await readJsonIfExists(this.paths.network(project, network)).catch(() => undefined);
    if (!exists) return;
    requireRoot(`remove network ${network}`);
    await this.client.call(project, { method: 'removeNetwork', network });
  }

  async listNetworks(project: string): Promise<NetworkStatus[]> {
    const dir = this.paths.networks(project);
    const files = await readdir(dir).catch(() => [] as string[]);
    const statuses: NetworkStatus[] = [];
    for (const file of files.filter((f) => f.endsWith('.json')).sort()) {
      const record = await readJsonIfExists<NetworkRecord>(join(dir, file)).catch(() => undefined);
      if (record) statuses.push(networkRecordStatus(record));
    }
    return statuses;
  }

  async createContainer(request: CreateRequest): Promise<ContainerStatus> {
    requireRoot(`create container ${request.name}`);
    hostTools();
    const image = await this.resolveImage(request.spec.image, request.baseDir);
    return this.client.call(request.project, { method: 'create', request, image });
  }

  async start(name: string): Promise<void> {
    requireRoot(`start ${name}`);
    await this.client.call(await this.projectOf(name), { method: 'start', name });
  }

  async stop(name: string, options: { timeoutMs?: number } = {}): Promise<void> {
    requireRoot(`stop ${name}`);
    await this.client.call(await this.projectOf(name), {
      method: 'stop',
      name,
      timeoutMs: options.timeoutMs ?? DEFAULT_STOP_TIMEOUT_MS,
    });
  }

  async remove(name: string): Promise<void> {
    const project = await this.findProject(name);
    if (project === null) return;
    requireRoot(`remove ${name}`);
    await this.client.call(project, { method: 'remove', name });
  }

  async inspect(name: string): Promise<ContainerStatus | null> {
    const project = await this.findProject(name);
    if (project === null) return null;
    const dir = this.paths.container(project, name);
    const record = await readRecord(dir);
    if (!record) return null;
    return toStatus(record, await readExitCode(dir), await this.client.alive(project));
  }

  async list(project: string): Promise<ContainerStatus[]> {
    const records = await this.records(project);
    let supervisorAlive = await this.client.alive(project);
    if (!supervisorAlive && records.length > 0 && process.getuid?.() === 0) {
      // Whoever looks at a project whose supervisor died (`up`, `ps`, `down`) brings one back: it
      // adopts the survivors, settles the dead and takes the published ports over again.
      await this.client.call(project, { method: 'ping' });
      supervisorAlive = true;
    }
    const statuses: ContainerStatus[] = [];
    for (const { record, dir } of records)
      statuses.push(toStatus(record, await readExitCode(dir), supervisorAlive));
    return statuses.sort((a, b) => a.name.localeCompare(b.name));
  }

  async projects(): Promise<string[]> {
    const names = await readdir(this.paths.projects).catch(() => [] as string[]);
    const found: string[] = [];
    for (const name of names) {
      const containers = await readdir(this.paths.containers(name)).catch(() => []);
      const networks = await readdir(this.paths.networks(name)).catch(() => []);
      if (containers.length > 0 || networks.length > 0) found.push(name);
    }
    return found.sort();
  }

  async *logs(name: string, options: LogOptions): AsyncIterable<LogLine> {
    const project = await this.projectOf(name);
    const dir = this.paths.container(project, name);
    const record = await readRecord(dir);
    yield* readLogs(join(dir, LOG_FILE), name, record?.service ?? name, options);
  }

  async exec(name: string, argv: string[]): Promise<ExecResult> {
    requireRoot(`exec in ${name}`);
    const project = await this.projectOf(name);
    const record = await readRecord(this.paths.container(project, name));
    if (record?.state !== 'running' || !record.init || !isAlive(record.init)) {
      throw new RuntimeError('CONTAINER_NOT_RUNNING', `container ${name} is not running`, {
        hint: `start it first: kitten start ${record?.service ?? name}`,
      });
    }
    if (argv.length === 0)
      throw new UsageError('EXEC_NO_COMMAND', 'no command given to exec', {
        hint: 'kitten exec SERVICE -- CMD [ARGS...]',
      });
    return runInContainer(record, argv);
  }

  async close(): Promise<void> {}

  /** Containers (in any project) whose root stands on the given image rootfs: `image rm` refuses while any do. */
  async imageUsers(rootfs: string): Promise<string[]> {
    const users: string[] = [];
    for (const project of await readdir(this.paths.projects).catch(() => [] as string[])) {
      for (const { record } of await this.records(project))
        if (record.lower_dir === rootfs) users.push(record.name);
    }
    return users.sort();
  }

  // --- helpers -------------------------------------------------------------------------------

  /** The project dir that holds a container of this name; containers are named per project. */
  private async findProject(name: string): Promise<string | null> {
    for (const project of await readdir(this.paths.projects).catch(() => [] as string[])) {
      const found = await stat(join(this.paths.container(project, name), 'state.json')).catch(() => null);
      if (found) return project;
    }
    return null;
  }

  private async projectOf(name: string): Promise<string> {
    const project = await this.findProject(name);
    if (project !== null) return project;
    throw new RuntimeError('CONTAINER_NOT_FOUND', `no container named ${name}`, {
      hint: 'run `kitten ps` to see the containers',
    });
  }

  private async records(project: string): Promise<Array<{ record: ContainerRecord; dir: string }>> {
    const root = this.paths.containers(project);
    const out: Array<{ record: ContainerRecord; dir: string }> = [];
    for (const name of await readdir(root).catch(() => [] as string[])) {
      const dir = join(root, name);
      const record = await readRecord(dir);
      if (record) out.push({ record, dir });
    }
    return out;
  }

  async resolveImage(image: string, baseDir: string): Promise<ResolvedImage> {
    const none = { env: {}, cmd: null, entrypoint: null, workdir: null };
    if (image === 'host') return { lowerDir: this.paths.hostSkeleton, hostImage: true, defaults: none };
    if (looksLikePath(image) || isAbsolute(image)) {
      const dir = resolve(baseDir, image);
      if (/[,:]/.test(dir)) {
        throw new UsageError(
          'IMAGE_ROOTFS_PATH',
          `image path ${dir} has a comma or a colon, which overlayfs cannot take`,
          {
            hint: 'move or link the root filesystem to a path without , or :',
          },
        );
      }
      const info = await stat(dir).catch(() => null);
      if (!info?.isDirectory()) {
        throw new UsageError('IMAGE_ROOTFS_MISSING', `image ${image} is not a directory (looked at ${dir})`, {
          hint: 'point image at an unpacked root filesystem, use "host", or a name:tag from `kitten image ls`',
        });
      }
      return { lowerDir: dir, hostImage: false, defaults: none };
    }
    const found = (await this.images.find(image)) ?? (await this.images.pull(image, this.progress));
    return { lowerDir: found.rootfs, hostImage: false, defaults: found.config };
  }
}

export function runInContainer(
  record: ContainerRecord,
  argv: string[],
  timeoutMs?: number,
): Promise<ExecResult> {
  const init = record.init;
  if (!init)
    return Promise.reject(
      new RuntimeError('CONTAINER_NOT_RUNNING', `container ${record.name} is not running`),
    );
  const env: Record<string, string> = {
    PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    ...record.image_config.env,
    ...record.spec.environment,
    HOSTNAME: record.spec.hostname || record.name,
  };
  const args = ['-t', String(init.pid), '-m', '-u', '-i', '-n', '-p', '-r', '-w', ...argv];
  return new Promise((resolvePromise, reject) => {
    const child = spawn(hostTools().nsenter, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
    });
    const timer = timeoutMs ? setTimeout(() => child.kill('SIGKILL'), timeoutMs) : null;
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      resolvePromise({ exitCode: code ?? (signal ? 137 : 1), stdout, stderr });
    });
  });
}

export function createNativeRuntime(options: NativeRuntimeOptions = {}): NativeRuntime {
  return new NativeRuntime(options);
}
