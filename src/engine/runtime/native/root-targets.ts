import { appendFileSync, lstatSync, mkdirSync, readlinkSync, rmSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DEV_NODES, OLD_ROOT } from './launch-script.js';

/**
 * Mount points made by the supervisor, with plain file-system calls, in the container's upper
 * layer before the overlay is mounted: the merged root then has every one of them and the stage
 * needs no `mkdir` process. Where the image has a symlink on the way, writing the path into the
 * upper layer would hide the link, so those few are left for the stage to make in the mounted root.
 * Synchronous on purpose: a few dozen metadata calls, cheaper in one go than as thread-pool hops
 * on the path of every container start.
 */
export type LowerKind = 'missing' | 'dir' | 'file' | 'symlink';

/** What the image has at `path`, looking at each component without following links. */
export function lowerKind(lower: string, path: string): LowerKind {
  const parts = path.split('/').filter(Boolean);
  let current = lower;
  for (const [i, part] of parts.entries()) {
    current = join(current, part);
    const info = lstatOrNull(current);
    if (!info) return 'missing';
    if (info.isSymbolicLink()) return 'symlink';
    if (i === parts.length - 1) return info.isDirectory() ? 'dir' : 'file';
    if (!info.isDirectory()) return 'symlink';
  }
  return 'dir';
}

export interface Targets {
  dirs: string[];
  files: string[];
}

/** Makes the targets in `upper`; returns those the stage has to make itself. */
function lstatOrNull(path: string) {
  try {
    return lstatSync(path);
  } catch {
    return null;
  }
}

export function prepareTargets(lower: string, upper: string, targets: Targets): Targets {
  const left: Targets = { dirs: [], files: [] };
  for (const dir of new Set(targets.dirs)) {
    const kind = lowerKind(lower, dir);
    if (kind === 'dir') continue;
    if (kind === 'missing') mkdirSync(join(upper, dir), { recursive: true });
    else left.dirs.push(dir);
  }
  for (const file of new Set(targets.files)) {
    const kind = lowerKind(lower, file);
    if (kind === 'file') continue;
    if (kind === 'missing') {
      mkdirSync(join(upper, dirname(file)), { recursive: true });
      appendFileSync(join(upper, file), '');
    } else {
      left.files.push(file);
    }
  }
  return left;
}

function link(path: string, target: string): void {
  let current: string | null = null;
  try {
    current = readlinkSync(path);
  } catch {
    // not a link (yet)
  }
  if (current === target) return;
  rmSync(path, { recursive: true, force: true });
  symlinkSync(target, path);
}

/** A container's /dev: empty files for the host's device nodes to be bound onto, pts, shm, the usual links. */
export function prepareDevDir(dir: string): void {
  for (const sub of ['pts', 'shm', OLD_ROOT.replace(/^\/dev\//, '')])
    mkdirSync(join(dir, sub), { recursive: true });
  for (const node of DEV_NODES) appendFileSync(join(dir, node), '');
  for (const [name, target] of [
    ['fd', '/proc/self/fd'],
    ['stdin', '/proc/self/fd/0'],
    ['stdout', '/proc/self/fd/1'],
    ['stderr', '/proc/self/fd/2'],
    ['ptmx', 'pts/ptmx'],
  ] as const) {
    link(join(dir, name), target);
  }
}
