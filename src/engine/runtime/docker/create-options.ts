import { createHash } from 'node:crypto';
import { isAbsolute, resolve } from 'node:path';
import type { ContainerCreateOptions, NetworkCreateOptions } from 'dockerode';
import type { ContainerSpec, NetworkSpec, RestartPolicy } from '../../stack/model.js';
import { type CreateRequest, LABELS } from '../types.js';

/**
 * Pure translation of Kitten's normalized stack into Docker Engine API bodies. Kept free of I/O
 * so every mapping (restart, healthcheck, resources, ports, networks) is tested as a table.
 */

/** `<project>_<network>`, as compose names them. */
export function networkId(project: string, network: string): string {
  return `${project}_${network}`;
}

/** Networks Docker has built in; a stack uses them as they are and never creates them. */
export function isBuiltinNetwork(spec: NetworkSpec): boolean {
  return spec.driver === 'host' || spec.driver === 'none';
}

/** The part of a network spec that, when changed, means the network must be recreated. */
export function networkConfigHash(spec: NetworkSpec): string {
  const body = JSON.stringify({ driver: spec.driver, subnet: spec.subnet, gateway: spec.gateway });
  return createHash('sha256').update(body).digest('hex').slice(0, 16);
}

export function networkCreateOptions(project: string, spec: NetworkSpec): NetworkCreateOptions {
  const ipam =
    spec.subnet === null
      ? undefined
      : {
          Driver: 'default',
          Config: [{ Subnet: spec.subnet, ...(spec.gateway ? { Gateway: spec.gateway } : {}) }],
        };
  return {
    Name: networkId(project, spec.name),
    Driver: spec.driver,
    CheckDuplicate: true,
    Attachable: true,
    ...(ipam ? { IPAM: ipam } : {}),
    Labels: {
      [LABELS.project]: project,
      [LABELS.network]: spec.name,
      [LABELS.configHash]: networkConfigHash(spec),
    },
  };
}

export function restartPolicy(restart: RestartPolicy): { Name: string; MaximumRetryCount?: number } {
  switch (restart.policy) {
    case 'on-failure':
      return { Name: 'on-failure', MaximumRetryCount: restart.max_retries ?? 0 };
    case 'always':
      return { Name: 'always' };
    case 'unless-stopped':
      return { Name: 'unless-stopped' };
    default:
      return { Name: 'no' };
  }
}

const NS_PER_MS = 1_000_000;

export function healthcheck(spec: ContainerSpec): ContainerCreateOptions['Healthcheck'] {
  if (spec.healthcheck === null) return undefined;
  const h = spec.healthcheck;
  return {
    Test: ['CMD', ...h.test],
    Interval: h.interval_ms * NS_PER_MS,
    Timeout: h.timeout_ms * NS_PER_MS,
    Retries: h.retries,
    StartPeriod: h.start_period_ms * NS_PER_MS,
  };
}

function portKey(container: number, protocol: string): string {
  return `${container}/${protocol}`;
}

export function portOptions(spec: ContainerSpec): {
  ExposedPorts: Record<string, Record<string, never>>;
  PortBindings: Record<string, { HostIp: string; HostPort: string }[]>;
} {
  const exposed: Record<string, Record<string, never>> = {};
  const bindings: Record<string, { HostIp: string; HostPort: string }[]> = {};
  for (const port of spec.ports) {
    const key = portKey(port.container, port.protocol);
    exposed[key] = {};
    if (port.host === null) continue;
    const list = bindings[key] ?? [];
    list.push({ HostIp: port.host_ip ?? '', HostPort: String(port.host) });
    bindings[key] = list;
  }
  return { ExposedPorts: exposed, PortBindings: bindings };
}

export function bindMounts(spec: ContainerSpec, baseDir: string): string[] {
  return spec.volumes.map((v) => {
    const source = isAbsolute(v.source) ? v.source : resolve(baseDir, v.source);
    return `${source}:${v.target}${v.read_only ? ':ro' : ''}`;
  });
}

export interface NetworkPlacement {
  /** NetworkMode at create: the first network (or `host` / `none`). */
  mode: string;
  /** Endpoint settings for the network the container is created on. */
  first: { id: string; config: EndpointConfig } | null;
  /** Further networks, connected after create and before start (API < 1.44 takes one at create). */
  more: { id: string; config: EndpointConfig }[];
}

export interface EndpointConfig {
  Aliases: string[];
  IPAMConfig?: { IPv4Address: string };
}

export function networkPlacement(
  project: string,
  spec: ContainerSpec,
  name: string,
  networks: Record<string, NetworkSpec>,
): NetworkPlacement {
  const attached = spec.networks.map((attachment) => {
    const net = networks[attachment.name];
    const builtin = net ? isBuiltinNetwork(net) : attachment.name === 'host' || attachment.name === 'none';
    const id = builtin ? (net?.driver ?? attachment.name) : networkId(project, attachment.name);
    const config: EndpointConfig = {
      Aliases: builtin ? [] : [spec.name, name],
      ...(attachment.ip ? { IPAMConfig: { IPv4Address: attachment.ip } } : {}),
    };
    return { id, config, builtin };
  });
  const [first, ...more] = attached;
  if (!first) return { mode: 'none', first: null, more: [] };
  if (first.builtin) return { mode: first.id, first: null, more: [] };
  return {
    mode: first.id,
    first: { id: first.id, config: first.config },
    more: more.filter((m) => !m.builtin).map(({ id, config }) => ({ id, config })),
  };
}

export function containerLabels(request: CreateRequest): Record<string, string> {
  return {
    ...request.spec.labels,
    [LABELS.project]: request.project,
    [LABELS.service]: request.spec.name,
    [LABELS.replica]: String(request.replica),
    [LABELS.configHash]: request.configHash,
  };
}

export function containerCreateOptions(
  request: CreateRequest,
  networks: Record<string, NetworkSpec>,
): { options: ContainerCreateOptions; placement: NetworkPlacement } {
  const { spec } = request;
  const placement = networkPlacement(request.project, spec, request.name, networks);
  const ports = portOptions(spec);
  const hostMode = placement.mode === 'host';
  const options: ContainerCreateOptions = {
    name: request.name,
    Image: spec.image,
    ...(spec.command === null ? {} : { Cmd: spec.command }),
    // Docker refuses a hostname together with the host's network namespace.
    ...(hostMode ? {} : { Hostname: spec.hostname }),
    ...(spec.workdir ? { WorkingDir: spec.workdir } : {}),
    Env: Object.entries(spec.environment).map(([key, value]) => `${key}=${value}`),
    Labels: containerLabels(request),
    ...(hostMode ? {} : { ExposedPorts: ports.ExposedPorts }),
    Healthcheck: healthcheck(spec),
    HostConfig: {
      NetworkMode: placement.mode,
      ...(hostMode ? {} : { PortBindings: ports.PortBindings }),
      RestartPolicy: restartPolicy(spec.restart),
      Binds: bindMounts(spec, request.baseDir),
      ...(spec.resources.cpus === null ? {} : { NanoCpus: Math.round(spec.resources.cpus * 1e9) }),
      ...(spec.resources.memory === null ? {} : { Memory: spec.resources.memory }),
    },
    ...(placement.first
      ? { NetworkingConfig: { EndpointsConfig: { [placement.first.id]: placement.first.config } } }
      : {}),
  };
  if (options.Healthcheck === undefined) delete options.Healthcheck;
  return { options, placement };
}
