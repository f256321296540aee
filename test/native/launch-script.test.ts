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
    fstabs: { root: '/state/c/fstab', rest: '/state/c/fstab.rest', optional: '/state/c/fstab.optional' },
    devDir: '/state/c/dev',
    stageDirs: [],
    stageFiles: [],
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

  it('mounts everything from one fstab, pivots into the root and execs the command last', () => {
    const lines = stageScript(plan()).split('\n');
    expect(lines.slice(0, 3)).toEqual([
      'set -e',
      '/usr/bin/mount --all --fstab /state/c/fstab',
      '/usr/bin/mount --all --fstab /state/c/fstab.optional 2>/dev/null || true',
    ]);
    expect(lines).toContain("printf '%s' web > /proc/sys/kernel/hostname");
    const pivot = lines.findIndex((l) => l.includes('pivot_root'));
    expect(lines[pivot]).toBe('/usr/sbin/pivot_root . dev/.kitten-oldroot');
    expect(lines[pivot + 2]).toBe('/dev/.kitten-oldroot/usr/bin/umount -l /dev/.kitten-oldroot');
    expect(lines.at(-2)).toBe('set +e');
    expect(lines.at(-1)).toBe(`exec sh -c 'echo '\\''quoted'\\'' $HOME'`);
    expect(lines).toContain('cd /srv');
    expect(lines.slice(pivot).some((l) => l.includes('/usr/bin/mount '))).toBe(false);
  });

  it('mounts the overlay first by hand when a mount point sits behind an image symlink, then the rest', () => {
    const lines = stageScript(plan({ stageDirs: ['/var/run/app'], stageFiles: ['/etc/resolv.conf'] })).split(
      '\n',
    );
    expect(lines[1]).toBe(
      '/usr/bin/mount -t overlay overlay -o lowerdir=/images/x/rootfs,upperdir=/state/c/upper,workdir=/state/c/work /state/c/rootfs',
    );
    expect(lines[2]).toBe('/usr/bin/mkdir -p /state/c/rootfs/var/run/app');
    expect(lines[3]).toContain(
      '/usr/bin/rm -f /state/c/rootfs/etc/resolv.conf; : > /state/c/rootfs/etc/resolv.conf',
    );
    expect(lines[4]).toBe('/usr/bin/mount --all --fstab /state/c/fstab.rest');
    const { root, rest } = stageFstabs(plan());
    expect(rest).toBe(root.slice(root.indexOf('\n') + 1));
  });

  it('lists the overlay, /proc, /dev and its nodes, the host userland, /etc files and volumes in mount order', () => {
    const { root, optional } = stageFstabs(plan());
    expect(root.trim().split('\n')).toEqual([
      'overlay /state/c/rootfs overlay lowerdir=/images/x/rootfs,upperdir=/state/c/upper,workdir=/state/c/work 0 0',
      'proc /state/c/rootfs/proc proc nosuid,nodev,noexec 0 0',
      '/state/c/dev /state/c/rootfs/dev none bind 0 0',
      '/dev/null /state/c/rootfs/dev/null none bind 0 0',
      '/dev/zero /state/c/rootfs/dev/zero none bind 0 0',
      '/dev/full /state/c/rootfs/dev/full none bind 0 0',
      '/dev/random /state/c/rootfs/dev/random none bind 0 0',
      '/dev/urandom /state/c/rootfs/dev/urandom none bind 0 0',
      '/dev/tty /state/c/rootfs/dev/tty none bind 0 0',
      'shm /state/c/rootfs/dev/shm tmpfs nosuid,nodev,mode=1777 0 0',
      '/usr /state/c/rootfs/usr none bind,ro 0 0',
      '/state/c/hosts /state/c/rootfs/etc/hosts none bind 0 0',
      '/state/c/hostname /state/c/rootfs/etc/hostname none bind 0 0',
      '/state/c/resolv.conf /state/c/rootfs/etc/resolv.conf none bind 0 0',
      '/data/it\\040is /state/c/rootfs/srv/data none bind,ro 0 0',
    ]);
    expect(optional).toContain('devpts /state/c/rootfs/dev/pts devpts');
    expect(optional).toContain('sysfs /state/c/rootfs/sys sysfs ro');
  });

  it.each([
    ['plain', 'plain'],
    ['a b', 'a\\040b'],
    ['tab\there', 'tab\\011here'],
    ['back\\slash', 'back\\134slash'],
  ])('escapes %j in fstab as %j', (text, escaped) => {
    expect(fstabField(text)).toBe(escaped);
  });

  it('joins the cgroups, opens the exit file as fd 3, enters the network namespace, and records the code with builtins', () => {
    const shim = shimScript(plan());
    const [first, second, third] = shim.split('\n');
    expect(first).toBe('echo $$ > /sys/fs/cgroup/memory/kitten/p/c/cgroup.procs');
    expect(second).toBe('exec 3> /state/c/exit');
    expect(third).toMatch(
      /^exec \/usr\/bin\/nsenter --net=\/run\/netns\/kitten-abc \/usr\/bin\/unshare --pid --mount --uts --ipc --propagation private \/bin\/sh -c /,
    );
    expect(shim).toContain('3>&-');
    expect(shim).toContain('"$code" >&3');
    const afterWait = shim.slice(shim.indexOf('code=$?'));
    expect(afterWait).not.toMatch(/\/usr\/bin\/|\/bin\/(?!sh)/);
  });

  it('shares the host network when there is no namespace to enter', () => {
    expect(shimScript(plan({ netnsPath: null, cgroupProcs: [] }))).toMatch(
      /^exec 3> \/state\/c\/exit\nexec \/usr\/bin\/unshare --pid/,
    );
  });
});
