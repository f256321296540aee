import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { detectCgroupLayout } from '../../src/engine/runtime/native/cgroups.js';

/**
 * Everything on the host a native project can leave behind, listed the way an operator would
 * look: processes, mounts, network namespaces, links, iptables rules, cgroups and listeners.
 * `down` is proven clean by comparing this before and after.
 */
export interface HostResources {
  processes: string[];
  mounts: string[];
  netns: string[];
  links: string[];
  iptables: string[];
  cgroups: string[];
}

function run(command: string, args: string[]): string {
  try {
    return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return '';
  }
}

/** The project's supervisor (`main.js HOME PROJECT`), its shims (scripts naming the project's directory) and anything in its cgroups. */
function processes(home: string, project: string): string[] {
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((p) => /^[0-9]+$/.test(p))) {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
      const cgroup = readFileSync(`/proc/${pid}/cgroup`, 'utf8');
      const mine =
        cmdline.includes(`${home} ${project} `) ||
        cmdline.includes(`${home}/native/projects/${project}/`) ||
        cgroup.includes(`/kitten/${project}/`);
      if (mine) found.push(`${pid} ${cmdline.slice(0, 80)}`);
    } catch {
      // exited while we looked
    }
  }
  return found.sort();
}

export function hostResources(
  home: string,
  project: string,
  names: { links: string[]; netns: string[] },
): HostResources {
  const layout = detectCgroupLayout(readFileSync('/proc/self/mounts', 'utf8'));
  const roots =
    layout === null
      ? []
      : layout.version === 2
        ? [layout.root]
        : [layout.memory, layout.cpu, layout.pids].filter((r): r is string => r !== null);
  return {
    processes: processes(home, project),
    mounts: readFileSync('/proc/self/mountinfo', 'utf8')
      .split('\n')
      .filter(
        (l) =>
          l.includes(`${home}/native/projects/${project}/`) ||
          names.netns.some((n) => l.includes(`/run/netns/${n} `)),
      ),
    netns: run('ip', ['netns', 'list'])
      .split('\n')
      .map((l) => l.split(' ')[0] ?? '')
      .filter((n) => names.netns.includes(n)),
    links: run('ip', ['-o', 'link', 'show'])
      .split('\n')
      .map((l) => (l.split(': ')[1] ?? '').split('@')[0] ?? '')
      .filter((n) => names.links.includes(n)),
    iptables: [
      ...run('iptables', ['-S']).split('\n'),
      ...run('iptables', ['-t', 'nat', '-S']).split('\n'),
    ].filter((l) => l.includes(`kitten:${project}/`)),
    cgroups: roots.map((r) => join(r, 'kitten', project)).filter((d) => existsSync(d)),
  };
}
