import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import {
  type LaunchPlan,
  shellQuote,
  shimScript,
  stageScript,
} from '../../src/engine/runtime/native/launch-script.js';

const tools = {
  sh: '/bin/sh',
  mount: '/usr/bin/mount',
  umount: '/usr/bin/umount',
  pivotRoot: '/usr/sbin/pivot_root',
  hostname: '/usr/bin/hostname',
  mkdir: '/usr/bin/mkdir',
  unshare: '/usr/bin/unshare',
  nsenter: '/usr/bin/nsenter',
  ln: '/usr/bin/ln',
};

function plan(overrides: Partial<LaunchPlan> = {}): LaunchPlan {
  return {
    tools,
    cgroupProcs: ['/sys/fs/cgroup/memory/kitten/p/c/cgroup.procs'],
    netnsPath: '/run/netns/kitten-abc',
    exitFile: '/state/c/exit',
    rootDir: '/state/c/rootfs',
    lowerDir: '/images/x/rootfs',
    upperDir: '/state/c/upper',
    workDir: '/state/c/work',
    detachOldRoot: ['/dev/.kitten-oldroot/usr/bin/umount', '-l', '/dev/.kitten-oldroot'],
    hostBinds: [],
    symlinks: [],
    etcFiles: { hosts: '/state/c/hosts', hostname: '/state/c/hostname', resolvConf: '/state/c/resolv.conf' },
    volumes: [{ source: '/data/it is', target: '/srv/data', readOnly: true, kind: 'dir' }],
    hostname: 'web',
    cwd: '/srv',
    argv: ['sh', '-c', "echo 'quoted' $HOME"],
    ...overrides,
  };
}

describe('the launch scripts', () => {
  it.each([
    ['plain', 'plain'],
    ['/usr/bin/x', '/usr/bin/x'],
    ['two words', "'two words'"],
    ["it's", "'it'\\''s'"],
    ['', "''"],
    ['$HOME', "'$HOME'"],
  ])('quotes %s as %s', (word, quoted) => {
    expect(shellQuote(word)).toBe(quoted);
  });

  it('round-trips any argument through the shell unchanged', () => {
    const words = ["it's", 'a b', '$(rm -rf /)', '`x`', '"q"', '\\', 'new\nline', '*'];
    const out = execFileSync('/bin/sh', ['-c', `printf '%s\\0' ${words.map(shellQuote).join(' ')}`], {
      encoding: 'utf8',
    });
    expect(out.split('\0').slice(0, -1)).toEqual(words);
  });

  it('mounts the overlay first, pivots into it and execs the command last', () => {
    const lines = stageScript(plan()).split('\n');
    expect(lines[0]).toBe('set -e');
    expect(lines[1]).toContain(
      '-t overlay overlay -o lowerdir=/images/x/rootfs,upperdir=/state/c/upper,workdir=/state/c/work /state/c/rootfs',
    );
    const pivot = lines.findIndex((l) => l.includes('pivot_root'));
    expect(lines[pivot + 2]).toBe('/dev/.kitten-oldroot/usr/bin/umount -l /dev/.kitten-oldroot');
    expect(lines.at(-1)).toBe(`exec sh -c 'echo '\\''quoted'\\'' $HOME'`);
    expect(lines).toContain("/usr/bin/mount -o bind,ro '/data/it is' /state/c/rootfs/srv/data");
    expect(lines).toContain('/usr/bin/mount -o bind /state/c/hosts /state/c/rootfs/etc/hosts');
    expect(lines).toContain('/usr/bin/hostname web');
    expect(lines).toContain('cd /srv');
    // Every mount happens before the pivot.
    expect(lines.slice(pivot).some((l) => l.includes('/usr/bin/mount '))).toBe(false);
  });

  it('joins the cgroups, enters the prepared network namespace and records the exit code with builtins only', () => {
    const shim = shimScript(plan());
    const [first, second] = shim.split('\n');
    expect(first).toBe('echo $$ > /sys/fs/cgroup/memory/kitten/p/c/cgroup.procs');
    expect(second).toMatch(
      /^exec \/usr\/bin\/nsenter --net=\/run\/netns\/kitten-abc \/usr\/bin\/unshare --pid --uts --ipc \/bin\/sh -c /,
    );
    expect(shim).toContain('"$code" > /state/c/exit');
    const afterWait = shim.slice(shim.indexOf('code=$?'));
    expect(afterWait).not.toMatch(/\/usr\/bin\/|\/bin\/(?!sh)/);
  });

  it('shares the host network when there is no namespace to enter', () => {
    expect(shimScript(plan({ netnsPath: null, cgroupProcs: [] }))).toMatch(/^exec \/usr\/bin\/unshare --pid/);
  });
});
