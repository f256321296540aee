import { describe, expect, it } from 'vitest';
import {
  containerCreateOptions,
  networkConfigHash,
  networkCreateOptions,
  restartPolicy,
} from '../../src/engine/runtime/docker/create-options.js';
import type { ContainerSpec, NetworkSpec } from '../../src/engine/stack/model.js';
import { container } from '../support/stack-builder.js';

/** The docker driver's subject: one `web` container, built as the loader would build it. */
function spec(overrides: Partial<ContainerSpec> = {}): ContainerSpec {
  return container('web', { workdir: '', ...overrides });
}

const bridge = (name: string, subnet: string | null = null, gateway: string | null = null): NetworkSpec => ({
  name,
  driver: 'bridge',
  subnet,
  gateway,
  implicit: false,
});

function create(s: ContainerSpec, networks: Record<string, NetworkSpec> = { default: bridge('default') }) {
  return containerCreateOptions(
    { project: 'shop', spec: s, replica: 1, name: 'shop-web-1', configHash: 'h1', baseDir: '/srv/shop' },
    networks,
  );
}

describe('restartPolicy', () => {
  it.each([
    [{ policy: 'no', max_retries: null }, { Name: 'no' }],
    [{ policy: 'always', max_retries: null }, { Name: 'always' }],
    [{ policy: 'unless-stopped', max_retries: null }, { Name: 'unless-stopped' }],
    [
      { policy: 'on-failure', max_retries: 2 },
      { Name: 'on-failure', MaximumRetryCount: 2 },
    ],
    [
      { policy: 'on-failure', max_retries: null },
      { Name: 'on-failure', MaximumRetryCount: 0 },
    ],
  ] as const)('maps %j to Docker %j', (restart, expected) => {
    expect(restartPolicy(restart)).toEqual(expected);
  });
});

describe('networkCreateOptions', () => {
  it('names the network <project>_<network> and carries subnet, gateway and labels', () => {
    const options = networkCreateOptions('shop', bridge('backend', '172.28.0.0/16', '172.28.0.1'));
    expect(options).toMatchObject({
      Name: 'shop_backend',
      Driver: 'bridge',
      IPAM: { Driver: 'default', Config: [{ Subnet: '172.28.0.0/16', Gateway: '172.28.0.1' }] },
      Labels: { 'dev.kitten.project': 'shop', 'dev.kitten.network': 'backend' },
    });
    expect(options.Labels?.['dev.kitten.config-hash']).toMatch(/^[0-9a-f]{16}$/);
  });

  it('leaves IPAM to the engine when no subnet is declared', () => {
    expect(networkCreateOptions('shop', bridge('default')).IPAM).toBeUndefined();
  });

  it('changes the network hash when the subnet changes and only then', () => {
    const a = networkConfigHash(bridge('x', '10.1.0.0/24'));
    expect(networkConfigHash(bridge('y', '10.1.0.0/24'))).toBe(a);
    expect(networkConfigHash(bridge('x', '10.2.0.0/24'))).not.toBe(a);
  });
});

describe('containerCreateOptions', () => {
  it('carries image, command, hostname, workdir, env and Kitten labels', () => {
    const { options } = create(
      spec({
        command: ['nginx', '-g', 'daemon off;'],
        workdir: '/app',
        environment: { A: '1', B: 'x=y' },
        labels: { team: 'web' },
      }),
    );
    expect(options).toMatchObject({
      name: 'shop-web-1',
      Image: 'nginx:1.27',
      Cmd: ['nginx', '-g', 'daemon off;'],
      Hostname: 'web',
      WorkingDir: '/app',
      Env: ['A=1', 'B=x=y'],
      Labels: {
        team: 'web',
        'dev.kitten.project': 'shop',
        'dev.kitten.service': 'web',
        'dev.kitten.replica': '1',
        'dev.kitten.config-hash': 'h1',
      },
    });
  });

  it('keeps the image command when the stack gives none', () => {
    expect(create(spec()).options.Cmd).toBeUndefined();
  });

  it('publishes ports with host address and protocol, and exposes unpublished ones', () => {
    const { options } = create(
      spec({
        ports: [
          { host: 8080, container: 80, protocol: 'tcp', host_ip: '127.0.0.1' },
          { host: 5353, container: 53, protocol: 'udp', host_ip: null },
          { host: null, container: 9000, protocol: 'tcp', host_ip: null },
        ],
      }),
    );
    expect(options.ExposedPorts).toEqual({ '80/tcp': {}, '53/udp': {}, '9000/tcp': {} });
    expect(options.HostConfig?.PortBindings).toEqual({
      '80/tcp': [{ HostIp: '127.0.0.1', HostPort: '8080' }],
      '53/udp': [{ HostIp: '', HostPort: '5353' }],
    });
  });

  it('converts the healthcheck to nanoseconds with the CMD form', () => {
    const { options } = create(
      spec({
        healthcheck: {
          test: ['/bin/sh', '-c', 'wget -q -O- localhost'],
          interval_ms: 500,
          timeout_ms: 2000,
          retries: 5,
          start_period_ms: 1000,
        },
      }),
    );
    expect(options.Healthcheck).toEqual({
      Test: ['CMD', '/bin/sh', '-c', 'wget -q -O- localhost'],
      Interval: 500_000_000,
      Timeout: 2_000_000_000,
      Retries: 5,
      StartPeriod: 1_000_000_000,
    });
  });

  it('sets NanoCpus and Memory from resources', () => {
    const { options } = create(spec({ resources: { cpus: 0.5, memory: 268_435_456 } }));
    expect(options.HostConfig).toMatchObject({ NanoCpus: 500_000_000, Memory: 268_435_456 });
  });

  it('binds volumes read-only when asked, relative sources against the stack directory', () => {
    const { options } = create(
      spec({
        volumes: [
          { source: '/srv/data', target: '/data', read_only: true },
          { source: 'conf', target: '/etc/app', read_only: false },
        ],
      }),
    );
    expect(options.HostConfig?.Binds).toEqual(['/srv/data:/data:ro', '/srv/shop/conf:/etc/app']);
  });

  it('attaches the first network at create with aliases and a static ip, the rest after', () => {
    const { options, placement } = create(
      spec({
        networks: [
          { name: 'front', ip: '172.28.0.10' },
          { name: 'back', ip: null },
        ],
      }),
      { front: bridge('front', '172.28.0.0/24'), back: bridge('back') },
    );
    expect(options.HostConfig?.NetworkMode).toBe('shop_front');
    expect(options.NetworkingConfig).toEqual({
      EndpointsConfig: {
        shop_front: { Aliases: ['web', 'shop-web-1'], IPAMConfig: { IPv4Address: '172.28.0.10' } },
      },
    });
    expect(placement.more).toEqual([{ id: 'shop_back', config: { Aliases: ['web', 'shop-web-1'] } }]);
  });

  it("uses the host's network namespace without hostname or port bindings", () => {
    const host: NetworkSpec = { name: 'host', driver: 'host', subnet: null, gateway: null, implicit: true };
    const { options, placement } = create(
      spec({
        networks: [{ name: 'host', ip: null }],
        ports: [{ host: 80, container: 80, protocol: 'tcp', host_ip: null }],
      }),
      { host },
    );
    expect(options.HostConfig?.NetworkMode).toBe('host');
    expect(options.Hostname).toBeUndefined();
    expect(options.HostConfig?.PortBindings).toBeUndefined();
    expect(options.NetworkingConfig).toBeUndefined();
    expect(placement.more).toEqual([]);
  });
});
