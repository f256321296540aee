import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { RuntimeError } from '../../errors.js';
import { findTool, hostTools } from './host-tools.js';

/**
 * Bridges, network namespaces, veth pairs and NAT rules, through iproute2 and iptables. Each
 * function is idempotent (safe to repeat after a crash half-way) and every object it creates is
 * named from the project, so `down` can find exactly what it made.
 */
const run = promisify(execFile);

async function ip(args: string[], input?: string): Promise<string> {
  const tools = hostTools();
  try {
    if (input === undefined) return (await run(tools.ip, args)).stdout;
    return await new Promise<string>((resolve, reject) => {
      const child = execFile(tools.ip, args, (error, stdout, stderr) => {
        if (error) reject(Object.assign(error, { stderr }));
        else resolve(stdout);
      });
      child.stdin?.end(input);
    });
  } catch (error) {
    const stderr = String((error as { stderr?: string }).stderr ?? '').trim();
    throw new RuntimeError(
      'NETWORK_SETUP_FAILED',
      `ip ${args.join(' ')}: ${stderr || (error as Error).message}`,
      {
        hint: 'the native runtime needs root (CAP_NET_ADMIN) to create bridges, veths and namespaces',
      },
    );
  }
}

async function ipQuiet(args: string[]): Promise<void> {
  await ip(args).catch(() => undefined);
}

export async function linkExists(name: string): Promise<boolean> {
  try {
    await run(hostTools().ip, ['link', 'show', 'dev', name]);
    return true;
  } catch {
    return false;
  }
}

export async function ensureBridge(bridge: string, gateway: string, prefix: number): Promise<void> {
  if (!(await linkExists(bridge))) {
    await ip(['link', 'add', bridge, 'type', 'bridge']).catch(async (error) => {
      if (!(await linkExists(bridge))) throw error;
    });
  }
  const addresses = await ip(['-4', '-o', 'addr', 'show', 'dev', bridge]);
  if (!addresses.includes(` ${gateway}/${prefix} `))
    await ip(['addr', 'add', `${gateway}/${prefix}`, 'dev', bridge]);
  await ip(['link', 'set', bridge, 'up']);
}

export async function removeLink(name: string): Promise<void> {
  if (await linkExists(name)) await ipQuiet(['link', 'del', name]);
}

export async function netnsExists(name: string): Promise<boolean> {
  const list = await ip(['netns', 'list']).catch(() => '');
  return list.split('\n').some((line) => line.split(' ')[0] === name);
}

export interface VethPlan {
  veth: string;
  bridge: string;
  ip: string;
  prefix: number;
  gateway: string;
  /** Name inside the container: eth0, eth1, ... */
  iface: string;
}

/**
 * A container's network namespace with `lo` up and one veth pair per bridge network: the host
 * end on the bridge, the container end with its address (and, for eth0, the default route).
 * Three `ip` runs for a fresh namespace; a namespace that survived (a restart, a new
 * supervisor) only gets what it lacks.
 */
export async function prepareNetns(netns: string, links: readonly VethPlan[]): Promise<void> {
  const hostSide = (l: VethPlan) =>
    `link add ${l.veth} type veth peer name ${l.iface} netns ${netns}\nlink set ${l.veth} master ${l.bridge}\nlink set ${l.veth} up\n`;
  let missing: readonly VethPlan[] = links;
  try {
    // The common case, a fresh container: the namespace and the host ends in one `ip` run.
    await ip(['-batch', '-'], `netns add ${netns}\n${links.map(hostSide).join('')}`);
  } catch (error) {
    if (!(await netnsExists(netns))) throw error;
    // It survived (a restart, a new supervisor) or a previous attempt stopped half-way: add what it lacks.
    const present = await ip(['-n', netns, '-o', 'link', 'show']);
    missing = links.filter((l) => !present.includes(`: ${l.iface}@`));
    if (missing.length > 0) {
      await ip(['-force', '-batch', '-'], missing.map((l) => `link del ${l.veth}\n`).join('')).catch(
        () => '',
      );
      await ip(['-batch', '-'], missing.map(hostSide).join(''));
    }
  }
  const inside = missing.map(
    (l) =>
      `addr add ${l.ip}/${l.prefix} dev ${l.iface}\nlink set ${l.iface} up\n` +
      // Only the first network gets the default route, as Docker does.
      (l.iface === 'eth0' ? `route add default via ${l.gateway}\n` : ''),
  );
  await ip(['-n', netns, '-batch', '-'], `link set lo up\n${inside.join('')}`);
}

/** Deletes the host ends (taking their pairs along at once) and the namespace, in one `ip` run. */
export async function removeNetns(netns: string, veths: readonly string[]): Promise<void> {
  await ip(
    ['-force', '-batch', '-'],
    `${veths.map((v) => `link del ${v}\n`).join('')}netns del ${netns}\n`,
  ).catch(() => '');
}

/** Host routes and addresses, so an automatically picked subnet collides with none of them. */
export async function hostRanges(): Promise<string[]> {
  const routes = await ip(['-4', 'route', 'show', 'table', 'all']).catch(() => '');
  const addrs = await ip(['-4', '-o', 'addr', 'show']).catch(() => '');
  const ranges: string[] = [];
  for (const line of routes.split('\n')) {
    const first = line.trim().split(' ')[0];
    if (first && first !== 'default' && first !== 'local' && first !== 'broadcast') ranges.push(first);
  }
  for (const match of addrs.matchAll(/inet ([0-9./]+)/g)) if (match[1]) ranges.push(match[1]);
  return ranges;
}

/** Outbound NAT and forwarding for one bridge; skipped cleanly (false) when iptables is absent. */
export function natRules(bridge: string, subnet: string, tag: string): string[][] {
  const comment = ['-m', 'comment', '--comment', tag];
  return [
    ['-t', 'nat', '%', 'POSTROUTING', '-s', subnet, '!', '-o', bridge, '-j', 'MASQUERADE', ...comment],
    ['-t', 'filter', '%', 'FORWARD', '-i', bridge, '-j', 'ACCEPT', ...comment],
    ['-t', 'filter', '%', 'FORWARD', '-o', bridge, '-j', 'ACCEPT', ...comment],
  ];
}

function withVerb(rule: string[], verb: string): string[] {
  return rule.map((word) => (word === '%' ? verb : word));
}

export async function ensureNat(bridge: string, subnet: string, tag: string): Promise<boolean> {
  const iptables = findTool('iptables');
  if (!iptables) return false;
  try {
    await writeFile('/proc/sys/net/ipv4/ip_forward', '1');
  } catch {
    // read-only /proc/sys: forwarding may already be on; the rules still help same-host traffic
  }
  for (const rule of natRules(bridge, subnet, tag)) {
    try {
      await run(iptables, ['-w', ...withVerb(rule, '-C')]);
    } catch {
      // -I, not -A: a host firewall's DROP at the end of FORWARD (Docker installs one) must not win.
      await run(iptables, ['-w', ...withVerb(rule, '-I')]).catch(() => undefined);
    }
  }
  return true;
}

export async function removeNat(bridge: string, subnet: string, tag: string): Promise<void> {
  const iptables = findTool('iptables');
  if (!iptables) return;
  // ensureNat checks before it inserts, so there is one copy of each rule to delete.
  for (const rule of natRules(bridge, subnet, tag)) {
    await run(iptables, ['-w', ...withVerb(rule, '-D')]).catch(() => undefined);
  }
}
