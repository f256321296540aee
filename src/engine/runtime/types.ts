import type { ProgressSink } from '../progress.js';
import type { ContainerSpec, NetworkSpec, PortMapping, Stack } from '../stack/model.js';

/**
 * The contract every runtime driver (native, docker, kubernetes) keeps. The orchestrator drives
 * only this interface. Each driver keeps its truth where its platform keeps it: docker and
 * kubernetes in labels (LABELS below), native in a state directory per container under KITTEN_HOME.
 */
export type RuntimeName = 'native' | 'docker' | 'kubernetes';

export const LABELS = {
  project: 'dev.kitten.project',
  service: 'dev.kitten.service',
  replica: 'dev.kitten.replica',
  configHash: 'dev.kitten.config-hash',
  network: 'dev.kitten.network',
} as const;

export type ContainerState = 'created' | 'running' | 'restarting' | 'exited';
export type HealthState = 'starting' | 'healthy' | 'unhealthy';

/** What `kitten ps --json` prints, one per container, the same shape from every runtime. */
export interface ContainerStatus {
  name: string;
  project: string;
  service: string;
  replica: number;
  image: string;
  state: ContainerState;
  health: HealthState | null;
  pid: number | null;
  ip: string | null;
  ports: PortMapping[];
  restarts: number;
  exit_code: number | null;
  config_hash: string;
  started_at: string | null;
  finished_at: string | null;
}

export interface NetworkStatus {
  /** The runtime's own name for it (e.g. `shop_default`, `kt-shop-default`). */
  id: string;
  project: string;
  /** The name in the stack file. */
  network: string;
  driver: NetworkSpec['driver'];
  subnet: string | null;
  gateway: string | null;
}

export interface LogLine {
  container: string;
  service: string;
  stream: 'stdout' | 'stderr';
  /** ISO-8601 timestamp of the line. */
  time: string;
  text: string;
}

export interface LogOptions {
  follow?: boolean;
  tail?: number;
  since?: Date;
  signal?: AbortSignal;
}

export interface ExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export interface CreateRequest {
  project: string;
  spec: ContainerSpec;
  /** 1-based, as compose numbers replicas. */
  replica: number;
  name: string;
  configHash: string;
  /** Directory of the stack file: relative bind mounts and rootfs paths resolve against it. */
  baseDir: string;
}

export interface Runtime {
  readonly name: RuntimeName;
  ensureNetwork(project: string, network: NetworkSpec): Promise<NetworkStatus>;
  removeNetwork(project: string, network: string): Promise<void>;
  listNetworks(project: string): Promise<NetworkStatus[]>;
  createContainer(request: CreateRequest): Promise<ContainerStatus>;
  start(name: string): Promise<void>;
  stop(name: string, options?: { timeoutMs?: number }): Promise<void>;
  remove(name: string): Promise<void>;
  inspect(name: string): Promise<ContainerStatus | null>;
  list(project: string): Promise<ContainerStatus[]>;
  /** Every project this runtime knows of (for `kitten ps -a`, the TUI's Stack tab). */
  projects(): Promise<string[]>;
  logs(name: string, options: LogOptions): AsyncIterable<LogLine>;
  exec(name: string, argv: string[]): Promise<ExecResult>;
  /** Release connections (sockets, ssh tunnels). */
  close(): Promise<void>;
}

/** A container as it stands right after create, before the runtime has started anything. */
export function createdStatus(request: CreateRequest): ContainerStatus {
  return {
    name: request.name,
    project: request.project,
    service: request.spec.name,
    replica: request.replica,
    image: request.spec.image,
    state: 'created',
    health: null,
    pid: null,
    ip: null,
    ports: [...request.spec.ports].sort((a, b) => a.container - b.container || (a.host ?? 0) - (b.host ?? 0)),
    restarts: 0,
    exit_code: null,
    config_hash: request.configHash,
    started_at: null,
    finished_at: null,
  };
}

/** Compose's naming: `<project>-<service>-<replica>`. */
export function containerName(project: string, service: string, replica: number): string {
  return `${project}-${service}-${replica}`;
}

/**
 * A capability, not a kind check: runtimes that deploy a whole stack at once (kubernetes applies
 * every object server-side in dependency order) implement it, and the orchestrator hands them the
 * stack instead of driving containers one by one.
 */
export interface StackDeployOptions {
  wait: boolean;
  timeoutMs: number;
  removeOrphans: boolean;
  /** Driver-specific settings (kubernetes: namespace, expose, ttl, strict). */
  extra?: Record<string, unknown>;
}

export interface StackDeployer {
  deployStack(stack: Stack, options: StackDeployOptions, progress: ProgressSink): Promise<void>;
  removeStack(project: string, progress: ProgressSink): Promise<void>;
}

export function isStackDeployer(runtime: Runtime): runtime is Runtime & StackDeployer {
  return typeof (runtime as Partial<StackDeployer>).deployStack === 'function';
}
