import { readFileSync } from 'node:fs';
import type { ContainerInspectInfo, NetworkInspectInfo } from 'dockerode';
import { describe, expect, it } from 'vitest';
import { containerState, containerStatus, networkStatus } from '../../src/engine/runtime/docker/status.js';

function fixture<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8')) as T;
}

describe('containerStatus from a real inspect document', () => {
  it('reads a running, healthy container with its ports, ip and labels', () => {
    const status = containerStatus(fixture<ContainerInspectInfo>('inspect-running.json'));
    expect(status).toMatchObject({
      name: 'shop-web-1',
      project: 'shop',
      service: 'web',
      replica: 1,
      image: 'kitten-test/busybox:latest',
      state: 'running',
      health: 'healthy',
      ip: '172.31.251.10',
      restarts: 0,
      exit_code: null,
      config_hash: 'feedbeef',
      finished_at: null,
    });
    expect(status.pid).toBeGreaterThan(0);
    expect(status.started_at).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(status.ports).toEqual([
      { host: 18081, container: 80, protocol: 'tcp', host_ip: '127.0.0.1' },
      { host: 18082, container: 81, protocol: 'udp', host_ip: null },
      { host: null, container: 9000, protocol: 'tcp', host_ip: null },
    ]);
  });

  it('reads an exited container that used up its on-failure retries', () => {
    const status = containerStatus(fixture<ContainerInspectInfo>('inspect-exited.json'));
    expect(status).toMatchObject({
      name: 'shop-job-1',
      service: 'job',
      replica: 2,
      state: 'exited',
      health: null,
      pid: null,
      restarts: 2,
      exit_code: 1,
      config_hash: 'c0ffee',
    });
    expect(status.finished_at).not.toBeNull();
  });

  it.each([
    ['created', 'created'],
    ['running', 'running'],
    ['paused', 'running'],
    ['restarting', 'restarting'],
    ['exited', 'exited'],
    ['dead', 'exited'],
    ['removing', 'exited'],
  ] as const)('maps Docker state %s to %s', (docker, kitten) => {
    expect(containerState(docker)).toBe(kitten);
  });
});

describe('networkStatus', () => {
  it('reads the stack network name, subnet and gateway from a real network document', () => {
    expect(networkStatus(fixture<NetworkInspectInfo>('network-inspect.json'))).toEqual({
      id: 'shop_backend',
      project: 'shop',
      network: 'backend',
      driver: 'bridge',
      subnet: '172.31.251.0/24',
      gateway: '172.31.251.1',
    });
  });
});
