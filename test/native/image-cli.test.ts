import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { hasCommand, loadTestbed } from '../support/testbed.js';
import { removeTempHomes, tempHome } from './stack-builders.js';

afterAll(removeTempHomes);

/** `kitten image …` as a person runs it: the built CLI, its exit codes, its JSON and its tables. */
const registryImage = loadTestbed().registry?.image;

function rootfsTar(dir: string): string {
  const root = join(dir, 'root');
  mkdirSync(join(root, 'bin'), { recursive: true });
  if (hasCommand('busybox')) cpSync('/usr/bin/busybox', join(root, 'bin', 'busybox'));
  symlinkSync('busybox', join(root, 'bin', 'sh'));
  const file = join(dir, 'rootfs.tar');
  execFileSync('tar', ['-cf', file, '-C', root, '.']);
  return file;
}

describe('kitten image', () => {
  it('imports a rootfs tar, lists it as JSON and as a table, and removes it', () => {
    const home = tempHome('kitten-image-cli-');
    const env = { KITTEN_HOME: home };
    const imported = runCli(['image', 'import', rootfsTar(home), 'tools/box:1', '--json'], { env });
    expect(imported.status).toBe(0);
    const image = imported.json() as { id: string; refs: string[]; source: string; layers: number };
    expect(image).toMatchObject({ refs: ['tools/box:1'], source: 'import', layers: 1 });
    expect(image.id).toMatch(/^[a-f0-9]{64}$/);

    const listed = runCli(['image', 'ls', '--json'], { env });
    expect(listed.status).toBe(0);
    expect(listed.json()).toEqual([expect.objectContaining({ id: image.id, refs: ['tools/box:1'] })]);

    const table = runCli(['image', 'ls', '-o', 'wide'], { env });
    expect(table.stdout.split('\n')[0]).toMatch(
      /^REPOSITORY\s+TAG\s+IMAGE ID\s+AGE\s+SIZE\s+LAYERS\s+SOURCE$/,
    );
    expect(table.stdout).toMatch(new RegExp(`tools/box\\s+1\\s+${image.id.slice(0, 12)}`));

    const removed = runCli(['image', 'rm', 'tools/box:1', '--json'], { env });
    expect(removed.status).toBe(0);
    expect(removed.json()).toEqual([{ image: 'tools/box:1', untagged: ['tools/box:1'], deleted: image.id }]);
    expect(runCli(['image', 'ls', '--json'], { env }).json()).toEqual([]);
  });

  it('exits 2 with one line and a hint for a malformed reference and for an image not in the store', () => {
    const env = { KITTEN_HOME: tempHome('kitten-image-cli-') };
    const bad = runCli(['image', 'import', '/nonexistent.tar', 'Bad Name', '--json'], { env });
    expect(bad.status).toBe(2);
    expect(bad.json()).toMatchObject({
      error: { code: 'IMAGE_REFERENCE_INVALID', hint: expect.any(String) },
    });
    const missing = runCli(['image', 'rm', 'nothing:here'], { env });
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('no image nothing:here in the local store');
    expect(missing.stderr).toContain('hint: run `kitten image ls`');
    expect(missing.stderr).not.toContain('    at ');
  });

  it.runIf(Boolean(registryImage))('pulls from the test bed registry with --json', () => {
    const env = { KITTEN_HOME: tempHome('kitten-image-cli-') };
    const pulled = runCli(['image', 'pull', registryImage as string, '--json'], { env });
    expect(pulled.status).toBe(0);
    expect(pulled.json()).toMatchObject({ refs: [registryImage], source: 'pull' });
  });
});
