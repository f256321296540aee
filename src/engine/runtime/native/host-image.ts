import { lstat, mkdir, readlink, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { BindMount } from './launch-script.js';

/**
 * The `host` image: an empty skeleton (the overlay's lower layer) with the host's userland bound
 * read-only on top, so `node`, `sh` or `python3` run in a container with nothing downloaded.
 * Only the parts of /etc that programs need to run are bound; the rest of the host's /etc
 * (shadow, ssh keys, machine secrets) stays out.
 */
const USERLAND = ['usr', 'bin', 'sbin', 'lib', 'lib32', 'lib64', 'libx32'];

export const HOST_ETC = [
  'passwd',
  'group',
  'nsswitch.conf',
  'host.conf',
  'gai.conf',
  'ld.so.cache',
  'ld.so.conf',
  'ld.so.conf.d',
  'alternatives',
  'ssl',
  'ca-certificates',
  'ca-certificates.conf',
  'services',
  'protocols',
  'localtime',
  'timezone',
  'mime.types',
  'os-release',
  'debian_version',
  'profile',
  'bash.bashrc',
  'inputrc',
  'login.defs',
  'environment',
  'python3',
  'perl',
];

const SKELETON_DIRS = [
  'etc',
  'tmp',
  'root',
  'home',
  'var/tmp',
  'var/log',
  'run',
  'proc',
  'dev',
  'sys',
  'opt',
  'mnt',
];

export interface HostImage {
  lowerDir: string;
  binds: BindMount[];
  symlinks: Array<[string, string]>;
}

async function kindOf(path: string): Promise<'dir' | 'file' | 'symlink' | null> {
  try {
    const s = await lstat(path);
    if (s.isSymbolicLink()) return 'symlink';
    return s.isDirectory() ? 'dir' : 'file';
  } catch {
    return null;
  }
}

export async function prepareHostImage(skeleton: string, hostRoot = '/'): Promise<HostImage> {
  for (const dir of SKELETON_DIRS) await mkdir(join(skeleton, dir), { recursive: true });
  const binds: BindMount[] = [];
  const symlinks: Array<[string, string]> = [];
  for (const entry of USERLAND) {
    const source = join(hostRoot, entry);
    const kind = await kindOf(source);
    if (kind === 'symlink') {
      // merged-/usr hosts: /bin -> usr/bin is recreated as the same link inside the container.
      symlinks.push([`/${entry}`, await readlink(source)]);
    } else if (kind === 'dir') {
      await mkdir(join(skeleton, entry), { recursive: true });
      binds.push({ source, target: `/${entry}`, readOnly: true, kind: 'dir' });
    }
  }
  for (const entry of HOST_ETC) {
    const source = join(hostRoot, 'etc', entry);
    const kind = await kindOf(source);
    if (kind === 'dir' || kind === 'file') {
      binds.push({ source, target: `/etc/${entry}`, readOnly: true, kind });
    } else if (kind === 'symlink') {
      symlinks.push([`/etc/${entry}`, await readlink(source)]);
    }
  }
  // /etc/localtime is usually a symlink into /usr/share/zoneinfo, which the /usr bind provides.
  await symlink('/proc/self/mounts', join(skeleton, 'etc', 'mtab')).catch(() => undefined);
  return { lowerDir: skeleton, binds, symlinks };
}
