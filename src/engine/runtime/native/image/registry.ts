import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { RuntimeError, UsageError } from '../../../errors.js';
import type { ProgressSink } from '../../../progress.js';
import { imageDefaults } from './image-config.js';
import { applyLayer } from './layer.js';
import { type ImageReference, registryBaseUrl } from './reference.js';
import type { ImageSink, StoredImage } from './stored-image.js';

/**
 * `kitten image pull` over the registry HTTP API (distribution spec v2): bearer-token auth from
 * the registry's challenge, manifest lists/indexes narrowed to this machine's platform, and every
 * manifest, config and layer checked against its sha256 digest before it is used.
 */
export const MEDIA = {
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociIndex: 'application/vnd.oci.image.index.v1+json',
} as const;

interface Descriptor {
  mediaType?: string;
  digest: string;
  size?: number;
  platform?: { os?: string; architecture?: string; variant?: string };
}

interface Manifest {
  mediaType?: string;
  schemaVersion?: number;
  config?: Descriptor;
  layers?: Descriptor[];
  manifests?: Descriptor[];
}

export function platformArch(arch: string = process.arch): string {
  return (
    (
      { x64: 'amd64', arm64: 'arm64', arm: 'arm', ia32: '386', ppc64: 'ppc64le', s390x: 's390x' } as Record<
        string,
        string
      >
    )[arch] ?? arch
  );
}

/** Chooses this machine's entry from a manifest list (linux/<arch>), pure for testing. */
export function choosePlatform(manifests: readonly Descriptor[], arch = platformArch()): Descriptor | null {
  return manifests.find((m) => m.platform?.os === 'linux' && m.platform.architecture === arch) ?? null;
}

/** Parses `Bearer realm="…",service="…",scope="…"` (pure). */
export function parseChallenge(header: string): { scheme: string; params: Record<string, string> } {
  const space = header.indexOf(' ');
  const scheme = (space < 0 ? header : header.slice(0, space)).toLowerCase();
  const params: Record<string, string> = {};
  for (const match of header.slice(space + 1).matchAll(/([a-zA-Z_]+)="([^"]*)"/g)) {
    if (match[1] && match[2] !== undefined) params[match[1]] = match[2];
  }
  return { scheme, params };
}

export function sha256(data: Buffer | string): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

/** Basic credentials from ~/.docker/config.json (`docker login` writes them), if any. */
async function dockerCredentials(registry: string): Promise<string | null> {
  const file = join(process.env.DOCKER_CONFIG ?? join(homedir(), '.docker'), 'config.json');
  try {
    const config = JSON.parse(await readFile(file, 'utf8')) as { auths?: Record<string, { auth?: string }> };
    const keys =
      registry === 'docker.io'
        ? ['https://index.docker.io/v1/', 'docker.io']
        : [registry, `https://${registry}`];
    for (const key of keys) {
      const auth = config.auths?.[key]?.auth;
      if (auth) return auth;
    }
  } catch {
    // no docker config: anonymous
  }
  return null;
}

class RegistryClient {
  private token: string | null = null;

  constructor(
    private readonly ref: ImageReference,
    private readonly base: string,
  ) {}

  private async authorize(challenge: string): Promise<void> {
    const { scheme, params } = parseChallenge(challenge);
    const basic = await dockerCredentials(this.ref.registry);
    if (scheme === 'basic') {
      if (!basic) throw this.authError();
      this.token = `Basic ${basic}`;
      return;
    }
    if (!params.realm) throw this.authError();
    const url = new URL(params.realm);
    if (params.service) url.searchParams.set('service', params.service);
    url.searchParams.set('scope', params.scope ?? `repository:${this.ref.repository}:pull`);
    const response = await fetch(url, { headers: basic ? { Authorization: `Basic ${basic}` } : {} });
    if (!response.ok) throw this.authError();
    const body = (await response.json()) as { token?: string; access_token?: string };
    const token = body.token ?? body.access_token;
    if (!token) throw this.authError();
    this.token = `Bearer ${token}`;
  }

  private authError(): RuntimeError {
    return new RuntimeError(
      'REGISTRY_AUTH_FAILED',
      `${this.ref.registry} refused access to ${this.ref.repository}`,
      {
        hint: `check the name, and log in with \`docker login ${this.ref.registry}\` if the repository is private`,
      },
    );
  }

  async get(path: string, accept?: string): Promise<Response> {
    const url = `${this.base}/v2/${this.ref.repository}/${path}`;
    const send = () =>
      fetch(url, {
        headers: {
          ...(accept ? { Accept: accept } : {}),
          ...(this.token ? { Authorization: this.token } : {}),
        },
      });
    let response: Response;
    try {
      response = await send();
      if (response.status === 401 && !this.token) {
        await response.body?.cancel();
        await this.authorize(response.headers.get('www-authenticate') ?? '');
        response = await send();
      }
    } catch (error) {
      if (error instanceof RuntimeError) throw error;
      throw new RuntimeError(
        'REGISTRY_UNREACHABLE',
        `cannot reach ${this.base}: ${(error as Error).cause ? String((error as { cause: unknown }).cause) : (error as Error).message}`,
        {
          hint: 'check the registry address and that this machine can reach it',
        },
      );
    }
    if (response.status === 401 || response.status === 403) throw this.authError();
    if (response.status === 404) {
      throw new UsageError('IMAGE_NOT_FOUND', `${this.ref.familiar} was not found in ${this.ref.registry}`, {
        hint: 'check the name and tag',
      });
    }
    if (!response.ok) {
      throw new RuntimeError(
        'REGISTRY_ERROR',
        `${this.ref.registry} answered ${response.status} for ${path}`,
        {
          hint: 'try again; if it persists, the registry is unwell',
        },
      );
    }
    return response;
  }

  async manifest(reference: string): Promise<{ manifest: Manifest; digest: string; mediaType: string }> {
    const accept = [MEDIA.ociIndex, MEDIA.dockerList, MEDIA.ociManifest, MEDIA.dockerManifest].join(', ');
    const response = await this.get(`manifests/${reference}`, accept);
    const body = Buffer.from(await response.arrayBuffer());
    const digest = sha256(body);
    if (reference.startsWith('sha256:') && digest !== reference) {
      throw digestMismatch(`manifest ${reference}`, digest);
    }
    const manifest = JSON.parse(body.toString('utf8')) as Manifest;
    const mediaType = manifest.mediaType ?? response.headers.get('content-type') ?? '';
    return { manifest, digest, mediaType };
  }

  async blobToBuffer(descriptor: Descriptor): Promise<Buffer> {
    const response = await this.get(`blobs/${descriptor.digest}`);
    const body = Buffer.from(await response.arrayBuffer());
    const digest = sha256(body);
    if (digest !== descriptor.digest) throw digestMismatch(`blob ${descriptor.digest}`, digest);
    return body;
  }

  /** Streams a blob to a file while hashing it; the file is only kept when the digest matches. */
  async blobToFile(descriptor: Descriptor, file: string, onBytes: (n: number) => void): Promise<void> {
    const response = await this.get(`blobs/${descriptor.digest}`);
    if (!response.body) throw new RuntimeError('REGISTRY_ERROR', `empty body for blob ${descriptor.digest}`);
    const hash = createHash('sha256');
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        hash.update(chunk);
        onBytes(chunk.length);
        callback(null, chunk);
      },
    });
    await pipeline(
      Readable.fromWeb(response.body as unknown as WebReadableStream),
      counter,
      createWriteStream(file),
    );
    const digest = `sha256:${hash.digest('hex')}`;
    if (digest !== descriptor.digest) {
      await rm(file, { force: true });
      throw digestMismatch(`layer ${descriptor.digest}`, digest);
    }
  }
}

function digestMismatch(what: string, got: string): RuntimeError {
  return new RuntimeError('IMAGE_DIGEST_MISMATCH', `${what} arrived with digest ${got}`, {
    hint: 'the download was corrupted or the registry is lying; pull again',
  });
}

export async function pullImage(
  store: ImageSink,
  ref: ImageReference,
  progress: ProgressSink,
): Promise<StoredImage> {
  const resource = `image:${ref.familiar}`;
  progress({ resource, status: 'working', text: 'resolving' });
  const client = new RegistryClient(
    ref,
    registryBaseUrl(ref.registry, (process.env.KITTEN_INSECURE_REGISTRIES ?? '').split(',')),
  );
  let { manifest, mediaType } = await client.manifest(ref.digest ?? ref.tag ?? 'latest');
  if (mediaType === MEDIA.ociIndex || mediaType === MEDIA.dockerList || manifest.manifests) {
    const chosen = choosePlatform(manifest.manifests ?? []);
    if (!chosen) {
      throw new RuntimeError('IMAGE_NO_PLATFORM', `${ref.familiar} has no linux/${platformArch()} image`, {
        hint: 'pick a tag built for this machine',
      });
    }
    ({ manifest } = await client.manifest(chosen.digest));
  }
  if (!manifest.config || !manifest.layers) {
    throw new RuntimeError(
      'IMAGE_MANIFEST_UNSUPPORTED',
      `${ref.familiar} has a manifest Kitten cannot read (schema ${manifest.schemaVersion ?? '?'})`,
      {
        hint: 'push the image with a current Docker or any OCI tool (schema 2)',
      },
    );
  }
  const configBlob = await client.blobToBuffer(manifest.config);
  const configJson = JSON.parse(configBlob.toString('utf8')) as unknown;
  const id = manifest.config.digest.replace(/^sha256:/, '');
  const existing = await store.find(id);
  if (existing) {
    const image = await store.add({
      id,
      refs: [ref.familiar],
      source: 'pull',
      config: existing.config,
      build: async () => ({ size: 0, layers: 0 }),
    });
    progress({ resource, status: 'done', text: `up to date (${id.slice(0, 12)})` });
    return image;
  }
  const layers = manifest.layers;
  const total = layers.reduce((sum, l) => sum + (l.size ?? 0), 0);
  const scratch = join(tmpdir(), `kitten-pull-${randomBytes(6).toString('hex')}`);
  await mkdir(scratch, { recursive: true });
  try {
    let current = 0;
    const files: string[] = [];
    for (const [i, layer] of layers.entries()) {
      const file = join(scratch, `${i}.layer`);
      await client.blobToFile(layer, file, (n) => {
        current += n;
        progress({
          resource,
          status: 'working',
          text: `downloading layer ${i + 1}/${layers.length}`,
          current,
          total,
        });
      });
      files.push(file);
    }
    const image = await store.add({
      id,
      refs: [ref.familiar],
      source: 'pull',
      config: imageDefaults(configJson),
      build: async (rootfs) => {
        let size = 0;
        for (const [i, file] of files.entries()) {
          progress({ resource, status: 'working', text: `extracting layer ${i + 1}/${files.length}` });
          size += (await applyLayer(rootfs, createReadStream(file))).bytes;
        }
        return { size, layers: files.length };
      },
    });
    progress({ resource, status: 'done', text: `pulled ${id.slice(0, 12)}` });
    return image;
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
