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
  hostname: string;
  mkdir: string;
  unshare: string;
  nsenter: string;
  ln: string;
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
  /** Unmounts the host's root (at OLD_ROOT) from inside the new root; see old-root.ts. */
  detachOldRoot: string[];
  /** Host directories bound read-only into the root (`host` images): [source, target]. */
  hostBinds: BindMount[];
  /** Symlinks to create in the root (merged-/usr hosts: /bin -> usr/bin): [path, target]. */
  symlinks: Array<[string, string]>;
  etcFiles: { hosts: string; hostname: string; resolvConf: string };
  volumes: BindMount[];
  hostname: string;
  cwd: string;
  argv: string[];
}

export const OLD_ROOT = '/dev/.kitten-oldroot';

export function shellQuote(word: string): string {
  if (word !== '' && /^[A-Za-z0-9_@%+=:,./-]+$/.test(word)) return word;
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

function inRoot(root: string, path: string): string {
  return `${root}/${path.replace(/^\/+/, '')}`;
}

export function stageScript(plan: LaunchPlan): string {
  const t = plan.tools;
  const q = shellQuote;
  const R = plan.rootDir;
  const lines: string[] = ['set -e'];
  lines.push(
    `${t.mount} -t overlay overlay -o ${q(`lowerdir=${plan.lowerDir},upperdir=${plan.upperDir},workdir=${plan.workDir}`)} ${q(R)}`,
  );
  for (const [path, target] of plan.symlinks) {
    lines.push(
      `[ -e ${q(inRoot(R, path))} ] || [ -L ${q(inRoot(R, path))} ] || ${t.ln} -s ${q(target)} ${q(inRoot(R, path))}`,
    );
  }
  const bind = (m: BindMount) => {
    const target = inRoot(R, m.target);
    if (m.kind === 'dir') lines.push(`${t.mkdir} -p ${q(target)}`);
    else lines.push(`[ -e ${q(target)} ] || : > ${q(target)}`);
    lines.push(`${t.mount} -o ${m.readOnly ? 'bind,ro' : 'bind'} ${q(m.source)} ${q(target)}`);
  };
  plan.hostBinds.forEach(bind);
  lines.push(`${t.mkdir} -p ${['proc', 'dev', 'sys', 'tmp', 'etc'].map((d) => q(inRoot(R, d))).join(' ')}`);
  lines.push(`${t.mount} -t proc -o nosuid,nodev,noexec proc ${q(inRoot(R, 'proc'))}`);
  lines.push(`${t.mount} -t tmpfs -o nosuid,mode=755 tmpfs ${q(inRoot(R, 'dev'))}`);
  for (const node of ['null', 'zero', 'full', 'random', 'urandom', 'tty']) {
    lines.push(`: > ${q(inRoot(R, `dev/${node}`))}`);
    lines.push(`${t.mount} --bind /dev/${node} ${q(inRoot(R, `dev/${node}`))}`);
  }
  lines.push(`${t.mkdir} -p ${q(inRoot(R, 'dev/pts'))} ${q(inRoot(R, 'dev/shm'))}`);
  lines.push(
    `${t.mount} -t devpts -o newinstance,ptmxmode=0666,mode=620 devpts ${q(inRoot(R, 'dev/pts'))} 2>/dev/null && ${t.ln} -s pts/ptmx ${q(inRoot(R, 'dev/ptmx'))} || true`,
  );
  lines.push(`${t.mount} -t tmpfs -o nosuid,nodev,mode=1777 shm ${q(inRoot(R, 'dev/shm'))}`);
  for (const [name, target] of [
    ['fd', '/proc/self/fd'],
    ['stdin', '/proc/self/fd/0'],
    ['stdout', '/proc/self/fd/1'],
    ['stderr', '/proc/self/fd/2'],
  ] as const) {
    lines.push(`${t.ln} -s ${target} ${q(inRoot(R, `dev/${name}`))}`);
  }
  // sysfs needs the mounter to own the network namespace; a container on the host network skips it.
  lines.push(
    `${t.mount} -t sysfs -o ro,nosuid,nodev,noexec sysfs ${q(inRoot(R, 'sys'))} 2>/dev/null || true`,
  );
  bind({ source: plan.etcFiles.hosts, target: '/etc/hosts', readOnly: false, kind: 'file' });
  bind({ source: plan.etcFiles.hostname, target: '/etc/hostname', readOnly: false, kind: 'file' });
  bind({ source: plan.etcFiles.resolvConf, target: '/etc/resolv.conf', readOnly: false, kind: 'file' });
  plan.volumes.forEach(bind);
  lines.push(`${t.hostname} ${q(plan.hostname)}`);
  lines.push(`${t.mkdir} -p ${q(inRoot(R, plan.cwd))}`);
  // The old root goes under the private /dev tmpfs, so not even an empty directory of it persists.
  lines.push(`${t.mkdir} -p ${q(inRoot(R, OLD_ROOT))}`);
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
