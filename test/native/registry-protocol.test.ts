import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { pack } from 'tar-stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImageStore } from '../../src/engine/runtime/native/image/store.js';
import { removeTempHomes, tempHome } from './stack-builders.js';

afterAll(removeTempHomes);

/**
 * The parts of the registry protocol the loopback `docker-registry` of the test bed does not
 * exercise (it has no auth and serves single-platform manifests): a bearer-token challenge, a
 * manifest list, and a blob whose bytes do not match its digest. A small HTTP server on loopback
 * speaks exactly the distribution-spec paths the client uses.
 */
const digest = (data: Buffer | string) => `sha256:${createHash('sha256').update(data).digest('hex')}`;

async function layerTar(): Promise<Buffer> {
  const archive = pack();
  archive.entry({ name: 'hello.txt', mode: 0o644 }, 'hello from a layer\n');
  archive.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of archive) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

describe('registry protocol', () => {
  let server: Server;
  let base: string;
  const seen: string[] = [];
  const blobs = new Map<string, Buffer>();
  const manifests = new Map<string, { type: string; body: Buffer }>();

  beforeAll(async () => {
    const layer = await layerTar();
    const config = Buffer.from(
      JSON.stringify({ architecture: 'amd64', os: 'linux', config: { Env: ['A=1'], Cmd: ['/hello'] } }),
    );
    blobs.set(digest(layer), layer);
    blobs.set(digest(config), config);
    const image = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
        config: {
          mediaType: 'application/vnd.docker.container.image.v1+json',
          digest: digest(config),
          size: config.length,
        },
        layers: [
          {
            mediaType: 'application/vnd.docker.image.rootfs.diff.tar',
            digest: digest(layer),
            size: layer.length,
          },
        ],
      }),
    );
    manifests.set(digest(image), {
      type: 'application/vnd.docker.distribution.manifest.v2+json',
      body: image,
    });
    const list = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.docker.distribution.manifest.list.v2+json',
        manifests: [
          { digest: `sha256:${'0'.repeat(64)}`, platform: { os: 'linux', architecture: 'arm64' } },
          {
            digest: digest(image),
            platform: { os: 'linux', architecture: process.arch === 'arm64' ? 'arm64' : 'amd64' },
          },
        ],
      }),
    );
    manifests.set('v1', { type: 'application/vnd.docker.distribution.manifest.list.v2+json', body: list });
    // A manifest whose layer digest names other bytes than the server sends.
    const lying = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
        config: { digest: digest(config), size: config.length },
        layers: [{ digest: `sha256:${'f'.repeat(64)}`, size: layer.length }],
      }),
    );
    manifests.set('tampered', { type: 'application/vnd.docker.distribution.manifest.v2+json', body: lying });
    blobs.set(`sha256:${'f'.repeat(64)}`, layer);

    server = createServer((req: IncomingMessage, res: ServerResponse) => {
      const url = new URL(req.url ?? '/', 'http://x');
      seen.push(`${req.headers.authorization ? 'auth ' : ''}${url.pathname}`);
      if (url.pathname === '/token') {
        expect(url.searchParams.get('scope')).toBe('repository:team/app:pull');
        res.end(JSON.stringify({ token: 'secret-token' }));
        return;
      }
      if (req.headers.authorization !== 'Bearer secret-token') {
        res.writeHead(401, {
          'WWW-Authenticate': `Bearer realm="${base}/token",service="loopback",scope="repository:team/app:pull"`,
        });
        res.end();
        return;
      }
      const manifest = url.pathname.match(/^\/v2\/team\/app\/manifests\/(.+)$/);
      const blob = url.pathname.match(/^\/v2\/team\/app\/blobs\/(.+)$/);
      const found = manifest ? manifests.get(manifest[1] ?? '') : undefined;
      if (found) {
        res.writeHead(200, { 'Content-Type': found.type });
        res.end(found.body);
      } else if (blob && blobs.has(blob[1] ?? '')) {
        res.end(blobs.get(blob[1] ?? ''));
      } else {
        res.writeHead(404);
        res.end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('answers a bearer challenge, narrows a manifest list to this platform and applies the layer', async () => {
    const store = new ImageStore(join(tempHome('kitten-registry-'), 'images'));
    const ref = `${base.replace('http://', '')}/team/app:v1`;
    const image = await store.pull(ref, () => {});
    expect(readFileSync(join(image.rootfs, 'hello.txt'), 'utf8')).toBe('hello from a layer\n');
    expect(image.config).toEqual({ env: { A: '1' }, cmd: ['/hello'], entrypoint: null, workdir: null });
    expect(seen).toContain('/token');
    expect(seen.filter((p) => p.startsWith('auth /v2/team/app/manifests/')).length).toBe(2);
  });

  it('refuses a layer whose bytes do not match its digest, and stores nothing', async () => {
    const dir = join(tempHome('kitten-registry-'), 'images');
    const store = new ImageStore(dir);
    await expect(
      store.pull(`${base.replace('http://', '')}/team/app:tampered`, () => {}),
    ).rejects.toMatchObject({
      code: 'IMAGE_DIGEST_MISMATCH',
    });
    expect(await store.list()).toEqual([]);
    expect(existsSync(join(dir, 'index.json'))).toBe(false);
  });

  it('says what is wrong when the registry cannot be reached', async () => {
    const store = new ImageStore(join(tempHome('kitten-registry-'), 'images'));
    await expect(store.pull('127.0.0.1:1/team/app:v1', () => {})).rejects.toMatchObject({
      code: 'REGISTRY_UNREACHABLE',
    });
  });
});
