import { mkdir, readFile, rmdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Resource limits and process tracking through cgroups, v1 (one hierarchy per controller) and
 * v2 (one unified tree). Every container gets a cgroup even without limits: it is how `down`
 * finds and kills every process a container made, however it forked.
 */
export type CgroupLayout =
  | { version: 2; root: string }
  | { version: 1; memory: string | null; cpu: string | null; pids: string | null };

/** Reads /proc/self/mounts text; pure so the v1, v2 and hybrid layouts are table rows in a test. */
export function detectCgroupLayout(mounts: string): CgroupLayout | null {
  const v1: { memory: string | null; cpu: string | null; pids: string | null } = {
    memory: null,
    cpu: null,
    pids: null,
  };
  let unified: string | null = null;
  for (const line of mounts.split('\n')) {
    const [, target, type, options] = line.split(' ');
    if (!target || !type || !options) continue;
    if (type === 'cgroup2' && target === '/sys/fs/cgroup') unified = target;
    if (type !== 'cgroup') continue;
    const opts = options.split(',');
    if (opts.includes('memory')) v1.memory = target;
    if (opts.includes('cpu')) v1.cpu = target;
    if (opts.includes('pids')) v1.pids = target;
  }
  if (unified) return { version: 2, root: unified };
  if (v1.memory || v1.cpu || v1.pids) return { version: 1, ...v1 };
  return null;
}

export interface Limits {
  memory: number | null;
  cpus: number | null;
}

const CPU_PERIOD_US = 100_000;

/** The files to write, per hierarchy directory, for the given limits (pure). */
export function limitWrites(
  layout: CgroupLayout,
  limits: Limits,
): Array<{ file: string; value: string; optional: boolean }> {
  const writes: Array<{ file: string; value: string; optional: boolean }> = [];
  const quota = limits.cpus === null ? null : Math.max(1000, Math.round(limits.cpus * CPU_PERIOD_US));
  if (layout.version === 2) {
    if (limits.memory !== null) {
      writes.push({ file: 'memory.max', value: String(limits.memory), optional: false });
      // Without this a hog swaps instead of being killed at the limit.
      writes.push({ file: 'memory.swap.max', value: '0', optional: true });
    }
    if (quota !== null) writes.push({ file: 'cpu.max', value: `${quota} ${CPU_PERIOD_US}`, optional: false });
    return writes;
  }
  if (limits.memory !== null) {
    writes.push({ file: 'memory:memory.limit_in_bytes', value: String(limits.memory), optional: false });
    writes.push({ file: 'memory:memory.memsw.limit_in_bytes', value: String(limits.memory), optional: true });
    writes.push({ file: 'memory:memory.swappiness', value: '0', optional: true });
  }
  if (quota !== null) {
    writes.push({ file: 'cpu:cpu.cfs_period_us', value: String(CPU_PERIOD_US), optional: false });
    writes.push({ file: 'cpu:cpu.cfs_quota_us', value: String(quota), optional: false });
  }
  return writes;
}

/** Every directory that makes up one container's cgroup (one per v1 hierarchy, or one in v2). */
export function cgroupDirs(layout: CgroupLayout, name: string): string[] {
  if (layout.version === 2) return [join(layout.root, name)];
  return [layout.memory, layout.cpu, layout.pids]
    .filter((d): d is string => d !== null)
    .map((d) => join(d, name));
}

function dirFor(layout: CgroupLayout, name: string, file: string): { dir: string; file: string } {
  if (layout.version === 2) return { dir: join(layout.root, name), file };
  const [controller, base] = file.split(':') as [keyof typeof layout, string];
  return { dir: join(layout[controller] as string, name), file: base };
}

let layoutCache: CgroupLayout | null | undefined;

export async function hostCgroupLayout(): Promise<CgroupLayout | null> {
  if (layoutCache === undefined)
    layoutCache = detectCgroupLayout(await readFile('/proc/self/mounts', 'utf8'));
  return layoutCache;
}

async function enableV2Controllers(root: string, name: string): Promise<void> {
  // Controllers must be enabled in every ancestor's subtree_control for the leaf to have them.
  const parts = name.split('/');
  let dir = root;
  for (const part of parts.slice(0, -1)) {
    for (const controller of ['memory', 'cpu', 'pids']) {
      await writeFile(join(dir, 'cgroup.subtree_control'), `+${controller}`).catch(() => undefined);
    }
    dir = join(dir, part);
    await mkdir(dir, { recursive: true });
  }
  for (const controller of ['memory', 'cpu', 'pids']) {
    await writeFile(join(dir, 'cgroup.subtree_control'), `+${controller}`).catch(() => undefined);
  }
}

/** Creates the cgroup, applies limits; returns the cgroup.procs files the shim joins. */
export async function createCgroup(layout: CgroupLayout, name: string, limits: Limits): Promise<string[]> {
  if (layout.version === 2) await enableV2Controllers(layout.root, name);
  const dirs = cgroupDirs(layout, name);
  for (const dir of dirs) await mkdir(dir, { recursive: true });
  for (const write of limitWrites(layout, limits)) {
    const target = dirFor(layout, name, write.file);
    try {
      await writeFile(join(target.dir, target.file), write.value);
    } catch (error) {
      if (!write.optional) throw error;
    }
  }
  return dirs.map((d) => join(d, 'cgroup.procs'));
}

export async function cgroupPids(layout: CgroupLayout, name: string): Promise<number[]> {
  const pids = new Set<number>();
  for (const dir of cgroupDirs(layout, name)) {
    try {
      for (const line of (await readFile(join(dir, 'cgroup.procs'), 'utf8')).split('\n')) {
        if (line.trim()) pids.add(Number(line));
      }
    } catch {
      // not there: nothing in it
    }
  }
  return [...pids];
}

/** Kills whatever is left in the cgroup, then removes it and any parents it leaves empty. */
export async function destroyCgroup(layout: CgroupLayout, name: string, deadlineMs = 5000): Promise<void> {
  const until = Date.now() + deadlineMs;
  for (;;) {
    const pids = await cgroupPids(layout, name);
    if (pids.length === 0) break;
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    if (Date.now() > until) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  const roots =
    layout.version === 2
      ? [layout.root]
      : [layout.memory, layout.cpu, layout.pids].filter((d): d is string => d !== null);
  for (const root of roots) {
    const parts = name.split('/');
    for (let depth = parts.length; depth > 0; depth--) {
      const dir = join(root, ...parts.slice(0, depth));
      let removed = false;
      for (let attempt = 0; attempt < 50 && !removed; attempt++) {
        try {
          await rmdir(dir);
          removed = true;
        } catch (error) {
          const code = (error as NodeJS.ErrnoException).code;
          if (code === 'ENOENT') removed = true;
          // A parent still holding other containers stays; a leaf busy with exiting tasks is retried.
          else if (code === 'ENOTEMPTY' || depth < parts.length) break;
          else await new Promise((r) => setTimeout(r, 20));
        }
      }
      if (!removed) break;
    }
  }
}
