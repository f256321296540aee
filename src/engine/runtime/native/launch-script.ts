/**
 * The shell that turns a container record into a running container, as a pure function of its
 * inputs so it can be read and tested. Two stages:
 *
 * shim (host side, child of the supervisor): joins the container's cgroups, enters its prepared
 *   network namespace, execs `unshare` for fresh PID/UTS/IPC namespaces, forks the stage (in a
 *   fresh mount namespace) and writes its exit code to a file when the container ends, so the
 *   code survives even when the supervisor does not.
 * stage (PID 1 inside the new namespaces, still host binaries): mounts the overlay root, binds
 *   the host userland for `host` images, /proc, a private /dev, /etc/hosts|hostname|resolv.conf
 *   and volumes, sets the hostname, pivot_roots into the new root, lazily unmounts the old one
 *   (old-root.ts), enters the working directory and execs the command, so the command itself
 *   becomes PID 1 as under `docker run`.
 */
export interface HostTools {
  sh: string;
  mount: string;
  umount: string;
  pivotRoot: string;
  mkdir: string;
  cp: string;
  rm: string;
  unshare: string;
  nsenter: string;
}

export interface BindMount {
  source: string;
  target: string;
  readOnly: boolean;
  /** A file is bound onto a file, a directory onto a directory. */
  kind: 'file' | 'dir';
}

export interface LaunchPlan {
  tools: HostTools;
  /** Files whose content becomes the shim's pid: cgroup.procs of each hierarchy. */
  cgroupProcs: string[];
  /** Path of a named network namespace to join; null shares the host network. */
  netnsPath: string | null;
  exitFile: string;
  rootDir: string;
  lowerDir: string;
  upperDir: string;
  workDir: string;
  /** Where the fstab files (stageFstabs) are written: the root's mounts, /dev's, and the optional ones. */
  fstabs: { root: string; dev: string; optional: string };
  /** A directory holding /dev's skeleton (empty device files, pts, shm, fd links), copied into /dev. */
  devTemplate: string;
  /** Unmounts the host's root (at OLD_ROOT) from inside the new root; see old-root.ts. */
  detachOldRoot: string[];
  /** Host directories and files bound read-only into the root (`host` images). */
  hostBinds: BindMount[];
  etcFiles: { hosts: string; hostname: string; resolvConf: string };
  volumes: BindMount[];
  hostname: string;
  cwd: string;
  argv: string[];
}

export const OLD_ROOT = '/dev/.kitten-oldroot';
export const DEV_NODES = ['null', 'zero', 'full', 'random', 'urandom', 'tty'] as const;

export function shellQuote(word: string): string {
  if (word !== '' && /^[A-Za-z0-9_@%+=:,./-]+$/.test(word)) return word;
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

/** fstab fields escape whitespace and backslashes as octal. */
export function fstabField(text: string): string {
  return text.replace(/[\\ \t\n]/g, (c) => `\\${c.charCodeAt(0).toString(8).padStart(3, '0')}`);
}

function inRoot(root: string, path: string): string {
  return `${root}/${path.replace(/^\/+/, '')}`;
}

function binds(plan: LaunchPlan): BindMount[] {
  return [
    ...plan.hostBinds,
    { source: plan.etcFiles.hosts, target: '/etc/hosts', readOnly: false, kind: 'file' },
    { source: plan.etcFiles.hostname, target: '/etc/hostname', readOnly: false, kind: 'file' },
    { source: plan.etcFiles.resolvConf, target: '/etc/resolv.conf', readOnly: false, kind: 'file' },
    ...plan.volumes,
  ];
}

/**
 * Every mount of the container, as two fstab files for `mount --all --fstab` (one process for
 * dozens of mounts, in order): the root's (/proc, /dev's tmpfs, binds, volumes), then /dev's
 * (device nodes bound from the host, /dev/shm) once the skeleton has been copied into /dev.
 */
export function stageFstabs(plan: LaunchPlan): { root: string; dev: string; optional: string } {
  const R = plan.rootDir;
  const line = (source: string, target: string, type: string, options: string) =>
    `${fstabField(source)} ${fstabField(target)} ${type} ${options} 0 0`;
  const root = [
    line('proc', inRoot(R, 'proc'), 'proc', 'nosuid,nodev,noexec'),
    line('tmpfs', inRoot(R, 'dev'), 'tmpfs', 'nosuid,mode=755'),
    ...binds(plan).map((m) => line(m.source, inRoot(R, m.target), 'none', m.readOnly ? 'bind,ro' : 'bind')),
  ];
  const dev = [
    ...DEV_NODES.map((node) => line(`/dev/${node}`, inRoot(R, `dev/${node}`), 'none', 'bind')),
    line('shm', inRoot(R, 'dev/shm'), 'tmpfs', 'nosuid,nodev,mode=1777'),
  ];
  const optional = [
    line('devpts', inRoot(R, 'dev/pts'), 'devpts', 'newinstance,ptmxmode=0666,mode=620'),
    line('sysfs', inRoot(R, 'sys'), 'sysfs', 'ro,nosuid,nodev,noexec'),
  ];
  return { root: `${root.join('\n')}\n`, dev: `${dev.join('\n')}\n`, optional: `${optional.join('\n')}\n` };
}

export function stageScript(plan: LaunchPlan): string {
  const t = plan.tools;
  const q = shellQuote;
  const R = plan.rootDir;
  const lines: string[] = ['set -e'];
  lines.push(
    `${t.mount} -t overlay overlay -o ${q(`lowerdir=${plan.lowerDir},upperdir=${plan.upperDir},workdir=${plan.workDir}`)} ${q(R)}`,
  );
  const all = binds(plan);
  const dirs = [
    'proc',
    'dev',
    'sys',
    'tmp',
    'etc',
    plan.cwd,
    ...all.filter((m) => m.kind === 'dir').map((m) => m.target),
  ];
  lines.push(`${t.mkdir} -p ${[...new Set(dirs)].map((d) => q(inRoot(R, d))).join(' ')}`);
  for (const m of all.filter((b) => b.kind === 'file')) {
    const target = q(inRoot(R, m.target));
    // A dangling symlink (an image's /etc/resolv.conf -> ../run/...) is replaced by a file to bind onto.
    lines.push(`{ [ -e ${target} ] && [ ! -L ${target} ]; } || { ${t.rm} -f ${target}; : > ${target}; }`);
  }
  lines.push(`${t.mount} --all --fstab ${q(plan.fstabs.root)}`);
  lines.push(`${t.cp} -a ${q(`${plan.devTemplate}/.`)} ${q(inRoot(R, 'dev'))}`);
  lines.push(`${t.mount} --all --fstab ${q(plan.fstabs.dev)}`);
  // Nice to have, so failures are not fatal: sysfs needs the mounter to own the network
  // namespace (a container on the host network has none of its own), devpts may be restricted.
  lines.push(`${t.mount} --all --fstab ${q(plan.fstabs.optional)} 2>/dev/null || true`);
  // Its own UTS namespace: writing the kernel's hostname needs no process.
  lines.push(`printf '%s' ${q(plan.hostname)} > /proc/sys/kernel/hostname`);
  // The old root goes under the private /dev tmpfs (the template holds its directory), so not
  // even an empty directory of it persists.
  lines.push(`cd ${q(R)}`);
  lines.push(`${t.pivotRoot} . ${q(OLD_ROOT.slice(1))}`);
  lines.push('cd /');
  lines.push(plan.detachOldRoot.map(q).join(' '));
  lines.push(`cd ${q(plan.cwd)}`);
  lines.push('set +e');
  lines.push(`exec ${plan.argv.map(q).join(' ')}`);
  return lines.join('\n');
}

export function shimScript(plan: LaunchPlan): string {
  const t = plan.tools;
  const q = shellQuote;
  // After the execs below, the shim's own pid runs `inner`: in the new PID, UTS and IPC
  // namespaces but still in the host's mount namespace (so it can write the exit file), and not
  // itself in the new PID namespace (unshare --pid without --fork moves only children). The
  // stage it forks gets its own mount namespace and is PID 1; the shim waits on it and sees a
  // signal death as 128+N, as Docker reports it.
  const inner = [
    `${t.unshare} --mount --propagation private ${t.sh} -c ${q(stageScript(plan))}`,
    'code=$?',
    // Builtins only from here: once the namespace's init is gone, this shell can no longer fork.
    `printf '%s\\n' "$code" > ${q(plan.exitFile)}`,
    'exit $code',
  ].join('\n');
  const lines: string[] = [];
  for (const procs of plan.cgroupProcs) lines.push(`echo $$ > ${q(procs)}`);
  const enter = plan.netnsPath ? `${t.nsenter} --net=${q(plan.netnsPath)} ` : '';
  lines.push(`exec ${enter}${t.unshare} --pid --uts --ipc ${t.sh} -c ${q(inner)}`);
  return lines.join('\n');
}
