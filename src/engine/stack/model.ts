/**
 * The normalized stack: what every runtime consumes and what `up --dry-run --json` prints.
 * Field names follow the stack file (snake_case), because this shape is a published JSON contract.
 */
export type Protocol = 'tcp' | 'udp';

export interface PortMapping {
  /** Host port; null when only the container port is declared (not published). */
  host: number | null;
  container: number;
  protocol: Protocol;
  /** Host address to bind; null means all addresses. */
  host_ip: string | null;
}

export type DependsCondition = 'started' | 'healthy' | 'completed';

export type RestartName = 'no' | 'always' | 'on-failure' | 'unless-stopped';

export interface RestartPolicy {
  policy: RestartName;
  /** Only for on-failure:N; null means unlimited. */
  max_retries: number | null;
  /**
   * Whether the stack file wrote the policy out. Containers treat an absent policy as "no", but a
   * cluster does not: there an explicit "no" is a run-once Job and an absent one a Deployment.
   */
  declared?: boolean;
}

export interface Healthcheck {
  /** Exec form: `CMD-SHELL x` becomes `["/bin/sh", "-c", "x"]`. */
  test: string[];
  interval_ms: number;
  timeout_ms: number;
  retries: number;
  start_period_ms: number;
}

export interface VolumeMount {
  source: string;
  target: string;
  read_only: boolean;
}

export interface NetworkAttachment {
  name: string;
  ip: string | null;
}

export interface ContainerSpec {
  name: string;
  image: string;
  command: string[] | null;
  hostname: string;
  workdir: string;
  environment: Record<string, string>;
  ports: PortMapping[];
  networks: NetworkAttachment[];
  depends_on: Record<string, { condition: DependsCondition }>;
  restart: RestartPolicy;
  healthcheck: Healthcheck | null;
  resources: { cpus: number | null; memory: number | null };
  volumes: VolumeMount[];
  labels: Record<string, string>;
  replicas: number;
}

export type NetworkDriver = 'bridge' | 'host' | 'none';

export interface NetworkSpec {
  name: string;
  driver: NetworkDriver;
  /** CIDR; null lets the runtime pick a free one. */
  subnet: string | null;
  gateway: string | null;
  /** True for networks the file uses without declaring (`default`, `host`, `none`). */
  implicit: boolean;
}

export type StackFormat = 'kitten' | 'compose';

export interface Stack {
  project: string;
  /** Absolute path of the stack file; relative bind mounts and rootfs images resolve against its directory. */
  file: string;
  format: StackFormat;
  version: string;
  containers: Record<string, ContainerSpec>;
  networks: Record<string, NetworkSpec>;
}

export const DEFAULT_NETWORK = 'default';
