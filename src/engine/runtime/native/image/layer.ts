import { createWriteStream } from 'node:fs';
import { chmod, chown, lchown, link, lstat, mkdir, readdir, rm, symlink, utimes } from 'node:fs/promises';
import { join, normalize, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { extract } from 'tar-stream';
import { RuntimeError } from '../../../errors.js';

/**
 * Applies one image layer (a tar, gzip or not) onto a root directory, the way the OCI image spec
 * says: `.wh.NAME` deletes NAME from the layers below, `.wh..wh..opq` empties the directory it
 * sits in of everything the layers below put there. Paths never escape the root, whatever the
 * archive says, and a symlink in the tree is never followed while writing.
 */
export const WHITEOUT_PREFIX = '.wh.';
export const OPAQUE_WHITEOUT = '.wh..wh..opq';

/** An archive path as a safe relative path, or null when it is the root itself or escapes it. */
export function safeRelative(name: string): string | null {
  const cleaned = normalize(`/${name}`).replace(/^\/+/, '').replace(/\/+$/, '');
  if (cleaned === '' || cleaned === '.') return null;
  if (cleaned.split(sep).includes('..')) return null;
  return cleaned;
}

/** What an entry means for the tree: pure, so whiteout handling is a table of cases. */
export type LayerAction =
  | { kind: 'skip' }
  | { kind: 'opaque'; dir: string }
  | { kind: 'whiteout'; path: string }
  | { kind: 'write'; path: string };

export function classifyEntry(name: string): LayerAction {
  const path = safeRelative(name);
  if (path === null) return { kind: 'skip' };
  const base = path.split('/').pop() ?? '';
  const parent = path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '';
  if (base === OPAQUE_WHITEOUT) return { kind: 'opaque', dir: parent };
  if (base.startsWith(WHITEOUT_PREFIX)) {
    const target = base.slice(WHITEOUT_PREFIX.length);
    return target ? { kind: 'whiteout', path: parent ? `${parent}/${target}` : target } : { kind: 'skip' };
  }
  return { kind: 'write', path };
}

/** Refuses to write under a path whose parent inside the root is a symlink (a layer could aim it anywhere). */
async function ensureParent(root: string, relative: string): Promise<string> {
  const parts = relative.split('/');
  let current = root;
  for (const part of parts.slice(0, -1)) {
    current = join(current, part);
    const info = await lstat(current).catch(() => null);
    if (!info) {
      await mkdir(current, { mode: 0o755 });
    } else if (info.isSymbolicLink()) {
      throw new RuntimeError(
        'IMAGE_LAYER_UNSAFE',
        `layer writes through a symlink at /${parts.slice(0, parts.indexOf(part) + 1).join('/')}`,
        {
          hint: 'the image is malformed or hostile; rebuild it',
        },
      );
    } else if (!info.isDirectory()) {
      await rm(current, { force: true });
      await mkdir(current, { mode: 0o755 });
    }
  }
  return join(root, relative);
}

function gunzipIfNeeded(source: Readable): Promise<Readable> {
  return new Promise((resolve, reject) => {
    const onReadable = () => {
      const head = source.read(2) as Buffer | null;
      if (head === null) {
        if (source.readableEnded) resolve(source);
        return;
      }
      source.off('readable', onReadable);
      source.off('end', onEnd);
      source.unshift(head);
      if (head[0] === 0x1f && head[1] === 0x8b) resolve(source.pipe(createGunzip()));
      else resolve(source);
    };
    const onEnd = () => resolve(source);
    source.on('readable', onReadable);
    source.once('end', onEnd);
    source.once('error', reject);
  });
}

export interface ApplyStats {
  files: number;
  whiteouts: number;
  bytes: number;
}

export async function applyLayer(root: string, layer: Readable): Promise<ApplyStats> {
  const input = await gunzipIfNeeded(layer);
  const tar = extract();
  const stats: ApplyStats = { files: 0, whiteouts: 0, bytes: 0 };
  const hardlinks: Array<{ path: string; target: string }> = [];
  const dirTimes: Array<{ path: string; mtime: Date }> = [];
  const feeding = pipeline(input, tar);
  // Awaited after the loop; a loop that throws leaves it rejected, which must not go unhandled.
  feeding.catch(() => undefined);
  for await (const entry of tar) {
    const header = entry.header;
    const action = classifyEntry(header.name);
    try {
      if (action.kind === 'skip') continue;
      if (action.kind === 'opaque') {
        stats.whiteouts++;
        const dir = action.dir ? join(root, action.dir) : root;
        for (const child of await readdir(dir).catch(() => [] as string[]))
          await rm(join(dir, child), { recursive: true, force: true });
        continue;
      }
      if (action.kind === 'whiteout') {
        stats.whiteouts++;
        await rm(join(root, action.path), { recursive: true, force: true });
        continue;
      }
      const target = await ensureParent(root, action.path);
      const mode = (header.mode ?? 0o644) & 0o7777;
      const existing = await lstat(target).catch(() => null);
      if (header.type === 'directory') {
        if (existing && !existing.isDirectory()) await rm(target, { recursive: true, force: true });
        if (!existing?.isDirectory()) await mkdir(target, { mode });
        await chmod(target, mode);
        await chown(target, header.uid ?? 0, header.gid ?? 0).catch(() => undefined);
        if (header.mtime) dirTimes.push({ path: target, mtime: header.mtime });
        continue;
      }
      if (existing) await rm(target, { recursive: true, force: true });
      if (header.type === 'file' || header.type === 'contiguous-file' || !header.type) {
        await pipeline(entry, createWriteStream(target, { mode }));
        await chmod(target, mode);
        await chown(target, header.uid ?? 0, header.gid ?? 0).catch(() => undefined);
        if (header.mtime) await utimes(target, header.mtime, header.mtime).catch(() => undefined);
        stats.files++;
        stats.bytes += header.size ?? 0;
      } else if (header.type === 'symlink') {
        await symlink(header.linkname ?? '', target);
        await lchown(target, header.uid ?? 0, header.gid ?? 0).catch(() => undefined);
        stats.files++;
      } else if (header.type === 'link') {
        const linked = safeRelative(header.linkname ?? '');
        if (linked) hardlinks.push({ path: target, target: join(root, linked) });
      }
      // Device nodes and FIFOs are skipped: containers get their /dev from the runtime.
    } finally {
      entry.resume();
    }
  }
  await feeding;
  for (const h of hardlinks) {
    await rm(h.path, { force: true });
    await link(h.target, h.path).catch(() => undefined);
    stats.files++;
  }
  // Directory times last: writing into a directory changes its mtime.
  for (const d of dirTimes.reverse()) await utimes(d.path, d.mtime, d.mtime).catch(() => undefined);
  return stats;
}
