import { accessSync, constants } from 'node:fs';
import { RuntimeError } from '../../errors.js';
import type { HostTools } from './launch-script.js';

/**
 * The host binaries the native runtime drives, by absolute path: containers get their own PATH,
 * and a missing tool should be one clear error before anything starts, not a failure half-way.
 */
const SEARCH = ['/usr/sbin', '/usr/bin', '/sbin', '/bin', '/usr/local/sbin', '/usr/local/bin'];

const PACKAGE: Record<string, string> = {
  unshare: 'util-linux',
  nsenter: 'util-linux',
  mount: 'mount',
  umount: 'mount',
  pivot_root: 'util-linux',
  ip: 'iproute2',
};

export function findTool(name: string): string | null {
  for (const dir of SEARCH) {
    const path = `${dir}/${name}`;
    try {
      accessSync(path, constants.X_OK);
      return path;
    } catch {
      // keep looking
    }
  }
  return null;
}

export function requireTool(name: string): string {
  const path = findTool(name);
  if (path) return path;
  const pkg = PACKAGE[name] ?? 'coreutils';
  throw new RuntimeError(
    'NATIVE_TOOL_MISSING',
    `the native runtime needs \`${name}\`, which is not installed`,
    {
      hint: `install it (Debian/Ubuntu: apt-get install ${pkg})`,
    },
  );
}

let cached: (HostTools & { ip: string }) | undefined;

export function hostTools(): HostTools & { ip: string } {
  cached ??= {
    sh: requireTool('sh'),
    mount: requireTool('mount'),
    umount: requireTool('umount'),
    pivotRoot: requireTool('pivot_root'),
    mkdir: requireTool('mkdir'),
    unshare: requireTool('unshare'),
    nsenter: requireTool('nsenter'),
    rm: requireTool('rm'),
    ip: requireTool('ip'),
  };
  return cached;
}
