import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { extract } from 'tar-stream';
import { RuntimeError, UsageError } from '../../../errors.js';
import type { ProgressSink } from '../../../progress.js';
import { imageDefaults } from './image-config.js';
import { applyLayer, safeRelative } from './layer.js';
import { parseReference } from './reference.js';
import { choosePlatform, MEDIA } from './registry.js';
import type { ImageSink, StoredImage } from './stored-image.js';

/**
 * `kitten image load` and `kitten image import`: images from files. A `docker save` archive
 * (manifest.json listing config and layers per image) or an OCI image layout tarball
 * (oci-layout, index.json, blobs/sha256/…), gzip or not; and a plain root filesystem tar.
 */
interface DockerSaveEntry {
  Config: string;
  RepoTags?: string[] | null;
  Layers: string[];
}

interface OciDescriptor {
  mediaType?: string;
  digest: string;
  annotations?: Record<string, string>;
  platform?: { os?: string; architecture?: string };
}

/** What an archive holds, before anything is applied: pure over the files' JSON, so it is table-tested. */
export interface ArchiveImage {
  configPath: string;
  layerPaths: string[];
  refs: string[];
}

export function dockerSaveImages(manifest: DockerSaveEntry[]): ArchiveImage[] {
  return manifest.map((m) => ({ configPath: m.Config, layerPaths: m.Layers, refs: m.RepoTags ?? [] }));
}

export function blobPath(digest: string): string {
  const [algorithm, hex] = digest.split(':');
  if (algorithm !== 'sha256' || !hex || !/^[a-f0-9]{64}$/.test(hex)) {
    throw new RuntimeError('IMAGE_ARCHIVE_INVALID', `unsupported digest ${digest} in the archive`, {
      hint: 'only sha256 OCI layouts are supported',
    });
  }
  return `blobs/sha256/${hex}`;
}

/** The reference an OCI index entry names: containerd's full name, else the ref.name annotation. */
export function ociReference(descriptor: OciDescriptor, fallback: string | undefined): string | null {
  const full = descriptor.annotations?.['io.containerd.image.name'];
  if (full) return full;
  const name = descriptor.annotations?.['org.opencontainers.image.ref.name'];
  if (!name) return fallback ?? null;
  // A bare tag ("latest") needs a repository from the person.
  if (/^[\w][\w.-]*$/.test(name) && !name.includes('/') && fallback)
    return `${parseReference(fallback).familiar.replace(/:[^:/]+$/, '')}:${name}`;
  return name.includes(':') || name.includes('/') ? name : (fallback ?? null);
}

async function extractAll(file: string, into: string): Promise<void> {
  const head = Buffer.alloc(2);
  const handle = await open(file, 'r');
  try {
    await handle.read(head, 0, 2, 0);
  } finally {
    await handle.close();
  }
  const source = createReadStream(file);
  const input = head[0] === 0x1f && head[1] === 0x8b ? source.pipe(createGunzip()) : source;
  const tar = extract();
  const feeding = pipeline(input, tar);
  // Awaited after the loop; a loop that throws leaves it rejected, which must not go unhandled.
  feeding.catch(() => undefined);
  for await (const entry of tar) {
    const path = safeRelative(entry.header.name);
    if (path && entry.header.type === 'file') {
      const target = join(into, path);
      await mkdir(dirname(target), { recursive: true });
      await pipeline(entry, createWriteStream(target));
    } else {
      entry.resume();
    }
  }
  await feeding;
}

async function readJson<T>(path: string, what: string): Promise<T> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as T;
  } catch {
    throw new RuntimeError('IMAGE_ARCHIVE_INVALID', `the archive's ${what} is missing or not JSON`, {
      hint: 'give a file made by `docker save` or an OCI image layout tarball',
    });
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

async function ociImages(dir: string, tag: string | undefined): Promise<ArchiveImage[]> {
  const index = await readJson<{ manifests?: OciDescriptor[] }>(join(dir, 'index.json'), 'index.json');
  const images: ArchiveImage[] = [];
  for (const descriptor of index.manifests ?? []) {
    let manifestDescriptor = descriptor;
    if (descriptor.mediaType === MEDIA.ociIndex || descriptor.mediaType === MEDIA.dockerList) {
      const nested = await readJson<{ manifests?: OciDescriptor[] }>(
        join(dir, blobPath(descriptor.digest)),
        'nested index',
      );
      const chosen = choosePlatform(nested.manifests ?? []) as OciDescriptor | null;
      if (!chosen) continue;
      manifestDescriptor = { ...chosen, annotations: { ...chosen.annotations, ...descriptor.annotations } };
    }
    const manifest = await readJson<{ config?: { digest: string }; layers?: Array<{ digest: string }> }>(
      join(dir, blobPath(manifestDescriptor.digest)),
      'image manifest',
    );
    if (!manifest.config || !manifest.layers) continue;
    const ref = ociReference(manifestDescriptor, tag);
    images.push({
      configPath: blobPath(manifest.config.digest),
      layerPaths: manifest.layers.map((l) => blobPath(l.digest)),
      refs: ref ? [ref] : [],
    });
  }
  return images;
}

export async function loadArchive(
  store: ImageSink,
  file: string,
  progress: ProgressSink,
  tag?: string,
): Promise<StoredImage[]> {
  if (!(await exists(file))) {
    throw new UsageError('IMAGE_ARCHIVE_MISSING', `no file at ${file}`, {
      hint: 'give the path of a `docker save` or OCI archive',
    });
  }
  const dir = join(tmpdir(), `kitten-load-${randomBytes(6).toString('hex')}`);
  await mkdir(dir, { recursive: true });
  try {
    progress({ resource: `archive:${file}`, status: 'working', text: 'reading archive' });
    await extractAll(file, dir);
    let images: ArchiveImage[];
    if (await exists(join(dir, 'manifest.json'))) {
      images = dockerSaveImages(
        await readJson<DockerSaveEntry[]>(join(dir, 'manifest.json'), 'manifest.json'),
      );
    } else if (await exists(join(dir, 'index.json'))) {
      images = await ociImages(dir, tag);
    } else {
      throw new RuntimeError(
        'IMAGE_ARCHIVE_INVALID',
        `${file} is neither a docker save archive nor an OCI image layout`,
        {
          hint: 'a root filesystem tar goes through `kitten image import FILE NAME:TAG`',
        },
      );
    }
    if (images.length === 0) {
      throw new RuntimeError('IMAGE_ARCHIVE_EMPTY', `${file} holds no image for linux`, {
        hint: 'check the archive',
      });
    }
    const stored: StoredImage[] = [];
    for (const image of images) {
      const configText = await readFile(join(dir, image.configPath));
      const id = createHash('sha256').update(configText).digest('hex');
      const refs = tag && images.length === 1 ? [tag] : image.refs;
      const resource = `image:${refs[0] ?? id.slice(0, 12)}`;
      progress({ resource, status: 'working', text: `applying ${image.layerPaths.length} layer(s)` });
      const result = await store.add({
        id,
        refs,
        source: 'load',
        config: imageDefaults(JSON.parse(configText.toString('utf8'))),
        build: async (rootfs) => {
          let size = 0;
          for (const layer of image.layerPaths) {
            const safe = safeRelative(layer);
            if (!safe)
              throw new RuntimeError('IMAGE_ARCHIVE_INVALID', `layer path ${layer} escapes the archive`);
            size += (await applyLayer(rootfs, createReadStream(join(dir, safe)))).bytes;
          }
          return { size, layers: image.layerPaths.length };
        },
      });
      progress({ resource, status: 'done', text: `loaded ${id.slice(0, 12)}` });
      stored.push(result);
    }
    return stored;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function fileDigest(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** A root filesystem tar (gzip or not) becomes an image with no command of its own, as `docker import` makes. */
export async function importRootfs(
  store: ImageSink,
  file: string,
  ref: string,
  progress: ProgressSink,
): Promise<StoredImage> {
  const familiar = parseReference(ref).familiar;
  if (!(await exists(file))) {
    throw new UsageError('IMAGE_ARCHIVE_MISSING', `no file at ${file}`, {
      hint: 'give the path of a root filesystem tar',
    });
  }
  const resource = `image:${familiar}`;
  progress({ resource, status: 'working', text: 'importing' });
  const id = await fileDigest(file);
  const image = await store.add({
    id,
    refs: [familiar],
    source: 'import',
    config: {
      env: { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' },
      cmd: null,
      entrypoint: null,
      workdir: null,
    },
    build: async (rootfs) => ({ size: (await applyLayer(rootfs, createReadStream(file))).bytes, layers: 1 }),
  });
  progress({ resource, status: 'done', text: `imported ${id.slice(0, 12)}` });
  return image;
}
