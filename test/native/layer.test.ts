import { existsSync, lstatSync, mkdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { pack } from 'tar-stream';
import { afterAll, describe, expect, it } from 'vitest';
import { applyLayer, classifyEntry, safeRelative } from '../../src/engine/runtime/native/image/layer.js';
import { removeTempHomes, tempHome } from './stack-builders.js';

afterAll(removeTempHomes);

type Entry = {
  name: string;
  type?: 'file' | 'directory' | 'symlink' | 'link';
  body?: string;
  linkname?: string;
  mode?: number;
};

async function tarOf(entries: Entry[]): Promise<Buffer> {
  const archive = pack();
  for (const e of entries) {
    archive.entry(
      {
        name: e.name,
        type: e.type ?? 'file',
        mode: e.mode ?? (e.type === 'directory' ? 0o755 : 0o644),
        linkname: e.linkname,
      },
      e.body ?? '',
    );
  }
  archive.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of archive) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

describe('image layers', () => {
  it.each([
    ['etc/passwd', { kind: 'write', path: 'etc/passwd' }],
    ['./usr/bin/', { kind: 'write', path: 'usr/bin' }],
    ['etc/.wh.shadow', { kind: 'whiteout', path: 'etc/shadow' }],
    ['.wh.opt', { kind: 'whiteout', path: 'opt' }],
    ['var/cache/.wh..wh..opq', { kind: 'opaque', dir: 'var/cache' }],
    ['../../etc/passwd', { kind: 'write', path: 'etc/passwd' }],
    ['a/../../b', { kind: 'write', path: 'b' }],
    ['./', { kind: 'skip' }],
  ])('reads %s as %o', (name, action) => {
    expect(classifyEntry(name)).toEqual(action);
  });

  it('never lets a path out of the root', () => {
    for (const name of ['../x', '/../../x', 'a/../../../x', '..']) {
      const path = safeRelative(name);
      expect(path === null || !path.split('/').includes('..')).toBe(true);
    }
  });

  it('applies layers in order: later files win, whiteouts delete, opaque directories drop what was below', async () => {
    const root = join(tempHome('kitten-layer-'), 'rootfs');
    mkdirSync(root);
    const base = await tarOf([
      { name: 'etc/', type: 'directory' },
      { name: 'etc/keep', body: 'base' },
      { name: 'etc/gone', body: 'base' },
      { name: 'var/cache/', type: 'directory' },
      { name: 'var/cache/old', body: 'stale' },
      { name: 'bin/', type: 'directory' },
      { name: 'bin/busybox', body: '#!/bin/sh\n', mode: 0o755 },
      { name: 'bin/sh', type: 'symlink', linkname: 'busybox' },
      { name: 'bin/ash', type: 'link', linkname: 'bin/busybox' },
    ]);
    const top = await tarOf([
      { name: 'etc/keep', body: 'top' },
      { name: 'etc/.wh.gone' },
      { name: 'var/cache/.wh..wh..opq' },
      { name: 'var/cache/new', body: 'fresh' },
    ]);
    await applyLayer(root, Readable.from([base]));
    const stats = await applyLayer(root, Readable.from([gzipSync(top)]));
    expect(stats.whiteouts).toBe(2);
    expect(readFileSync(join(root, 'etc/keep'), 'utf8')).toBe('top');
    expect(existsSync(join(root, 'etc/gone'))).toBe(false);
    expect(existsSync(join(root, 'var/cache/old'))).toBe(false);
    expect(readFileSync(join(root, 'var/cache/new'), 'utf8')).toBe('fresh');
    expect(readlinkSync(join(root, 'bin/sh'))).toBe('busybox');
    expect(lstatSync(join(root, 'bin/ash')).ino).toBe(lstatSync(join(root, 'bin/busybox')).ino);
    expect(lstatSync(join(root, 'bin/busybox')).mode & 0o777).toBe(0o755);
  });

  it('refuses to write through a symlink a layer planted', async () => {
    const dir = tempHome('kitten-layer-');
    const root = join(dir, 'rootfs');
    const outside = join(dir, 'outside');
    mkdirSync(root);
    mkdirSync(outside);
    const evil = await tarOf([
      { name: 'escape', type: 'symlink', linkname: outside },
      { name: 'escape/planted', body: 'owned' },
    ]);
    await expect(applyLayer(root, Readable.from([evil]))).rejects.toMatchObject({
      code: 'IMAGE_LAYER_UNSAFE',
    });
    expect(existsSync(join(outside, 'planted'))).toBe(false);
    writeFileSync(join(outside, 'marker'), '');
  });
});
