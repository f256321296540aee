import type { ContainerInspectInfo, NetworkInspectInfo } from 'dockerode';
import type { NetworkDriver, PortMapping, Protocol } from '../../stack/model.js';
import {
  type ContainerState,
  type ContainerStatus,
  type HealthState,
  LABELS,
  type NetworkStatus,
} from '../types.js';

/** Docker's inspect documents → the runtime-neutral shapes `kitten ps --json` prints. */

const ZERO_TIME = '0001-01-01T00:00:00Z';

function time(value: string | undefined): string | null {
  if (!value || value === ZERO_TIME) return null;
  const parsed = new Date(value);
  return Number.isNaN(parsed.getTime()) ? null : parsed.toISOString();
}

export function containerState(status: string): ContainerState {
  switch (status) {
    case 'created':
      return 'created';
    case 'running':
    case 'paused':
      return 'running';
    case 'restarting':
      return 'restarting';
    default:
      return 'exited';
  }
}

function healthState(value: string | undefined): HealthState | null {
  return value === 'starting' || value === 'healthy' || value === 'unhealthy' ? value : null;
}

function portsOf(info: ContainerInspectInfo): PortMapping[] {
  const ports: PortMapping[] = [];
  const bindings = (info.HostConfig?.PortBindings ?? {}) as Record<
    string,
    { HostIp?: string; HostPort?: string }[] | null
  >;
  const exposed = Object.keys(info.Config?.ExposedPorts ?? {});
  const keys = [...new Set([...exposed, ...Object.keys(bindings)])];
  for (const key of keys) {
    const [portText, protocolText] = key.split('/');
    const container = Number(portText);
    const protocol: Protocol = protocolText === 'udp' ? 'udp' : 'tcp';
    const bound = bindings[key] ?? [];
    if (bound.length === 0) ports.push({ host: null, container, protocol, host_ip: null });
    for (const b of bound) {
      ports.push({
        host: b.HostPort ? Number(b.HostPort) : null,
        container,
        protocol,
        host_ip: b.HostIp ? b.HostIp : null,
      });
    }
  }
  return ports.sort((a, b) => a.container - b.container || (a.host ?? 0) - (b.host ?? 0));
}

function firstIp(info: ContainerInspectInfo): string | null {
  for (const net of Object.values(info.NetworkSettings?.Networks ?? {})) {
    if (net?.IPAddress) return net.IPAddress;
  }
  return null;
}

export function containerStatus(info: ContainerInspectInfo): ContainerStatus {
  const labels = info.Config?.Labels ?? {};
  const state = info.State;
  const running = state.Running || state.Restarting;
  const finished = time(state.FinishedAt);
  const everFinished = !running && finished !== null;
  return {
    name: info.Name.replace(/^\//, ''),
    project: labels[LABELS.project] ?? '',
    service: labels[LABELS.service] ?? '',
    replica: Number(labels[LABELS.replica] ?? 1) || 1,
    image: info.Config?.Image ?? info.Image,
    state: containerState(state.Status),
    health: healthState(state.Health?.Status),
    pid: state.Pid > 0 ? state.Pid : null,
    ip: firstIp(info),
    ports: portsOf(info),
    restarts: info.RestartCount ?? 0,
    exit_code: everFinished ? state.ExitCode : null,
    config_hash: labels[LABELS.configHash] ?? '',
    started_at: time(state.StartedAt),
    finished_at: running ? null : finished,
  };
}

export function networkStatus(info: NetworkInspectInfo): NetworkStatus {
  const labels = info.Labels ?? {};
  const config = info.IPAM?.Config?.[0];
  // Docker calls the no-network driver "null".
  const driver: NetworkDriver = info.Driver === 'host' ? 'host' : info.Driver === 'null' ? 'none' : 'bridge';
  return {
    id: info.Name,
    project: labels[LABELS.project] ?? '',
    network: labels[LABELS.network] ?? info.Name,
    driver,
    subnet: config?.Subnet ?? null,
    gateway: config?.Gateway ?? null,
  };
}
