import { describe, expect, it } from 'vitest';
import { cgroupDirs, detectCgroupLayout, limitWrites } from '../../src/engine/runtime/native/cgroups.js';

const v1Mounts = `tmpfs /sys/fs/cgroup tmpfs rw 0 0
cgroup /sys/fs/cgroup/cpu cgroup rw,relatime,cpu 0 0
cgroup /sys/fs/cgroup/memory cgroup rw,relatime,memory 0 0
cgroup /sys/fs/cgroup/pids cgroup rw,relatime,pids 0 0
cgroup2 /sys/fs/cgroup/unified cgroup2 rw,relatime 0 0`;
const v2Mounts = 'cgroup2 /sys/fs/cgroup cgroup2 rw,nosuid,nodev,noexec,relatime 0 0';
const combinedV1 = 'cgroup /sys/fs/cgroup/cpu,cpuacct cgroup rw,cpu,cpuacct 0 0';

describe('cgroups', () => {
  it('finds the v1 hierarchies on a hybrid host, the unified tree on a v2 host, nothing without cgroups', () => {
    expect(detectCgroupLayout(v1Mounts)).toEqual({
      version: 1,
      memory: '/sys/fs/cgroup/memory',
      cpu: '/sys/fs/cgroup/cpu',
      pids: '/sys/fs/cgroup/pids',
    });
    expect(detectCgroupLayout(v2Mounts)).toEqual({ version: 2, root: '/sys/fs/cgroup' });
    expect(detectCgroupLayout(combinedV1)).toMatchObject({
      version: 1,
      cpu: '/sys/fs/cgroup/cpu,cpuacct',
      memory: null,
    });
    expect(detectCgroupLayout('proc /proc proc rw 0 0')).toBeNull();
  });

  it('writes memory and CPU limits in v1 files (swap capped with memory)', () => {
    const layout = detectCgroupLayout(v1Mounts);
    if (!layout) throw new Error('layout');
    expect(limitWrites(layout, { memory: 64 * 1024 * 1024, cpus: 0.5 })).toEqual([
      { file: 'memory:memory.limit_in_bytes', value: '67108864', optional: false },
      { file: 'memory:memory.memsw.limit_in_bytes', value: '67108864', optional: true },
      { file: 'memory:memory.swappiness', value: '0', optional: true },
      { file: 'cpu:cpu.cfs_period_us', value: '100000', optional: false },
      { file: 'cpu:cpu.cfs_quota_us', value: '50000', optional: false },
    ]);
  });

  it('writes memory.max, memory.swap.max and cpu.max in v2', () => {
    expect(limitWrites({ version: 2, root: '/sys/fs/cgroup' }, { memory: 1000, cpus: 2 })).toEqual([
      { file: 'memory.max', value: '1000', optional: false },
      { file: 'memory.swap.max', value: '0', optional: true },
      { file: 'cpu.max', value: '200000 100000', optional: false },
    ]);
    expect(limitWrites({ version: 2, root: '/sys/fs/cgroup' }, { memory: null, cpus: null })).toEqual([]);
  });

  it('gives a container one directory per v1 hierarchy and one in v2', () => {
    const v1 = detectCgroupLayout(v1Mounts);
    if (!v1) throw new Error('layout');
    expect(cgroupDirs(v1, 'kitten/shop/shop-web-1')).toEqual([
      '/sys/fs/cgroup/memory/kitten/shop/shop-web-1',
      '/sys/fs/cgroup/cpu/kitten/shop/shop-web-1',
      '/sys/fs/cgroup/pids/kitten/shop/shop-web-1',
    ]);
    expect(cgroupDirs({ version: 2, root: '/sys/fs/cgroup' }, 'kitten/shop/shop-web-1')).toEqual([
      '/sys/fs/cgroup/kitten/shop/shop-web-1',
    ]);
  });
});
