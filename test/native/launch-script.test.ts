import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import {
  fstabField,
  type LaunchPlan,
  shellQuote,
  shimScript,
  stageFstabs,
  stageScript,
} from '../../src/engine/runtime/native/launch-script.js';

const tools = {
  sh: '/bin/sh',
  mount: '/usr/bin/mount',
  umount: '/usr/bin/umount',
  pivotRoot: '/usr/sbin/pivot_root',
  mkdir: '/usr/bin/mkdir',
  unshare: '/usr/bin/unshare',
  nsenter: '/usr/bin/nsenter',
  cp: '/usr/bin/cp',
  rm: '/usr/bin/rm',
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
    fstabs: { root: '/state/c/fstab', dev: '/state/c/fstab.dev', optional: '/state/c/fstab.optional' },
    devTemplate: '/home/dev-template',
    detachOldRoot: ['/dev/.kitten-oldroot/usr/bin/umount', '-l', '/dev/.kitten-oldroot'],
    hostBinds: [{ source: '/usr', target: '/usr', readOnly: true, kind: 'dir' }],
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

  it('mounts the overlay first, everything else from two fstabs, pivots and execs the command last', () => {
    const lines = stageScript(plan()).split('\n');
    expect(lines[0]).toBe('set -e');
    expect(lines[1]).toContain(
      '-t overlay overlay -o lowerdir=/images/x/rootfs,upperdir=/state/c/upper,workdir=/state/c/work /state/c/rootfs',
    );
    expect(lines[2]).toContain('/usr/bin/mkdir -p /state/c/rootfs/proc /state/c/rootfs/dev');
    expect(lines[2]).toContain('/state/c/rootfs/srv/data');
    const mountAll = lines.indexOf('/usr/bin/mount --all --fstab /state/c/fstab');
    const copyDev = lines.indexOf('/usr/bin/cp -a /home/dev-template/. /state/c/rootfs/dev');
    const mountDev = lines.indexOf('/usr/bin/mount --all --fstab /state/c/fstab.dev');
    expect(mountAll).toBeGreaterThan(2);
    expect(copyDev).toBe(mountAll + 1);
    expect(mountDev).toBe(copyDev + 1);
    const pivot = lines.findIndex((l) => l.includes('pivot_root'));
    expect(lines[pivot + 2]).toBe('/dev/.kitten-oldroot/usr/bin/umount -l /dev/.kitten-oldroot');
    expect(lines.at(-1)).toBe(`exec sh -c 'echo '\\''quoted'\\'' $HOME'`);
    expect(lines).toContain("printf '%s' web > /proc/sys/kernel/hostname");
    expect(lines).toContain('cd /srv');
    expect(lines.slice(pivot).some((l) => l.includes('/usr/bin/mount '))).toBe(false);
  });

  it('writes /proc, /dev, the host userland, /etc files and volumes into the root fstab, device nodes into the /dev one', () => {
    const { root, dev } = stageFstabs(plan());
    expect(root.trim().split('\n')).toEqual([
      'proc /state/c/rootfs/proc proc nosuid,nodev,noexec 0 0',
      'tmpfs /state/c/rootfs/dev tmpfs nosuid,mode=755 0 0',
      '/usr /state/c/rootfs/usr none bind,ro 0 0',
      '/state/c/hosts /state/c/rootfs/etc/hosts none bind 0 0',
      '/state/c/hostname /state/c/rootfs/etc/hostname none bind 0 0',
      '/state/c/resolv.conf /state/c/rootfs/etc/resolv.conf none bind 0 0',
      '/data/it\\040is /state/c/rootfs/srv/data none bind,ro 0 0',
    ]);
    expect(dev).toContain('/dev/null /state/c/rootfs/dev/null none bind 0 0');
    expect(dev).toContain('shm /state/c/rootfs/dev/shm tmpfs nosuid,nodev,mode=1777 0 0');
  });

  it.each([
    ['plain', 'plain'],
    ['a b', 'a\\040b'],
    ['tab\there', 'tab\\011here'],
    ['back\\slash', 'back\\134slash'],
  ])('escapes %j in fstab as %j', (text, escaped) => {
    expect(fstabField(text)).toBe(escaped);
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
