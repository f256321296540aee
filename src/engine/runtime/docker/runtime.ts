import { PassThrough } from 'node:stream';
import type Dockerode from 'dockerode';
import { RuntimeError } from '../../errors.js';
import { type ProgressSink, silentProgress } from '../../progress.js';
import type { NetworkSpec } from '../../stack/model.js';
import {
  type ContainerStatus,
  type CreateRequest,
  createdStatus,
  type ExecResult,
  LABELS,
  type LogLine,
  type LogOptions,
  type NetworkStatus,
  type Runtime,
} from '../types.js';
import {
  type ConnectOptions,
  type DockerConnection,
  openDocker,
  type PingResult,
  pingConnection,
} from './connection.js';
import {
  containerCreateOptions,
  isBuiltinNetwork,
  networkConfigHash,
  networkCreateOptions,
  networkId,
} from './create-options.js';
import { engineMessage, isNotFound, statusCode, translateDockerError } from './docker-errors.js';
import { type DockerEndpoint, resolveDockerEndpoint } from './endpoint.js';
import type { EngineClient } from './engine-client.js';
import { ImagePuller, type PullPolicy } from './images.js';
import { LogFrameDecoder, splitTimestamp } from './log-frames.js';
import { containerStatus, networkStatus } from './status.js';

export interface DockerRuntimeOptions extends ConnectOptions {
  /** `unix:///…`, `tcp://…`, `ssh://user@host[:port]`; default from DOCKER_HOST, the docker context, the socket. */
  host?: string;
  pull?: PullPolicy;
  progress?: ProgressSink;
}

function labelFilter(...labels: string[]): string {
  return JSON.stringify({ label: labels });
}

/**
 * The docker driver: every object it makes carries Kitten's labels, and everything it reports is
 * read back from the engine, so `ps`, `logs` and `down` work from any shell with no state file.
 */
export class DockerRuntime implements Runtime {
  readonly name = 'docker' as const;
  readonly endpoint: DockerEndpoint;
  private connecting: Promise<DockerConnection> | null = null;
  /** Set once connected: over ssh:// it holds what the remote `docker` said when it failed. */
  private connected: DockerConnection | null = null;
  private readonly images: ImagePuller;
  /** Networks ensured in this process, by project: the container's attachments resolve against them. */
  private readonly networks = new Map<string, Record<string, NetworkSpec>>();

  constructor(private readonly options: DockerRuntimeOptions = {}) {
    this.endpoint = resolveDockerEndpoint(
      options.env ?? process.env,
      options.host ? { host: options.host } : {},
    );
    this.images = new ImagePuller(
      () => this.docker(),
      this.endpoint,
      options.pull ?? 'missing',
      options.progress ?? silentProgress,
    );
  }

  private connection(): Promise<DockerConnection> {
    if (!this.connecting) {
      this.connecting = openDocker(this.endpoint, this.options);
      // A failed connection is forgotten, so the next call tries again.
      this.connecting.then(
        (connection) => {
          this.connected = connection;
        },
        () => {
          this.connecting = null;
        },
      );
    }
    return this.connecting;
  }

  private async docker(): Promise<EngineClient> {
    return (await this.connection()).docker;
  }

  private fail(error: unknown, action: string, extra: { image?: string; subnet?: string | null } = {}) {
    const failure = translateDockerError(error, { endpoint: this.endpoint, action, ...extra });
    const remote = this.connected?.remoteStderr().split('\n').pop();
    if (failure.code !== 'DOCKER_UNREACHABLE' || !remote) return failure;
    return new RuntimeError(
      'DOCKER_UNREACHABLE',
      `${action}: docker on ${this.endpoint.url} said: ${remote}`,
      {
        hint: 'install Docker on the remote host and make sure the SSH user may use it (docker group)',
      },
    );
  }

  async ping(timeoutMs?: number): Promise<PingResult> {
    return pingConnection(await this.connection(), timeoutMs);
  }

  async ensureNetwork(project: string, spec: NetworkSpec): Promise<NetworkStatus> {
    const known = this.networks.get(project) ?? {};
    known[spec.name] = spec;
    this.networks.set(project, known);
    if (isBuiltinNetwork(spec)) {
      return {
        id: spec.driver,
        project,
        network: spec.name,
        driver: spec.driver,
        subnet: null,
        gateway: null,
      };
    }
    const docker = await this.docker();
    const id = networkId(project, spec.name);
    const existing = await this.inspectNetwork(docker, id);
    if (existing) {
      const labels = existing.Labels ?? {};
      if (labels[LABELS.project] !== project) {
        throw new RuntimeError(
          'NETWORK_NOT_OURS',
          `network ${id} exists but was not created by Kitten for project ${project}`,
          {
            hint: `remove it (\`docker network rm ${id}\`) or choose another project name with -p`,
          },
        );
      }
      if (labels[LABELS.configHash] === networkConfigHash(spec)) return networkStatus(existing);
      if (Object.keys(existing.Containers ?? {}).length > 0) {
        throw new RuntimeError(
          'NETWORK_CHANGED',
          `network ${id} changed in the stack file but containers still use it`,
          {
            hint: 'run `kitten down` and then `kitten up` to recreate it',
          },
        );
      }
      await this.removeNetworkById(docker, id);
    }
    try {
      await docker.createNetwork(networkCreateOptions(project, spec));
    } catch (error) {
      // Another `up` of the same project created it a moment ago.
      if (statusCode(error) !== 409) throw this.fail(error, `create network ${id}`, { subnet: spec.subnet });
    }
    const created = await this.inspectNetwork(docker, id);
    if (!created)
      throw new RuntimeError('NETWORK_VANISHED', `network ${id} disappeared right after it was created`);
    return networkStatus(created);
  }

  private async inspectNetwork(
    docker: EngineClient,
    id: string,
  ): Promise<Dockerode.NetworkInspectInfo | null> {
    try {
      return (await docker.getNetwork(id).inspect()) as Dockerode.NetworkInspectInfo;
    } catch (error) {
      if (isNotFound(error)) return null;
      throw this.fail(error, `inspect network ${id}`);
    }
  }

  private async removeNetworkById(docker: EngineClient, id: string): Promise<void> {
    try {
      await docker.getNetwork(id).remove();
    } catch (error) {
      if (isNotFound(error)) return;
      if (/active endpoints/i.test(engineMessage(error))) {
        throw new RuntimeError('NETWORK_IN_USE', `network ${id} still has containers attached`, {
          hint: `see them with \`docker network inspect ${id}\`; remove them, then retry`,
        });
      }
      throw this.fail(error, `remove network ${id}`);
    }
  }

  async removeNetwork(project: string, network: string): Promise<void> {
    if (network === 'host' || network === 'none') return;
    const spec = this.networks.get(project)?.[network];
    if (spec && isBuiltinNetwork(spec)) return;
    await this.removeNetworkById(await this.docker(), networkId(project, network));
    delete this.networks.get(project)?.[network];
  }

  async listNetworks(project: string): Promise<NetworkStatus[]> {
    const docker = await this.docker();
    try {
      const found = await docker.listNetworks({ filters: labelFilter(`${LABELS.project}=${project}`) });
      return found.map(networkStatus).sort((a, b) => a.id.localeCompare(b.id));
    } catch (error) {
      throw this.fail(error, 'list networks');
    }
  }

  async createContainer(request: CreateRequest): Promise<ContainerStatus> {
    await this.images.ensure(request.spec.image);
    const docker = await this.docker();
    const { options, placement } = containerCreateOptions(request, this.networks.get(request.project) ?? {});
    let container: Dockerode.Container;
    try {
      container = await docker.createContainer(options);
    } catch (error) {
      if (statusCode(error) === 409) {
        throw new RuntimeError('CONTAINER_EXISTS', `a container named ${request.name} already exists`, {
          hint: `remove it (\`docker rm -f ${request.name}\`) or run \`kitten down\` for project ${request.project}`,
        });
      }
      throw this.fail(error, `create container ${request.name}`, { image: request.spec.image });
    }
    try {
      for (const extra of placement.more) {
        await docker.getNetwork(extra.id).connect({ Container: container.id, EndpointConfig: extra.config });
      }
      // A container that was just created has no ip, pid or times yet: what it is follows from
      // the request, which spares the engine one inspect per container on a busy `up`.
      return createdStatus(request);
    } catch (error) {
      // Nothing half-made: a container that could not be wired up is removed again.
      await container.remove({ force: true }).catch(() => {});
      throw this.fail(error, `connect container ${request.name} to its networks`);
    }
  }

  async start(name: string): Promise<void> {
    const docker = await this.docker();
    try {
      await docker.getContainer(name).start();
    } catch (error) {
      if (statusCode(error) === 304) return;
      if (isNotFound(error)) throw notFound(name);
      throw this.fail(error, `start ${name}`);
    }
  }

  async stop(name: string, options: { timeoutMs?: number } = {}): Promise<void> {
    const docker = await this.docker();
    const seconds = Math.max(0, Math.ceil((options.timeoutMs ?? 10_000) / 1000));
    try {
      await docker.getContainer(name).stop({ t: seconds });
    } catch (error) {
      if (statusCode(error) === 304 || isNotFound(error)) return;
      throw this.fail(error, `stop ${name}`);
    }
  }

  async remove(name: string): Promise<void> {
    const docker = await this.docker();
    try {
      await docker.getContainer(name).remove({ force: true });
    } catch (error) {
      if (isNotFound(error)) return;
      if (statusCode(error) === 409 && /already in progress/i.test(engineMessage(error))) return;
      throw this.fail(error, `remove ${name}`);
    }
  }

  async inspect(name: string): Promise<ContainerStatus | null> {
    const docker = await this.docker();
    try {
      return containerStatus(await docker.getContainer(name).inspect());
    } catch (error) {
      if (isNotFound(error)) return null;
      throw this.fail(error, `inspect ${name}`);
    }
  }

  async list(project: string): Promise<ContainerStatus[]> {
    const docker = await this.docker();
    let summaries: Dockerode.ContainerInfo[];
    try {
      summaries = await docker.listContainers({
        all: true,
        filters: labelFilter(`${LABELS.project}=${project}`),
      });
    } catch (error) {
      throw this.fail(error, 'list containers');
    }
    // A container removed between the list and its inspect simply drops out.
    const statuses = await Promise.all(summaries.map((s) => this.inspect(s.Id)));
    return statuses
      .filter((s): s is ContainerStatus => s !== null)
      .sort((a, b) => a.service.localeCompare(b.service) || a.replica - b.replica);
  }

  async projects(): Promise<string[]> {
    const docker = await this.docker();
    try {
      const [containers, networks] = await Promise.all([
        docker.listContainers({ all: true, filters: labelFilter(LABELS.project) }),
        docker.listNetworks({ filters: labelFilter(LABELS.project) }),
      ]);
      const names = new Set<string>();
      for (const c of containers) if (c.Labels[LABELS.project]) names.add(c.Labels[LABELS.project] as string);
      for (const n of networks) if (n.Labels?.[LABELS.project]) names.add(n.Labels[LABELS.project] as string);
      return [...names].sort();
    } catch (error) {
      throw this.fail(error, 'list projects');
    }
  }

  async *logs(name: string, options: LogOptions): AsyncIterable<LogLine> {
    const docker = await this.docker();
    const container = docker.getContainer(name);
    let info: Dockerode.ContainerInspectInfo;
    try {
      info = await container.inspect();
    } catch (error) {
      if (isNotFound(error)) throw notFound(name);
      throw this.fail(error, `logs of ${name}`);
    }
    const service = info.Config.Labels?.[LABELS.service] ?? '';
    const containerName = info.Name.replace(/^\//, '');
    const query = {
      follow: options.follow ?? false,
      stdout: true,
      stderr: true,
      timestamps: true,
      tail: options.tail === undefined ? 'all' : String(options.tail),
      ...(options.since ? { since: unixSeconds(options.since) } : {}),
    };
    let source: NodeJS.ReadableStream | Buffer;
    try {
      source = (await container.logs(query as never)) as unknown as NodeJS.ReadableStream | Buffer;
    } catch (error) {
      throw this.fail(error, `logs of ${name}`);
    }
    const decoder = new LogFrameDecoder(info.Config.Tty === true);
    const toLine = (line: { stream: 'stdout' | 'stderr'; text: string }): LogLine => {
      const { time, text } = splitTimestamp(line.text);
      return {
        container: containerName,
        service,
        stream: line.stream,
        time: time ?? new Date().toISOString(),
        text,
      };
    };
    if (Buffer.isBuffer(source)) {
      for (const line of [...decoder.push(source), ...decoder.end()]) yield toLine(line);
      return;
    }
    const stream = source as NodeJS.ReadableStream & { destroy(): void };
    const abort = () => stream.destroy();
    options.signal?.addEventListener('abort', abort, { once: true });
    try {
      if (options.signal?.aborted) return;
      for await (const chunk of stream) {
        for (const line of decoder.push(chunk as Buffer)) yield toLine(line);
      }
      for (const line of decoder.end()) yield toLine(line);
    } catch (error) {
      if (options.signal?.aborted) return;
      throw this.fail(error, `logs of ${name}`);
    } finally {
      options.signal?.removeEventListener('abort', abort);
      stream.destroy();
    }
  }

  async exec(name: string, argv: string[]): Promise<ExecResult> {
    const docker = await this.docker();
    let exec: Dockerode.Exec;
    try {
      exec = await docker.getContainer(name).exec({ Cmd: argv, AttachStdout: true, AttachStderr: true });
    } catch (error) {
      if (isNotFound(error)) throw notFound(name);
      if (statusCode(error) === 409) {
        throw new RuntimeError('CONTAINER_NOT_RUNNING', `container ${name} is not running`, {
          hint: `start it first (\`kitten start\`), or read why it stopped with \`kitten logs\``,
        });
      }
      throw this.fail(error, `exec in ${name}`);
    }
    const stream = await exec.start({ hijack: true, stdin: false });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    const out = new PassThrough().on('data', (chunk: Buffer) => stdout.push(chunk));
    const err = new PassThrough().on('data', (chunk: Buffer) => stderr.push(chunk));
    docker.modem.demuxStream(stream, out, err);
    await new Promise<void>((resolve, reject) => {
      stream.on('end', resolve);
      stream.on('close', resolve);
      stream.on('error', reject);
    });
    let exitCode: number | null = null;
    // The exit code lands in the exec's state a moment after its output ends.
    for (let attempt = 0; attempt < 50 && exitCode === null; attempt++) {
      const state = await exec.inspect();
      if (!state.Running) exitCode = state.ExitCode ?? null;
      else await new Promise((r) => setTimeout(r, 20));
    }
    return {
      exitCode: exitCode ?? -1,
      stdout: Buffer.concat(stdout).toString('utf8'),
      stderr: Buffer.concat(stderr).toString('utf8'),
    };
  }

  async close(): Promise<void> {
    const pending = this.connecting;
    this.connecting = null;
    this.connected = null;
    if (!pending) return;
    const connection = await pending.catch(() => null);
    await connection?.close();
  }
}

function notFound(name: string): RuntimeError {
  return new RuntimeError('CONTAINER_NOT_FOUND', `no container named ${name}`, {
    hint: 'list the stack with `kitten ps`',
  });
}

/** Docker's `since`: seconds with a fractional part, parsed by the engine down to nanoseconds. */
function unixSeconds(date: Date): string {
  const ms = date.getTime();
  return `${Math.floor(ms / 1000)}.${String(ms % 1000).padStart(3, '0')}`;
}
