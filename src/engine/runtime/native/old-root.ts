import { execFileSync } from 'node:child_process';
import { closeSync, openSync, readSync, realpathSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * After pivot_root the host's root hangs under the container's root until it is unmounted, and
 * the only `umount` at hand is the host's, which the container's root (busybox, scratch) cannot
 * load: its ELF interpreter and libraries live in the old root. So it is run through the old
 * root's own dynamic loader, with the old root's library directories: `ld.so --library-path …
 * umount -l OLDROOT`. A static `umount` needs neither.
 */

/** PT_INTERP of a 64-bit little-endian ELF file; null for static binaries or other formats. */
export function elfInterpreter(bytes: Buffer): string | null {
  if (bytes.length < 64 || bytes.readUInt32BE(0) !== 0x7f454c46 || bytes[4] !== 2 || bytes[5] !== 1)
    return null;
  const phoff = Number(bytes.readBigUInt64LE(0x20));
  const phentsize = bytes.readUInt16LE(0x36);
  const phnum = bytes.readUInt16LE(0x38);
  for (let i = 0; i < phnum; i++) {
    const at = phoff + i * phentsize;
    if (at + 0x28 > bytes.length) return null;
    if (bytes.readUInt32LE(at) !== 3) continue;
    const offset = Number(bytes.readBigUInt64LE(at + 0x08));
    const size = Number(bytes.readBigUInt64LE(at + 0x20));
    if (offset + size > bytes.length) return null;
    return bytes
      .subarray(offset, offset + size)
      .toString('utf8')
      .replace(/\0+$/, '');
  }
  return null;
}

/** Library directories from `ldd` output (pure). */
export function lddDirectories(output: string): string[] {
  const dirs = new Set<string>();
  for (const match of output.matchAll(/=>\s+(\/\S+)\s+\(/g)) if (match[1]) dirs.add(dirname(match[1]));
  return [...dirs];
}

function readHead(path: string, size = 65536): Buffer {
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.alloc(size);
    const read = readSync(fd, buffer, 0, size, 0);
    return buffer.subarray(0, read);
  } finally {
    closeSync(fd);
  }
}

const memo = new Map<string, string[]>();

/** The argv that unmounts `oldRoot` from inside the new root, with every path under `oldRoot` (worked out once per process). */
export function detachOldRootArgv(umount: string, oldRoot: string): string[] {
  const key = `${umount}\0${oldRoot}`;
  let argv = memo.get(key);
  if (!argv) {
    argv = computeDetachArgv(umount, oldRoot);
    memo.set(key, argv);
  }
  return argv;
}

function computeDetachArgv(umount: string, oldRoot: string): string[] {
  const interp = elfInterpreter(readHead(umount));
  if (!interp) return [`${oldRoot}${umount}`, '-l', oldRoot];
  let dirs: string[] = [];
  try {
    dirs = lddDirectories(execFileSync('ldd', [umount], { encoding: 'utf8' }));
  } catch {
    dirs = ['/lib/x86_64-linux-gnu', '/usr/lib/x86_64-linux-gnu', '/lib64', '/usr/lib64', '/lib', '/usr/lib'];
  }
  // Real paths: an absolute symlink (/lib64/ld-linux… -> /lib/…) would resolve in the new root.
  const real = (p: string) => {
    try {
      return realpathSync(p);
    } catch {
      return p;
    }
  };
  const libraryPath = [...new Set([...dirs, dirname(interp)].map(real))]
    .map((d) => `${oldRoot}${d}`)
    .join(':');
  return [
    `${oldRoot}${real(interp)}`,
    '--library-path',
    libraryPath,
    `${oldRoot}${real(umount)}`,
    '-l',
    oldRoot,
  ];
}
