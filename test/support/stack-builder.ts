import type { ContainerSpec, NetworkSpec, Stack } from '../../src/engine/stack/model.js';

/** Normalized stacks built by hand, as the loader would produce them (model.ts is the contract). */
export function container(name: string, overrides: Partial<ContainerSpec> = {}): ContainerSpec {
  return {
    name,
    image: 'nginx:1.27',
    command: null,
    hostname: name,
    workdir: '/',
    environment: {},
    ports: [],
    networks: [{ name: 'default', ip: null }],
    depends_on: {},
    restart: { policy: 'no', max_retries: null, declared: false },
    healthcheck: null,
    resources: { cpus: null, memory: null },
    volumes: [],
    labels: {},
    replicas: 1,
    ...overrides,
  };
}

export function network(name: string, overrides: Partial<NetworkSpec> = {}): NetworkSpec {
  return { name, driver: 'bridge', subnet: null, gateway: null, implicit: name === 'default', ...overrides };
}

export function stack(
  project: string,
  containers: ContainerSpec[],
  networks: NetworkSpec[] = [network('default')],
): Stack {
  return {
    project,
    file: `/srv/${project}/kitten.yaml`,
    format: 'kitten',
    version: '1.0',
    containers: Object.fromEntries(containers.map((c) => [c.name, c])),
    networks: Object.fromEntries(networks.map((n) => [n.name, n])),
  };
}

export function port(container: number, host: number | null = null, protocol: 'tcp' | 'udp' = 'tcp') {
  return { host, container, protocol, host_ip: null };
}
