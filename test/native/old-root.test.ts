import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  detachOldRootArgv,
  elfInterpreter,
  lddDirectories,
} from '../../src/engine/runtime/native/old-root.js';
import { hasCommand } from '../support/testbed.js';

describe('unmounting the host root from inside a container', () => {
  it('reads the ELF interpreter of a dynamic binary and none of a static one or a script', () => {
    expect(elfInterpreter(readFileSync('/usr/bin/umount'))).toMatch(/^\/lib.*\/ld-linux.*\.so\.[0-9]$/);
    expect(elfInterpreter(Buffer.from('#!/bin/sh\necho hi\n'))).toBeNull();
    if (hasCommand('busybox')) {
      const busybox = readFileSync('/usr/bin/busybox');
      if (!busybox.includes('ld-linux')) expect(elfInterpreter(busybox)).toBeNull();
    }
  });

  it('collects library directories from ldd output', () => {
    const output = `\tlinux-vdso.so.1 (0x00007ffd)
\tlibmount.so.1 => /lib/x86_64-linux-gnu/libmount.so.1 (0x00007f39)
\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f39)
\tlibfoo.so => /opt/foo/lib/libfoo.so (0x00007f39)
\t/lib64/ld-linux-x86-64.so.2 (0x00007f39)`;
    expect(lddDirectories(output)).toEqual(['/lib/x86_64-linux-gnu', '/opt/foo/lib']);
  });

  it('runs the host umount through the old root own loader, every path under the old root', () => {
    const argv = detachOldRootArgv('/usr/bin/umount', '/old');
    expect(argv.slice(-2)).toEqual(['-l', '/old']);
    expect(argv.every((a) => a === '-l' || a === '--library-path' || a.startsWith('/old'))).toBe(true);
  });
});
