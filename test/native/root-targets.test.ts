import { existsSync, lstatSync, mkdirSync, readlinkSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lowerKind, prepareDevDir, prepareTargets } from '../../src/engine/runtime/native/root-targets.js';
import { removeTempHomes, tempHome } from './stack-builders.js';

afterAll(removeTempHomes);

function image(): { lower: string; upper: string } {
  const dir = tempHome('kitten-targets-');
  const lower = join(dir, 'lower');
  const upper = join(dir, 'upper');
  mkdirSync(join(lower, 'etc'), { recursive: true });
  mkdirSync(join(lower, 'run'), { recursive: true });
  mkdirSync(join(lower, 'var'), { recursive: true });
  mkdirSync(upper);
  writeFileSync(join(lower, 'etc', 'passwd'), 'root:x:0:0::/root:/bin/sh\n');
  symlinkSync('/run', join(lower, 'var', 'run'));
  symlinkSync('../run/resolv.conf', join(lower, 'etc', 'resolv.conf'));
  return { lower, upper };
}

describe('mount points made before start', () => {
  it.each([
    ['/etc', 'dir'],
    ['/etc/passwd', 'file'],
    ['/etc/hosts', 'missing'],
    ['/srv/data', 'missing'],
    ['/var/run', 'symlink'],
    ['/var/run/app', 'symlink'],
    ['/etc/passwd/x', 'symlink'],
  ])('sees %s in the image as %s, without following links', (path, kind) => {
    const { lower } = image();
    expect(lowerKind(lower, path)).toBe(kind);
  });

  it('makes missing ones in the upper layer and leaves those behind an image symlink to the stage', () => {
    const { lower, upper } = image();
    const left = prepareTargets(lower, upper, {
      dirs: ['/proc', '/etc', '/srv/data', '/var/run/app'],
      files: ['/etc/hosts', '/etc/passwd', '/etc/resolv.conf'],
    });
    expect(left).toEqual({ dirs: ['/var/run/app'], files: ['/etc/resolv.conf'] });
    expect(lstatSync(join(upper, 'proc')).isDirectory()).toBe(true);
    expect(lstatSync(join(upper, 'srv', 'data')).isDirectory()).toBe(true);
    expect(lstatSync(join(upper, 'etc', 'hosts')).isFile()).toBe(true);
    // Present in the image: nothing written over it.
    expect(existsSync(join(upper, 'etc', 'passwd'))).toBe(false);
    expect(existsSync(join(upper, 'var'))).toBe(false);
  });

  it('fills a /dev directory with device files, pts, shm and the fd links, again without harm', () => {
    const dir = join(tempHome('kitten-dev-'), 'dev');
    prepareDevDir(dir);
    prepareDevDir(dir);
    for (const node of ['null', 'zero', 'full', 'random', 'urandom', 'tty'])
      expect(lstatSync(join(dir, node)).isFile()).toBe(true);
    expect(readlinkSync(join(dir, 'stdout'))).toBe('/proc/self/fd/1');
    expect(lstatSync(join(dir, '.kitten-oldroot')).isDirectory()).toBe(true);
  });
});
