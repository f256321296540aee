import type { ValidationProblem } from '../errors.js';
import { formatPath } from './paths.js';

/**
 * Imports a docker-compose file into the Kitten stack shape, so one validator and one model serve
 * both. Problems are reported with compose paths (`services.web.working_dir`): `origins` maps each
 * Kitten path the import produced back to where it came from.
 */
export interface ComposeImport {
  stack: Record<string, unknown>;
  /** Compose's own `name:`, which names the project when -p is not given. */
  name: string | undefined;
  problems: ValidationProblem[];
  warnings: ValidationProblem[];
  toComposePath: (kittenPath: string) => string;
}

type Raw = Record<string, unknown>;
const isObject = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Keys Kitten reads from a compose service; every other key is reported (or ignored when harmless). */
const SERVICE_KEYS = new Set([
  'image',
  'command',
  'hostname',
  'working_dir',
  'environment',
  'ports',
  'networks',
  'depends_on',
  'restart',
  'healthcheck',
  'volumes',
  'labels',
  'deploy',
  'cpus',
  'mem_limit',
  'scale',
]);
/** Keys that change nothing Kitten models: accepted with a warning so real compose files import. */
const IGNORED_SERVICE_KEYS = new Set([
  'container_name',
  'expose',
  'tty',
  'stdin_open',
  'init',
  'logging',
  'stop_grace_period',
  'stop_signal',
  'platform',
  'pull_policy',
]);
const TOP_KEYS = new Set(['version', 'name', 'services', 'networks', 'volumes']);
const CONDITIONS: Record<string, string> = {
  service_started: 'started',
  service_healthy: 'healthy',
  service_completed_successfully: 'completed',
};

export function isComposeDocument(doc: unknown): boolean {
  return isObject(doc) && 'services' in doc && !('containers' in doc);
}

export function importCompose(doc: Raw): ComposeImport {
  const problems: ValidationProblem[] = [];
  const warnings: ValidationProblem[] = [];
  const origins = new Map<string, string>();
  const stack: Raw = {};

  for (const key of Object.keys(doc)) {
    if (key.startsWith('x-') || TOP_KEYS.has(key)) continue;
    problems.push({ path: key, message: `compose key "${key}" is not supported by Kitten` });
  }
  if (doc.version !== undefined) stack.version = String(doc.version);

  if (!isObject(doc.services)) {
    problems.push({ path: 'services', message: 'services must be a map of name: service' });
  } else {
    const containers: Raw = {};
    for (const [name, service] of Object.entries(doc.services)) {
      const base = formatPath(['services', name]);
      origins.set(formatPath(['containers', name]), base);
      if (!isObject(service)) {
        containers[name] = service;
        continue;
      }
      containers[name] = importService(name, service, base, problems, warnings, origins);
    }
    stack.containers = containers;
  }

  if (doc.networks !== undefined) {
    if (!isObject(doc.networks)) problems.push({ path: 'networks', message: 'networks must be a map' });
    else stack.networks = importNetworks(doc.networks, problems, origins);
  }
  if (isObject(doc.volumes) && Object.keys(doc.volumes).length > 0) {
    problems.push({
      path: 'volumes',
      message: 'named volumes are not supported by Kitten; use bind mounts (./dir:/path)',
    });
  }

  const toComposePath = (kittenPath: string): string => {
    let best = '';
    for (const key of origins.keys()) {
      if (
        (kittenPath === key || kittenPath.startsWith(`${key}.`) || kittenPath.startsWith(`${key}[`)) &&
        key.length > best.length
      ) {
        best = key;
      }
    }
    return best ? `${origins.get(best)}${kittenPath.slice(best.length)}` : kittenPath;
  };

  return {
    stack,
    name: typeof doc.name === 'string' ? doc.name : undefined,
    problems,
    warnings,
    toComposePath,
  };
}

function importService(
  name: string,
  s: Raw,
  base: string,
  problems: ValidationProblem[],
  warnings: ValidationProblem[],
  origins: Map<string, string>,
): Raw {
  const c: Raw = {};
  const target = formatPath(['containers', name]);
  const map = (kittenKey: string, composeKey: string) =>
    origins.set(`${target}.${kittenKey}`, `${base}.${composeKey}`);

  for (const key of Object.keys(s)) {
    if (SERVICE_KEYS.has(key) || key.startsWith('x-')) continue;
    if (IGNORED_SERVICE_KEYS.has(key))
      warnings.push({ path: `${base}.${key}`, message: `"${key}" has no effect in Kitten and is ignored` });
    else if (key === 'build')
      problems.push({
        path: `${base}.build`,
        message: 'build is not supported: build the image first and set image',
      });
    else
      problems.push({ path: `${base}.${key}`, message: `compose key "${key}" is not supported by Kitten` });
  }

  for (const key of [
    'image',
    'command',
    'hostname',
    'environment',
    'restart',
    'healthcheck',
    'labels',
    'volumes',
  ] as const) {
    if (s[key] !== undefined) c[key] = s[key];
  }
  if (s.working_dir !== undefined) {
    c.workdir = s.working_dir;
    map('workdir', 'working_dir');
  }
  if (Array.isArray(s.volumes)) c.volumes = s.volumes.map((v) => (isObject(v) ? longVolume(v) : v));
  if (Array.isArray(s.ports)) c.ports = s.ports.map((p) => (isObject(p) ? longPort(p) : p));
  else if (s.ports !== undefined) c.ports = s.ports;

  if (Array.isArray(s.networks)) {
    c.networks = s.networks;
  } else if (isObject(s.networks)) {
    const nets: Raw = {};
    for (const [net, v] of Object.entries(s.networks)) {
      nets[net] = isObject(v) && v.ipv4_address !== undefined ? { ip: v.ipv4_address } : null;
      if (isObject(v)) map(`networks.${net}.ip`, `networks.${net}.ipv4_address`);
    }
    c.networks = nets;
  } else if (s.networks !== undefined) c.networks = s.networks;

  if (isObject(s.depends_on)) {
    const deps: Raw = {};
    for (const [dep, v] of Object.entries(s.depends_on)) {
      const condition = isObject(v) && typeof v.condition === 'string' ? v.condition : 'service_started';
      const mapped = CONDITIONS[condition];
      if (!mapped) {
        problems.push({
          path: formatPath(['services', name, 'depends_on', dep, 'condition']),
          message: `condition must be service_started, service_healthy or service_completed_successfully`,
        });
      }
      deps[dep] = { condition: mapped ?? 'started' };
    }
    c.depends_on = deps;
  } else if (s.depends_on !== undefined) c.depends_on = s.depends_on;

  const deploy = isObject(s.deploy) ? s.deploy : {};
  const limits =
    isObject(deploy.resources) && isObject(deploy.resources.limits) ? deploy.resources.limits : {};
  const cpus = limits.cpus ?? s.cpus;
  const memory = limits.memory ?? s.mem_limit;
  if (cpus !== undefined || memory !== undefined) {
    c.resources = { ...(cpus !== undefined ? { cpus } : {}), ...(memory !== undefined ? { memory } : {}) };
    map('resources.cpus', limits.cpus !== undefined ? 'deploy.resources.limits.cpus' : 'cpus');
    map('resources.memory', limits.memory !== undefined ? 'deploy.resources.limits.memory' : 'mem_limit');
  }
  const replicas = deploy.replicas ?? s.scale;
  if (replicas !== undefined) {
    c.replicas = replicas;
    map('replicas', deploy.replicas !== undefined ? 'deploy.replicas' : 'scale');
  }
  for (const key of Object.keys(deploy)) {
    if (key !== 'replicas' && key !== 'resources') {
      warnings.push({
        path: `${base}.deploy.${key}`,
        message: `deploy.${key} has no effect in Kitten and is ignored`,
      });
    }
  }
  return c;
}

function longPort(p: Raw): string {
  const published = p.published !== undefined ? String(p.published) : '';
  const host = published ? `${p.host_ip ? `${String(p.host_ip)}:` : ''}${published}:` : '';
  return `${host}${String(p.target)}${p.protocol ? `/${String(p.protocol)}` : ''}`;
}

function longVolume(v: Raw): string {
  const source =
    v.type === 'bind' || v.type === undefined ? String(v.source ?? '') : String(v.source ?? v.type);
  return `${source}:${String(v.target ?? '')}${v.read_only ? ':ro' : ''}`;
}

function importNetworks(networks: Raw, problems: ValidationProblem[], origins: Map<string, string>): Raw {
  const out: Raw = {};
  for (const [name, n] of Object.entries(networks)) {
    const base = formatPath(['networks', name]);
    if (n === null || n === undefined) {
      out[name] = null;
      continue;
    }
    if (!isObject(n)) {
      out[name] = n;
      continue;
    }
    const net: Raw = {};
    if (n.driver !== undefined) net.driver = n.driver;
    if (n.external)
      problems.push({ path: `${base}.external`, message: 'external networks are not supported by Kitten' });
    const ipam = isObject(n.ipam) ? n.ipam : undefined;
    const config =
      ipam && Array.isArray(ipam.config) && isObject(ipam.config[0]) ? ipam.config[0] : undefined;
    if (config?.subnet !== undefined) {
      net.subnet = config.subnet;
      origins.set(`${base}.subnet`, `${base}.ipam.config[0].subnet`);
    }
    if (config?.gateway !== undefined) {
      net.gateway = config.gateway;
      origins.set(`${base}.gateway`, `${base}.ipam.config[0].gateway`);
    }
    for (const key of Object.keys(n)) {
      if (
        !['driver', 'ipam', 'external', 'name', 'labels', 'driver_opts', 'attachable', 'internal'].includes(
          key,
        )
      ) {
        problems.push({ path: `${base}.${key}`, message: `network key "${key}" is not supported by Kitten` });
      }
    }
    out[name] = net;
  }
  return out;
}
