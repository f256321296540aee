import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { RuntimeError, UsageError } from '../../../errors.js';
import type { ProgressSink } from '../../../progress.js';
import { readJsonIfExists, writeJsonAtomic } from '../../../state/atomic.js';
import { parseReference } from './reference.js';
import { pullImage } from './registry.js';
import type { ImageSink, NewImage, StoredImage } from './stored-image.js';

export type { ImageSink, NewImage, StoredImage } from './stored-image.js';

/**
 * Kitten's local image store: each image is one flattened root filesystem (its layers applied in
 * order) that containers use as the read-only lower layer of their overlay, plus the config a
 * container starts from. `index.json` maps references to images; it is rewritten atomically.
 *
 *   images/index.json
 *   images/<id>/rootfs/
 */
interface Index {
  version: 1;
  images: Array<Omit<StoredImage, 'rootfs'>>;
}

export class ImageStore implements ImageSink {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(readonly dir: string) {}

  private indexFile(): string {
    return join(this.dir, 'index.json');
  }

  private async readIndex(): Promise<Index> {
    return (await readJsonIfExists<Index>(this.indexFile())) ?? { version: 1, images: [] };
  }

  private withIndex<T>(work: (index: Index) => Promise<T>): Promise<T> {
    const next = this.queue.then(async () => work(await this.readIndex()));
    this.queue = next.catch(() => undefined);
    return next;
  }

  private withRootfs(image: Omit<StoredImage, 'rootfs'>): StoredImage {
    return { ...image, rootfs: join(this.dir, image.id, 'rootfs') };
  }

  async list(): Promise<StoredImage[]> {
    const index = await this.readIndex();
    return index.images
      .map((i) => this.withRootfs(i))
      .sort((a, b) => (a.refs[0] ?? a.id).localeCompare(b.refs[0] ?? b.id));
  }

  /** By reference (`busybox`, `busybox:latest`, `docker.io/library/busybox`) or by id prefix (12+ hex). */
  async find(text: string): Promise<StoredImage | null> {
    const images = await this.list();
    if (/^(sha256:)?[a-f0-9]{12,64}$/.test(text)) {
      const prefix = text.replace(/^sha256:/, '');
      const byId = images.find((i) => i.id.startsWith(prefix));
      if (byId) return byId;
    }
    let familiar: string;
    try {
      familiar = parseReference(text).familiar;
    } catch {
      return null;
    }
    return images.find((i) => i.refs.includes(familiar)) ?? null;
  }

  /** Builds the image beside the store and moves it in whole; references move from any older image. */
  async add(image: NewImage): Promise<StoredImage> {
    await mkdir(this.dir, { recursive: true });
    const refs = image.refs.map((r) => parseReference(r).familiar);
    const existing = (await this.readIndex()).images.find((i) => i.id === image.id);
    let built: { size: number; layers: number } | null = null;
    if (!existing) {
      const temp = join(this.dir, `.tmp-${randomBytes(6).toString('hex')}`);
      try {
        await mkdir(join(temp, 'rootfs'), { recursive: true });
        built = await image.build(join(temp, 'rootfs'));
        await rm(join(this.dir, image.id), { recursive: true, force: true });
        await rename(temp, join(this.dir, image.id));
      } catch (error) {
        await rm(temp, { recursive: true, force: true });
        throw error;
      }
    }
    return this.withIndex(async (index) => {
      for (const other of index.images) other.refs = other.refs.filter((r) => !refs.includes(r));
      let entry = index.images.find((i) => i.id === image.id);
      if (!entry) {
        entry = {
          id: image.id,
          refs: [],
          created: new Date().toISOString(),
          size: built?.size ?? 0,
          layers: built?.layers ?? 0,
          source: image.source,
          config: image.config,
        };
        index.images.push(entry);
      }
      entry.refs = [...new Set([...entry.refs, ...refs])];
      // An image that lost its last reference to the new one stays, listed by id, as Docker's dangling images do.
      await writeJsonAtomic(this.indexFile(), index);
      return this.withRootfs(entry);
    });
  }

  /**
   * Removes a reference; the image itself goes when no reference is left (or at once when
   * named by id). `inUse` says whether a container still stands on the image's rootfs.
   */
  async remove(
    text: string,
    inUse: (rootfs: string) => Promise<string[]>,
    force = false,
  ): Promise<{ untagged: string[]; deleted: string | null }> {
    const image = await this.find(text);
    if (!image) {
      throw new UsageError('IMAGE_NOT_FOUND', `no image ${text} in the local store`, {
        hint: 'run `kitten image ls` to see the images',
      });
    }
    const byId = !image.refs.some((r) => r === safeFamiliar(text));
    const untagged = byId ? image.refs : [safeFamiliar(text) as string];
    const remaining = image.refs.filter((r) => !untagged.includes(r));
    if (remaining.length === 0) {
      const users = await inUse(image.rootfs);
      if (users.length > 0 && !force) {
        throw new RuntimeError('IMAGE_IN_USE', `image ${text} is used by ${users.join(', ')}`, {
          hint: 'remove those containers first (kitten down), or pass --force',
        });
      }
    }
    return this.withIndex(async (index) => {
      const entry = index.images.find((i) => i.id === image.id);
      if (!entry) return { untagged: [], deleted: null };
      entry.refs = remaining;
      let deleted: string | null = null;
      if (remaining.length === 0) {
        index.images = index.images.filter((i) => i.id !== image.id);
        deleted = image.id;
      }
      await writeJsonAtomic(this.indexFile(), index);
      if (deleted) await rm(join(this.dir, deleted), { recursive: true, force: true });
      return { untagged, deleted };
    });
  }

  /** Pulls from the image's registry (see registry.ts). */
  async pull(text: string, progress: ProgressSink): Promise<StoredImage> {
    return pullImage(this, parseReference(text), progress);
  }
}

function safeFamiliar(text: string): string | null {
  try {
    return parseReference(text).familiar;
  } catch {
    return null;
  }
}
