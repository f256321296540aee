import type * as z from 'zod';
import type { ValidationProblem } from '../errors.js';
import { findCycles } from './graph.js';
import {
  broadcast,
  type Cidr,
  cidrContains,
  cidrsOverlap,
  formatCidr,
  parseCidr,
  parseIpv4,
} from './ipv4.js';
import { closest, formatPath } from './paths.js';
import { parsePort } from './ports.js';
import { splitShellWords } from './shell-words.js';
import { containerSchema, networkSchema, stackSchema } from './spec.js';
import { parseCpus, parseMemory } from './units.js';

/**
 * Validation of a Kitten-format stack object: the schema (types, unknown fields) and then the rules
 * that need the whole file (references, cycles, ports, addresses). Every problem is reported at
 * once, each with its path; the rules read the raw object defensively so one wrong type does not
 * hide the problems next to it.
 */
export const IMPLICIT_NETWORKS = ['default', 'host', 'none'] as const;
const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
const HOSTNAME_PATTERN = /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

type Raw = Record<string, unknown>;
const isObject = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);

export function validateStackObject(raw: unknown): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  if (!isObject(raw)) {
    return [{ path: '', message: 'a stack file must be a map with a "containers" key' }];
  }
  const parsed = stackSchema.safeParse(raw);
  if (!parsed.success) problems.push(...schemaProblems(parsed.error.issues, raw));
  problems.push(...ruleProblems(raw));
  return dedupe(problems);
}

function schemaProblems(issues: readonly z.core.$ZodIssue[], raw: Raw): ValidationProblem[] {
  const out: ValidationProblem[] = [];
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      const known = knownKeysAt(issue.path, raw);
      for (const key of issue.keys) {
        const suggestion = closest(key, known);
        out.push({
          path: formatPath([...issue.path, key]),
          message: `unknown field "${key}"${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`,
        });
      }
    } else {
      out.push({ path: formatPath(issue.path), message: humanMessage(issue) });
    }
  }
  return out;
}

function humanMessage(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type' && issue.message.startsWith('Invalid input')) {
    return `must be ${article(issue.expected)}`;
  }
  if (issue.code === 'too_small' && issue.message.startsWith('Too small')) {
    return `must be at least ${String(issue.minimum)}`;
  }
  return issue.message;
}

function article(type: string): string {
  const names: Record<string, string> = {
    string: 'a string',
    number: 'a number',
    int: 'an integer',
    boolean: 'true or false',
    array: 'a list',
    object: 'a map',
    record: 'a map',
  };
  return names[type] ?? type;
}

function knownKeysAt(path: readonly PropertyKey[], raw: Raw): string[] {
  if (path.length === 0) return Object.keys(stackSchema.shape);
  if (path[0] === 'containers' && path.length === 2) return Object.keys(containerSchema.shape);
  if (path[0] === 'networks' && path.length === 2) return Object.keys(networkSchema.shape);
  if (path[0] === 'containers' && path.length === 3) {
    const sub = containerSchema.shape[path[2] as keyof typeof containerSchema.shape];
    const inner = (sub as unknown as { unwrap?: () => { shape?: Record<string, unknown> } }).unwrap?.();
    if (inner?.shape) return Object.keys(inner.shape);
  }
  void raw;
  return [];
}

function dedupe(problems: ValidationProblem[]): ValidationProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.path}\u0000${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

interface Attachment {
  network: string;
  ip: unknown;
  /** Path of the ip value, for messages. */
  ipPath: string;
  networkPath: string;
}

/** The networks a raw container attaches to, from `network`/`ip` or `networks`. */
export function rawAttachments(name: string, container: Raw): Attachment[] {
  const base = `containers.${name}`;
  if (Array.isArray(container.networks)) {
    return container.networks
      .filter((n): n is string => typeof n === 'string')
      .map((n, i) => ({ network: n, ip: undefined, ipPath: '', networkPath: `${base}.networks[${i}]` }));
  }
  if (isObject(container.networks)) {
    return Object.entries(container.networks).map(([n, v]) => ({
      network: n,
      ip: isObject(v) ? v.ip : undefined,
      ipPath: formatPath(['containers', name, 'networks', n, 'ip']),
      networkPath: formatPath(['containers', name, 'networks', n]),
    }));
  }
  const network = typeof container.network === 'string' ? container.network : 'default';
  return [{ network, ip: container.ip, ipPath: `${base}.ip`, networkPath: `${base}.network` }];
}

function ruleProblems(raw: Raw): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  const add = (path: string, message: string) => problems.push({ path, message });
  const containers = isObject(raw.containers) ? raw.containers : {};
  const networks = isObject(raw.networks) ? raw.networks : {};
  const names = Object.keys(containers);

  if (raw.containers !== undefined && isObject(raw.containers) && names.length === 0) {
    add('containers', 'declare at least one container');
  }
  if (raw.containers === undefined) add('containers', 'containers is required');

  // Networks: subnets, gateways, overlaps.
  const subnets = new Map<string, Cidr>();
  for (const [netName, net] of Object.entries(networks)) {
    const base = formatPath(['networks', netName]);
    if (!NAME_PATTERN.test(netName))
      add(base, `network name "${netName}" may only use letters, digits, _ . -`);
    if (!isObject(net)) continue;
    const driver = typeof net.driver === 'string' ? net.driver : 'bridge';
    if (typeof net.subnet === 'string') {
      const cidr = parseCidr(net.subnet);
      if ('error' in cidr) add(`${base}.subnet`, cidr.error);
      else if (driver !== 'bridge')
        add(`${base}.subnet`, `a subnet only applies to bridge networks, not "${driver}"`);
      else if (cidr.prefix > 30)
        add(`${base}.subnet`, `subnet ${net.subnet} is too small: use /30 or larger`);
      else subnets.set(netName, cidr);
    }
    if (typeof net.gateway === 'string') {
      const gw = parseIpv4(net.gateway);
      const cidr = subnets.get(netName);
      if (gw === null) add(`${base}.gateway`, `"${net.gateway}" is not an IPv4 address`);
      else if (net.subnet === undefined)
        add(`${base}.gateway`, 'a gateway needs a subnet on the same network');
      else if (cidr && !cidrContains(cidr, gw))
        add(`${base}.gateway`, `gateway ${net.gateway} is outside subnet ${net.subnet}`);
      else if (cidr && (gw === cidr.network || gw === broadcast(cidr))) {
        add(`${base}.gateway`, `gateway ${net.gateway} is the network or broadcast address of ${net.subnet}`);
      }
    }
  }
  const withSubnets = [...subnets.entries()];
  withSubnets.forEach(([a, ca], i) => {
    for (const [b, cb] of withSubnets.slice(i + 1)) {
      if (cidrsOverlap(ca, cb)) {
        add(
          formatPath(['networks', b, 'subnet']),
          `subnet ${formatCidr(cb)} overlaps ${formatCidr(ca)} of network "${a}"`,
        );
      }
    }
  });

  // Containers, one by one.
  const published: { ip: string | null; port: number; protocol: string; path: string }[] = [];
  const staticIps = new Map<string, string>();
  const deps = new Map<string, string[]>();
  for (const name of names) {
    const base = formatPath(['containers', name]);
    const c = containers[name];
    if (!NAME_PATTERN.test(name))
      add(
        base,
        `container name "${name}" may only use letters, digits, _ . - and must start with a letter or digit`,
      );
    if (!isObject(c)) {
      if (c === null || c === undefined) add(base, 'a container needs at least an image');
      deps.set(name, []);
      continue;
    }
    if (typeof c.hostname === 'string' && !HOSTNAME_PATTERN.test(c.hostname)) {
      add(`${base}.hostname`, `"${c.hostname}" is not a valid hostname (letters, digits and -, up to 63)`);
    }
    if (typeof c.workdir === 'string' && !c.workdir.startsWith('/')) {
      add(`${base}.workdir`, `workdir "${c.workdir}" must be an absolute path`);
    }
    if (typeof c.command === 'string') {
      const split = splitShellWords(c.command);
      if ('error' in split) add(`${base}.command`, split.error);
      else if (split.length === 0) add(`${base}.command`, 'command must not be empty');
    } else if (Array.isArray(c.command) && c.command.length === 0) {
      add(`${base}.command`, 'command must not be an empty list (leave it out to use the image default)');
    }
    if (Array.isArray(c.environment)) {
      c.environment.forEach((entry, i) => {
        if (typeof entry === 'string' && !/^[^=\s]+(=|$)/.test(entry)) {
          add(`${base}.environment[${i}]`, `"${entry}" is not NAME=value`);
        }
      });
    }
    if (Array.isArray(c.labels)) {
      c.labels.forEach((entry, i) => {
        if (typeof entry === 'string' && !/^[^=\s]+=/.test(entry))
          add(`${base}.labels[${i}]`, `"${entry}" is not key=value`);
      });
    }

    // depends_on: references and self-references.
    const depNames: string[] = [];
    const depEntries: [string, string][] = Array.isArray(c.depends_on)
      ? c.depends_on.map((d, i) => [String(d), `${base}.depends_on[${i}]`])
      : isObject(c.depends_on)
        ? Object.keys(c.depends_on).map((d) => [d, formatPath(['containers', name, 'depends_on', d])])
        : [];
    for (const [dep, path] of depEntries) {
      if (dep === name) add(path, `"${name}" cannot depend on itself`);
      else if (!(dep in containers)) {
        const suggestion = closest(dep, names);
        add(
          path,
          `depends on unknown container "${dep}"${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`,
        );
      } else {
        depNames.push(dep);
        const condition =
          isObject(c.depends_on) && isObject(c.depends_on[dep]) ? c.depends_on[dep].condition : undefined;
        const target = containers[dep];
        if (condition === 'healthy' && isObject(target) && !isObject(target.healthcheck)) {
          add(
            `${path}.condition`,
            `"${dep}" has no healthcheck to wait for: add containers.${dep}.healthcheck or use condition started`,
          );
        }
      }
    }
    deps.set(name, depNames);

    // Ports: syntax, range, duplicates across the whole stack.
    if (Array.isArray(c.ports)) {
      c.ports.forEach((value, i) => {
        if (typeof value !== 'string' && typeof value !== 'number') return;
        const path = `${base}.ports[${i}]`;
        const port = parsePort(value);
        if ('error' in port) {
          add(path, port.error);
          return;
        }
        if (port.host === null) return;
        const replicas = typeof c.replicas === 'number' ? c.replicas : 1;
        if (replicas > 1)
          add(
            path,
            `host port ${port.host} cannot be published by ${replicas} replicas; drop the host port or use one replica`,
          );
        // 0.0.0.0 (no host_ip) clashes with every address on the same port; two addresses clash only if equal.
        const clash = published.find(
          (p) =>
            p.port === port.host &&
            p.protocol === port.protocol &&
            (!p.ip || !port.host_ip || p.ip === port.host_ip),
        );
        if (clash) add(path, `host port ${port.host}/${port.protocol} is already published by ${clash.path}`);
        else published.push({ ip: port.host_ip, port: port.host, protocol: port.protocol, path });
      });
    }

    // Networks and static addresses.
    if (c.networks !== undefined && (c.network !== undefined || c.ip !== undefined)) {
      add(`${base}.networks`, 'use either network/ip or networks, not both');
    }
    for (const att of rawAttachments(name, c)) {
      const declared = att.network in networks;
      if (!declared && !(IMPLICIT_NETWORKS as readonly string[]).includes(att.network)) {
        const suggestion = closest(att.network, Object.keys(networks));
        add(
          att.networkPath,
          `network "${att.network}" is not declared under networks${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`,
        );
      }
      if (typeof att.ip !== 'string') continue;
      const ip = parseIpv4(att.ip);
      const net = networks[att.network];
      const driver =
        isObject(net) && typeof net.driver === 'string' ? net.driver : declared ? 'bridge' : att.network;
      const cidr = subnets.get(att.network);
      if (ip === null) add(att.ipPath, `"${att.ip}" is not an IPv4 address`);
      else if (driver === 'host' || driver === 'none')
        add(att.ipPath, `a static ip needs a bridge network, not "${att.network}" (${driver})`);
      else if (!cidr)
        add(
          att.ipPath,
          `a static ip needs a subnet on network "${att.network}": declare networks.${att.network}.subnet`,
        );
      else if (!cidrContains(cidr, ip))
        add(att.ipPath, `ip ${att.ip} is outside subnet ${formatCidr(cidr)} of network "${att.network}"`);
      else if (ip === cidr.network || ip === broadcast(cidr))
        add(att.ipPath, `ip ${att.ip} is the network or broadcast address of ${formatCidr(cidr)}`);
      else {
        const gatewayText = isObject(net) && typeof net.gateway === 'string' ? net.gateway : undefined;
        const gateway = gatewayText ? parseIpv4(gatewayText) : cidr.network + 1;
        const other = staticIps.get(`${att.network}/${ip}`);
        if (ip === gateway) add(att.ipPath, `ip ${att.ip} is the gateway of network "${att.network}"`);
        else if (other) add(att.ipPath, `ip ${att.ip} is already used by ${other}`);
        else staticIps.set(`${att.network}/${ip}`, att.ipPath.replace(/\.ip$/, ''));
        if (typeof c.replicas === 'number' && c.replicas > 1)
          add(att.ipPath, `a static ip cannot be shared by ${c.replicas} replicas`);
      }
    }

    // Resources.
    if (isObject(c.resources)) {
      const { memory, cpus } = c.resources;
      if ((typeof memory === 'string' || typeof memory === 'number') && parseMemory(memory) === null) {
        add(`${base}.resources.memory`, `"${memory}" is not a memory size such as 256m, 1g or 536870912`);
      }
      if ((typeof cpus === 'string' || typeof cpus === 'number') && parseCpus(cpus) === null) {
        add(`${base}.resources.cpus`, `"${cpus}" is not a positive number of CPUs such as 0.5 or 2`);
      }
    }

    // Health check test form.
    if (isObject(c.healthcheck) && Array.isArray(c.healthcheck.test)) {
      const [kind, ...rest] = c.healthcheck.test;
      if (!['CMD', 'CMD-SHELL', 'NONE'].includes(String(kind))) {
        add(
          `${base}.healthcheck.test[0]`,
          'a test list starts with "CMD", "CMD-SHELL" or "NONE" (or write the test as a string)',
        );
      } else if (kind !== 'NONE' && rest.length === 0) {
        add(`${base}.healthcheck.test`, `${kind} needs a command after it`);
      }
    }

    // Bind mounts.
    if (Array.isArray(c.volumes)) {
      c.volumes.forEach((v, i) => {
        if (typeof v !== 'string') return;
        const problem = volumeProblem(v);
        if (problem) add(`${base}.volumes[${i}]`, problem);
      });
    }
  }

  for (const cycle of findCycles(deps)) {
    add(formatPath(['containers', cycle[0]!, 'depends_on']), `dependency cycle: ${cycle.join(' -> ')}`);
  }
  return problems;
}

export function volumeProblem(value: string): string | null {
  const parts = value.split(':');
  if (parts.length < 2 || parts.length > 3)
    return `"${value}" is not a bind mount host_path:container_path[:ro]`;
  const [source, target, mode] = parts as [string, string, string | undefined];
  if (!source.startsWith('/') && !source.startsWith('.') && !source.startsWith('~')) {
    return `"${source}" looks like a named volume; only bind mounts are supported (use ./${source} or an absolute path)`;
  }
  if (!target.startsWith('/')) return `container path "${target}" must be absolute`;
  if (mode !== undefined && mode !== 'ro' && mode !== 'rw') return `mode "${mode}" must be ro or rw`;
  return null;
}
