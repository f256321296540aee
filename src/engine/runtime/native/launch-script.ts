/**
 * The shell that turns a container record into a running container, as a pure function of its
 * inputs so it can be read and tested. Every process it starts costs milliseconds, so the work
 * is done with as few as possible: all mounts come from one fstab read by one `mount --all`, and
 * the mount points were made beforehand by the supervisor (root-targets.ts).
 *
 * shim (host side, child of the supervisor): joins the container's cgroups, opens the exit-code
 *   file as fd 3, enters the prepared network namespace and execs `unshare` for fresh PID,
 *   mount, UTS and IPC namespaces. What remains of it (a shell) forks the stage, waits, and
 *   writes the stage's exit status to fd 3 — through a descriptor, because after pivot_root no
 *   host path resolves any more, and with builtins only, because once the PID namespace's init
 *   is gone nothing in it can fork. A signal death reads as 128+N, as Docker reports it.
 * stage (PID 1 in the new namespaces, still host binaries): mounts the overlay root and
 *   everything on it, sets the hostname, pivot_roots into the new root, lazily unmounts the old
 *   one (old-root.ts), enters the working directory and execs the command, so the command itself
 *   becomes PID 1 as under `docker run`.
 */
export interface HostTools {
  sh: string;
  mount: string;
  umount: string;
  pivotRoot: string;
  mkdir: string;
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
  /** Where the fstab files (stageFstabs) are written: every mount, every mount but the overlay, the optional ones. */
  fstabs: { root: string; rest: string; optional: string };
  /** The container's /dev: a directory the supervisor filled (device files, pts, shm, fd links). */
  devDir: string;
  /** Mount points the supervisor could not make in the upper layer (a symlink in the image's path). */
  stageDirs: string[];
  stageFiles: string[];
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

export function inRoot(root: string, path: string): string {
  return `${root}/${path.replace(/^\/+/, '')}`;
}

/** Every bind mount into the root, in mount order. */
export function rootBinds(plan: Pick<LaunchPlan, 'hostBinds' | 'etcFiles' | 'volumes'>): BindMount[] {
  return [
    ...plan.hostBinds,
    { source: plan.etcFiles.hosts, target: '/etc/hosts', readOnly: false, kind: 'file' },
    { source: plan.etcFiles.hostname, target: '/etc/hostname', readOnly: false, kind: 'file' },
    { source: plan.etcFiles.resolvConf, target: '/etc/resolv.conf', readOnly: false, kind: 'file' },
    ...plan.volumes,
  ];
}

/** Overlay options are comma-separated and colon-listed: paths with either cannot be used (checked at create). */
function overlayOptions(plan: LaunchPlan): string {
  return `lowerdir=${plan.lowerDir},upperdir=${plan.upperDir},workdir=${plan.workDir}`;
}

/**
 * Every mount of the container for `mount --all --fstab`, in order: the overlay root, /proc,
 * /dev (the prepared directory, then the host's device nodes on its empty files, a /dev/shm
 * tmpfs), the host userland, /etc files and volumes. Then the optional ones.
 */
export function stageFstabs(plan: LaunchPlan): { root: string; rest: string; optional: string } {
  const R = plan.rootDir;
  const line = (source: string, target: string, type: string, options: string) =>
    `${fstabField(source)} ${fstabField(target)} ${type} ${options} 0 0`;
  const root = [
    line('overlay', R, 'overlay', overlayOptions(plan)),
    line('proc', inRoot(R, 'proc'), 'proc', 'nosuid,nodev,noexec'),
    line(plan.devDir, inRoot(R, 'dev'), 'none', 'bind'),
    ...DEV_NODES.map((node) => line(`/dev/${node}`, inRoot(R, `dev/${node}`), 'none', 'bind')),
    line('shm', inRoot(R, 'dev/shm'), 'tmpfs', 'nosuid,nodev,mode=1777'),
    ...rootBinds(plan).map((m) =>
      line(m.source, inRoot(R, m.target), 'none', m.readOnly ? 'bind,ro' : 'bind'),
    ),
  ];
  // Nice to have, so not fatal: sysfs needs the mounter to own the network namespace (a
  // container on the host network has none of its own), devpts may be restricted.
  const optional = [
    line('devpts', inRoot(R, 'dev/pts'), 'devpts', 'newinstance,ptmxmode=0666,mode=620'),
    line('sysfs', inRoot(R, 'sys'), 'sysfs', 'ro,nosuid,nodev,noexec'),
  ];
  const text = (lines: string[]) => `${lines.join('\n')}\n`;
  return { root: text(root), rest: text(root.slice(1)), optional: text(optional) };
}

export function stageScript(plan: LaunchPlan): string {
  const t = plan.tools;
  const q = shellQuote;
  const R = plan.rootDir;
  const lines: string[] = ['set -e'];
  let fstab = plan.fstabs.root;
  if (plan.stageDirs.length > 0 || plan.stageFiles.length > 0) {
    // Rare: mount points behind a symlink of the image, made inside the mounted root instead,
    // so the overlay is mounted first by hand and the fstab's first line is skipped.
    lines.push(`${t.mount} -t overlay overlay -o ${q(overlayOptions(plan))} ${q(R)}`);
    fstab = plan.fstabs.rest;
    if (plan.stageDirs.length > 0)
      lines.push(`${t.mkdir} -p ${plan.stageDirs.map((d) => q(inRoot(R, d))).join(' ')}`);
    for (const file of plan.stageFiles) {
      const target = q(inRoot(R, file));
      lines.push(`{ [ -e ${target} ] && [ ! -L ${target} ]; } || { ${t.rm} -f ${target}; : > ${target}; }`);
    }
  }
  lines.push(`${t.mount} --all --fstab ${q(fstab)}`);
  lines.push(`${t.mount} --all --fstab ${q(plan.fstabs.optional)} 2>/dev/null || true`);
  // Its own UTS namespace: writing the kernel's hostname needs no process.
  lines.push(`printf '%s' ${q(plan.hostname)} > /proc/sys/kernel/hostname`);
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
  const inner = [
    // The stage must not hand fd 3 (the exit file) down to the container.
    `${t.sh} -c ${q(stageScript(plan))} 3>&-`,
    'code=$?',
    `printf '%s\\n' "$code" >&3`,
    'exit $code',
  ].join('\n');
  const lines: string[] = [];
  for (const procs of plan.cgroupProcs) lines.push(`echo $$ > ${q(procs)}`);
  lines.push(`exec 3> ${q(plan.exitFile)}`);
  const enter = plan.netnsPath ? `${t.nsenter} --net=${q(plan.netnsPath)} ` : '';
  lines.push(
    `exec ${enter}${t.unshare} --pid --mount --uts --ipc --propagation private ${t.sh} -c ${q(inner)}`,
  );
  return lines.join('\n');
}
