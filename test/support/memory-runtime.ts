import type {
  ContainerStatus,
  CreateRequest,
  ExecResult,
  LogLine,
  NetworkStatus,
  Runtime,
} from '../../src/engine/runtime/types.js';
import type { NetworkSpec } from '../../src/engine/stack/model.js';

/**
 * An in-memory Runtime for testing the orchestrator's scheduling alone (order, convergence,
 * rollback). Every real driver runs the same scenarios in test/runtime against real containers.
 * `script` lets a test decide how a container behaves once started.
 */
export interface Behaviour {
  /** Health reported after start. */
  health?: ContainerStatus['health'];
  /** Exit right after start with this code. */
  exitWith?: number;
  /** Make start() itself fail. */
  failStart?: string;
}

export class MemoryRuntime implements Runtime {
  readonly name = 'native' as const;
  readonly calls: string[] = [];
  readonly containers = new Map<string, ContainerStatus>();
  readonly networks = new Map<string, NetworkStatus>();
  private clock = 0;
  constructor(private readonly script: (service: string) => Behaviour = () => ({})) {}

  async ensureNetwork(project: string, network: NetworkSpec): Promise<NetworkStatus> {
    this.calls.push(`ensureNetwork ${network.name}`);
    const status: NetworkStatus = {
      id: `${project}_${network.name}`,
      project,
      network: network.name,
      driver: network.driver,
      subnet: network.subnet,
      gateway: network.gateway,
    };
    this.networks.set(`${project}/${network.name}`, status);
    return status;
  }
  async removeNetwork(project: string, network: string): Promise<void> {
    this.calls.push(`removeNetwork ${network}`);
    this.networks.delete(`${project}/${network}`);
  }
  async listNetworks(project: string): Promise<NetworkStatus[]> {
    return [...this.networks.values()].filter((n) => n.project === project);
  }
  async createContainer(r: CreateRequest): Promise<ContainerStatus> {
    this.calls.push(`create ${r.name}`);
    const status: ContainerStatus = {
      name: r.name,
      project: r.project,
      service: r.spec.name,
      replica: r.replica,
      image: r.spec.image,
      state: 'created',
      health: null,
      pid: null,
      ip: null,
      ports: r.spec.ports,
      restarts: 0,
      exit_code: null,
      config_hash: r.configHash,
      started_at: null,
      finished_at: null,
    };
    this.containers.set(r.name, status);
    return status;
  }
  async start(name: string): Promise<void> {
    const c = this.must(name);
    const behaviour = this.script(c.service);
    this.calls.push(`start ${name}`);
    if (behaviour.failStart) throw new Error(behaviour.failStart);
    c.started_at = new Date(++this.clock * 1000).toISOString();
    if (behaviour.exitWith !== undefined)
      Object.assign(c, { state: 'exited', exit_code: behaviour.exitWith });
    else Object.assign(c, { state: 'running', health: behaviour.health ?? null, pid: 1000 + this.clock });
  }
  async stop(name: string): Promise<void> {
    this.calls.push(`stop ${name}`);
    Object.assign(this.must(name), { state: 'exited', exit_code: 0, pid: null });
  }
  async remove(name: string): Promise<void> {
    this.calls.push(`remove ${name}`);
    this.containers.delete(name);
  }
  async inspect(name: string): Promise<ContainerStatus | null> {
    return this.containers.get(name) ?? null;
  }
  async list(project: string): Promise<ContainerStatus[]> {
    return [...this.containers.values()].filter((c) => c.project === project);
  }
  async projects(): Promise<string[]> {
    return [...new Set([...this.containers.values()].map((c) => c.project))];
  }
  async *logs(name: string): AsyncIterable<LogLine> {
    yield {
      container: name,
      service: this.must(name).service,
      stream: 'stdout',
      time: new Date(0).toISOString(),
      text: `hello from ${name}`,
    };
  }
  async exec(name: string, argv: string[]): Promise<ExecResult> {
    this.must(name);
    return { exitCode: 0, stdout: argv.join(' '), stderr: '' };
  }
  async close(): Promise<void> {}
  private must(name: string): ContainerStatus {
    const c = this.containers.get(name);
    if (!c) throw new Error(`no container ${name}`);
    return c;
  }
}
