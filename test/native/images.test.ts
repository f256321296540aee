import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importRootfs, loadArchive } from '../../src/engine/runtime/native/image/index.js';
import { createNativeRuntime, type NativeRuntime } from '../../src/engine/runtime/native/index.js';
import { componentAvailable, hasCommand, isRoot, loadTestbed } from '../support/testbed.js';
import { container, removeTempHomes, request, tempHome, until } from './stack-builders.js';

afterAll(removeTempHomes);

/**
 * The image store against real inputs: the test bed's registry on loopback, `docker save` from
 * its Docker engine, an OCI layout made from that archive, and root filesystem tars made with tar.
 */
const testbed = loadTestbed();
const registryImage = testbed.registry?.image;
const dockerImage = testbed.docker?.image;
const registryOk = componentAvailable('registry', registryImage ? null : 'no registry in the test bed');
const dockerOk = componentAvailable(
  'docker',
  dockerImage && hasCommand('docker') ? null : 'no docker engine in the test bed',
);
const rootOk = componentAvailable(
  'native runtime',
  isRoot() && hasCommand('busybox') ? null : 'needs root and busybox',
);
const quiet = () => {};

const sha = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

/** An OCI image layout tarball from a `docker save` archive: blobs by digest, a nested index with two platforms. */
function ociFromDockerSave(saveTar: string, into: string): string {
  const work = join(into, 'unpacked');
  const layout = join(into, 'layout');
  mkdirSync(work, { recursive: true });
  mkdirSync(join(layout, 'blobs', 'sha256'), { recursive: true });
  execFileSync('tar', ['-xf', saveTar, '-C', work]);
  const [entry] = JSON.parse(readFileSync(join(work, 'manifest.json'), 'utf8')) as Array<{
    Config: string;
    Layers: string[];
  }>;
  if (!entry) throw new Error('empty docker save archive');
  const blob = (data: Buffer) => {
    const digest = sha(data);
    writeFileSync(join(layout, 'blobs', 'sha256', digest), data);
    return { digest: `sha256:${digest}`, size: data.length };
  };
  const config = blob(readFileSync(join(work, entry.Config)));
  const layers = entry.Layers.map((l) => blob(readFileSync(join(work, l))));
  const manifest = blob(
    Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...config },
        layers: layers.map((l) => ({ mediaType: 'application/vnd.oci.image.layer.v1.tar', ...l })),
      }),
    ),
  );
  const other = blob(Buffer.from(JSON.stringify({ schemaVersion: 2, config, layers: [] })));
  const nested = blob(
    Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.index.v1+json',
        manifests: [
          {
            mediaType: 'application/vnd.oci.image.manifest.v1+json',
            ...other,
            platform: { os: 'linux', architecture: 'riscv64' },
          },
          {
            mediaType: 'application/vnd.oci.image.manifest.v1+json',
            ...manifest,
            platform: { os: 'linux', architecture: 'amd64' },
          },
        ],
      }),
    ),
  );
  writeFileSync(join(layout, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
  writeFileSync(
    join(layout, 'index.json'),
    JSON.stringify({
      schemaVersion: 2,
      manifests: [
        {
          mediaType: 'application/vnd.oci.image.index.v1+json',
          ...nested,
          annotations: { 'org.opencontainers.image.ref.name': 'oci' },
        },
      ],
    }),
  );
  const out = join(into, 'oci.tar');
  execFileSync('tar', ['-cf', out, '-C', layout, '.']);
  return out;
}

describe('native image store', () => {
  let home: string;
  let runtime: NativeRuntime;
  const created: string[] = [];

  beforeAll(() => {
    home = tempHome('kitten-images-');
    runtime = createNativeRuntime({ home });
  });
  afterAll(async () => {
    for (const name of created) await runtime.remove(name).catch(() => undefined);
    for (const project of await runtime.projects()) {
      for (const n of await runtime.listNetworks(project))
        await runtime.removeNetwork(project, n.network).catch(() => undefined);
    }
  });

  it.runIf(registryOk)(
    'pulls from the loopback registry, verifying digests, and pulls again as up to date',
    async () => {
      const events: string[] = [];
      const image = await runtime.images.pull(registryImage as string, (e) => events.push(e.text));
      expect(image.refs).toEqual([registryImage]);
      expect(existsSync(join(image.rootfs, 'bin', 'busybox'))).toBe(true);
      expect(events.some((t) => t.startsWith('downloading layer'))).toBe(true);
      const again = await runtime.images.pull(registryImage as string, quiet);
      expect(again.id).toBe(image.id);
      expect((await runtime.images.list()).filter((i) => i.id === image.id)).toHaveLength(1);
    },
  );

  it.runIf(registryOk)('says clearly when a tag does not exist in the registry', async () => {
    const missing = (registryImage as string).replace(/:[^:]+$/, ':no-such-tag');
    await expect(runtime.images.pull(missing, quiet)).rejects.toMatchObject({ code: 'IMAGE_NOT_FOUND' });
  });

  it.runIf(dockerOk)(
    'loads a docker save archive and an OCI layout of the same image to the same id',
    async () => {
      const dir = tempHome('kitten-archives-');
      const saved = join(dir, 'save.tar');
      execFileSync('docker', ['save', dockerImage as string, '-o', saved]);
      const [fromSave] = await loadArchive(runtime.images, saved, quiet);
      expect(fromSave?.refs).toEqual([dockerImage]);
      expect(existsSync(join(fromSave?.rootfs ?? '', 'bin', 'busybox'))).toBe(true);

      const oci = ociFromDockerSave(saved, dir);
      const [fromOci] = await loadArchive(runtime.images, oci, quiet, 'kitten-test/oci-copy:1');
      expect(fromOci?.id).toBe(fromSave?.id);
      // Same image, so one entry with both references.
      expect(fromOci?.refs).toEqual([dockerImage, 'kitten-test/oci-copy:1']);
      expect((await runtime.images.list()).filter((i) => i.id === fromSave?.id)).toHaveLength(1);
    },
  );

  it('refuses a file that is not an image archive, with a hint towards import', async () => {
    const dir = tempHome('kitten-archives-');
    mkdirSync(join(dir, 'root', 'etc'), { recursive: true });
    writeFileSync(join(dir, 'root', 'etc', 'motd'), 'hi');
    execFileSync('tar', ['-cf', join(dir, 'rootfs.tar'), '-C', join(dir, 'root'), '.']);
    await expect(loadArchive(runtime.images, join(dir, 'rootfs.tar'), quiet)).rejects.toMatchObject({
      code: 'IMAGE_ARCHIVE_INVALID',
      hint: expect.stringContaining('kitten image import'),
    });
    await expect(loadArchive(runtime.images, join(dir, 'absent.tar'), quiet)).rejects.toMatchObject({
      code: 'IMAGE_ARCHIVE_MISSING',
    });
  });

  it.runIf(rootOk)(
    'imports a rootfs tar, runs a container on it, keeps the image untouched, and refuses rm while used',
    async () => {
      const dir = tempHome('kitten-import-');
      const root = join(dir, 'root');
      mkdirSync(join(root, 'bin'), { recursive: true });
      cpSync('/usr/bin/busybox', join(root, 'bin', 'busybox'));
      symlinkSync('busybox', join(root, 'bin', 'sh'));
      execFileSync('tar', ['-czf', join(dir, 'rootfs.tgz'), '-C', root, '.']);
      const image = await importRootfs(
        runtime.images,
        join(dir, 'rootfs.tgz'),
        'kitten-test/imported:1',
        quiet,
      );
      expect(image.refs).toEqual(['kitten-test/imported:1']);

      const spec = container('writer', {
        image: 'kitten-test/imported:1',
        command: [
          '/bin/sh',
          '-c',
          'echo changed > /bin/marker; /bin/busybox cat /bin/marker; exec /bin/busybox sleep 300',
        ],
        networks: [{ name: 'none', ip: null }],
      });
      const req = request('imports', spec);
      await runtime.createContainer(req);
      created.push(req.name);
      await runtime.start(req.name);
      const lines = await until('the container to write its marker', async () => {
        const out: string[] = [];
        for await (const line of runtime.logs(req.name, {})) out.push(line.text);
        return out.includes('changed') ? out : undefined;
      });
      expect(lines).toContain('changed');
      expect(existsSync(join(image.rootfs, 'bin', 'marker'))).toBe(false);
      expect(
        readFileSync(join(runtime.paths.container('imports', req.name), 'upper', 'bin', 'marker'), 'utf8'),
      ).toBe('changed\n');

      await expect(
        runtime.images.remove('kitten-test/imported:1', (r) => runtime.imageUsers(r)),
      ).rejects.toMatchObject({
        code: 'IMAGE_IN_USE',
      });
      await runtime.remove(req.name);
      const removed = await runtime.images.remove('kitten-test/imported:1', (r) => runtime.imageUsers(r));
      expect(removed).toEqual({ untagged: ['kitten-test/imported:1'], deleted: image.id });
      expect(existsSync(image.rootfs)).toBe(false);
    },
  );

  it.runIf(rootOk)('runs a rootfs directory image by relative path, copy-on-write', async () => {
    const base = tempHome('kitten-rootfs-');
    const root = join(base, 'rootfs');
    mkdirSync(join(root, 'bin'), { recursive: true });
    cpSync('/usr/bin/busybox', join(root, 'bin', 'busybox'));
    symlinkSync('busybox', join(root, 'bin', 'sh'));
    const spec = container('dir', {
      image: './rootfs',
      command: ['/bin/sh', '-c', 'echo x > /written; exec /bin/busybox sleep 300'],
      networks: [{ name: 'none', ip: null }],
    });
    const req = request('rootfsdir', spec, base);
    await runtime.createContainer(req);
    created.push(req.name);
    await runtime.start(req.name);
    await until('the file in the upper layer', async () =>
      existsSync(join(runtime.paths.container('rootfsdir', req.name), 'upper', 'written')),
    );
    expect(existsSync(join(root, 'written'))).toBe(false);
    const result = await runtime.exec(req.name, ['/bin/busybox', 'ls', '/']);
    expect(result.stdout.split('\n')).toContain('written');
    await expect(
      runtime.createContainer(request('rootfsdir', container('nope', { image: './no-such-dir' }), base)),
    ).rejects.toMatchObject({ code: 'IMAGE_ROOTFS_MISSING' });
  });
});
