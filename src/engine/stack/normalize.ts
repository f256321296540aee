import { homedir } from 'node:os';
import { dirname, resolve } from 'node:path';
import { firstHost, formatIpv4, parseCidr } from './ipv4.js';
import type {
  ContainerSpec,
  DependsCondition,
  Healthcheck,
  NetworkAttachment,
  NetworkSpec,
  RestartPolicy,
  Stack,
  StackFormat,
  VolumeMount,
} from './model.js';
import { parsePort } from './ports.js';
import { splitShellWords } from './shell-words.js';
import type { ContainerFile, StackFile } from './spec.js';
import { parseCpus, parseDuration, parseMemory } from './units.js';
import { IMPLICIT_NETWORKS } from './validate.js';

/**
 * Turns a validated stack file into the normalized Stack: defaults filled, ports parsed, sizes in
 * bytes, durations in ms. Only call it on a file that passed validateStackObject.
 */
export function normalizeStack(
  file: StackFile,
  meta: { project: string; path: string; format: StackFormat; env?: NodeJS.ProcessEnv },
): Stack {
  const env = meta.env ?? process.env;
  const containers: Record<string, ContainerSpec> = {};
  const baseDir = dirname(meta.path);
  for (const [name, c] of Object.entries(file.containers))
    containers[name] = normalizeContainer(name, c, env, baseDir);

  const networks: Record<string, NetworkSpec> = {};
  for (const [name, n] of Object.entries(file.networks ?? {})) {
    const driver = n?.driver ?? 'bridge';
    const cidr = n?.subnet ? parseCidr(n.subnet) : null;
    const gateway = n?.gateway ?? (cidr && !('error' in cidr) ? formatIpv4(firstHost(cidr)) : null);
    networks[name] = {
      name,
      driver,
      subnet: n?.subnet ?? null,
      gateway: driver === 'bridge' ? gateway : null,
      implicit: false,
    };
  }
  for (const c of Object.values(containers)) {
    for (const { name } of c.networks) {
      if (networks[name] || !(IMPLICIT_NETWORKS as readonly string[]).includes(name)) continue;
      const driver = name === 'default' ? 'bridge' : (name as 'host' | 'none');
      networks[name] = { name, driver, subnet: null, gateway: null, implicit: true };
    }
  }
  return {
    project: meta.project,
    file: meta.path,
    format: meta.format,
    version: String(file.version ?? '1.0'),
    containers,
    networks,
  };
}

function normalizeContainer(
  name: string,
  c: ContainerFile,
  env: NodeJS.ProcessEnv,
  baseDir: string,
): ContainerSpec {
  return {
    name,
    image: c.image,
    command: normalizeCommand(c.command),
    hostname: c.hostname ?? name,
    workdir: c.workdir ?? '/',
    environment: normalizeEnvironment(c.environment, env),
    ports: (c.ports ?? []).map((p) => {
      const port = parsePort(p);
      if ('error' in port) throw new Error(`unvalidated port: ${port.error}`);
      return port;
    }),
    networks: normalizeAttachments(c),
    depends_on: normalizeDependsOn(c.depends_on),
    restart: normalizeRestart(c.restart),
    healthcheck: normalizeHealthcheck(c.healthcheck),
    resources: {
      cpus: c.resources?.cpus === undefined ? null : parseCpus(c.resources.cpus),
      memory: c.resources?.memory === undefined ? null : parseMemory(c.resources.memory),
    },
    volumes: (c.volumes ?? []).map((v) => normalizeVolume(v, baseDir)),
    labels: Array.isArray(c.labels) ? Object.fromEntries(c.labels.map(splitPair)) : { ...(c.labels ?? {}) },
    replicas: c.replicas ?? 1,
  };
}

function normalizeCommand(command: ContainerFile['command']): string[] | null {
  if (command === undefined) return null;
  if (Array.isArray(command)) return command;
  const words = splitShellWords(command);
  return Array.isArray(words) ? words : null;
}

function splitPair(entry: string): [string, string] {
  const at = entry.indexOf('=');
  return at < 0 ? [entry, ''] : [entry.slice(0, at), entry.slice(at + 1)];
}

/** A bare `NAME` (list) or `NAME: null` (map) takes its value from the environment, as compose does. */
function normalizeEnvironment(
  environment: ContainerFile['environment'],
  env: NodeJS.ProcessEnv,
): Record<string, string> {
  const out: Record<string, string> = {};
  const entries: [string, unknown][] = Array.isArray(environment)
    ? environment.map((e) => (e.includes('=') ? splitPair(e) : [e, null]))
    : Object.entries(environment ?? {});
  for (const [key, value] of entries) {
    if (value === null || value === undefined) {
      const inherited = env[key];
      if (inherited !== undefined) out[key] = inherited;
    } else out[key] = String(value);
  }
  return out;
}

function normalizeAttachments(c: ContainerFile): NetworkAttachment[] {
  if (Array.isArray(c.networks)) return c.networks.map((name) => ({ name, ip: null }));
  if (c.networks) return Object.entries(c.networks).map(([name, v]) => ({ name, ip: v?.ip ?? null }));
  return [{ name: c.network ?? 'default', ip: c.ip ?? null }];
}

function normalizeDependsOn(dependsOn: ContainerFile['depends_on']): ContainerSpec['depends_on'] {
  if (!dependsOn) return {};
  if (Array.isArray(dependsOn))
    return Object.fromEntries(dependsOn.map((d) => [d, { condition: 'started' as const }]));
  return Object.fromEntries(
    Object.entries(dependsOn).map(([d, v]) => [
      d,
      { condition: (v?.condition ?? 'started') as DependsCondition },
    ]),
  );
}

export function normalizeRestart(restart: string | undefined): RestartPolicy {
  const declared = restart !== undefined;
  if (!restart || restart === 'no') return { policy: 'no', max_retries: null, declared };
  if (restart.startsWith('on-failure')) {
    const n = restart.split(':')[1];
    return { policy: 'on-failure', max_retries: n === undefined ? null : Number(n), declared };
  }
  return { policy: restart as RestartPolicy['policy'], max_retries: null, declared };
}

/** Docker's defaults: 30s interval, 30s timeout, 3 retries, no start period. */
function normalizeHealthcheck(h: ContainerFile['healthcheck']): Healthcheck | null {
  if (!h || h.disable) return null;
  let test: string[];
  if (typeof h.test === 'string') test = ['/bin/sh', '-c', h.test];
  else if (h.test[0] === 'NONE') return null;
  else if (h.test[0] === 'CMD-SHELL') test = ['/bin/sh', '-c', h.test.slice(1).join(' ')];
  else test = h.test.slice(1);
  return {
    test,
    interval_ms: h.interval ? (parseDuration(h.interval) ?? 30_000) : 30_000,
    timeout_ms: h.timeout ? (parseDuration(h.timeout) ?? 30_000) : 30_000,
    retries: h.retries ?? 3,
    start_period_ms: h.start_period ? (parseDuration(h.start_period) ?? 0) : 0,
  };
}

/** Relative and `~` sources resolve against the stack file's directory and the home directory, as compose does. */
function normalizeVolume(value: string, baseDir: string): VolumeMount {
  const [source, target, mode] = value.split(':') as [string, string, string | undefined];
  const absolute = source.startsWith('~')
    ? resolve(homedir(), `.${source.slice(1)}`)
    : resolve(baseDir, source);
  return { source: absolute, target, read_only: mode === 'ro' };
}
