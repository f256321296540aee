import { createSocket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { down, up } from '../../src/engine/orchestrator/lifecycle.js';
import { detectCgroupLayout } from '../../src/engine/runtime/native/cgroups.js';
import { createNativeRuntime, type NativeRuntime } from '../../src/engine/runtime/native/index.js';
import { bridgeName, netnsName, shortHash } from '../../src/engine/runtime/native/paths.js';
import { containerName } from '../../src/engine/runtime/types.js';
import { loadStack } from '../../src/engine/stack/index.js';
import type { Stack } from '../../src/engine/stack/model.js';
import { freePort, uniqueProject } from '../runtime/scenarios.js';
import { componentAvailable, hasCommand, isRoot } from '../support/testbed.js';
import { hostResources } from './host-resources.js';
import { removeTempHomes, tempHome, until } from './stack-builders.js';

afterAll(removeTempHomes);

/**
 * The native runtime's own acceptance: real containers as root, driven through the orchestrator
 * exactly as `kitten up` and `kitten down` drive them.
 */
function problem(): string | null {
  if (!isRoot()) return 'needs root (namespaces, mounts, bridges, cgroups)';
  for (const tool of ['unshare', 'nsenter', 'ip', 'python3', 'node'])
    if (!hasCommand(tool)) return `${tool} is missing`;
  return null;
}

const available = componentAvailable('native runtime', problem());
const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
const quiet = () => {};

async function httpGet(url: string): Promise<string | undefined> {
  const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
  return response.ok ? response.text() : undefined;
}

function _udpEcho(port: number, text: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    const socket = createSocket('udp4');
    const timer = setTimeout(() => {
      socket.close();
      resolve(undefined);
    }, 500);
    socket.on('message', (reply) => {
      clearTimeout(timer);
      socket.close();
      resolve(reply.toString());
    });
    socket.send(text, port, '127.0.0.1');
  });
}

describe.runIf(available)('native runtime acceptance', () => {
  let runtime: NativeRuntime;
  let home: string;
  const projects = new Set<string>();

  beforeAll(() => {
    home = tempHome('kitten-acceptance-');
    runtime = createNativeRuntime({ home });
  });

  afterAll(async () => {
    for (const project of projects) await down(project, runtime, quiet).catch(() => undefined);
  });

  async function load(file: string, ports: Record<string, number> = {}): Promise<Stack> {
    const project = uniqueProject(file.replace(/[^a-z]/g, '').slice(0, 8));
    const stack = await loadStack({ file: fixture(file), project });
    for (const spec of Object.values(stack.containers)) {
      for (const port of spec.ports) {
        const replacement = port.host === null ? undefined : ports[String(port.host)];
        if (replacement) port.host = replacement;
      }
    }
    projects.add(project);
    return stack;
  }

  it('keeps survivors of a SIGKILLed supervisor running and adopts them on the next up, without duplicates', async () => {
    const port = await freePort();
    const stack = await load('survivors.yaml', { '18481': port });
    await up(stack, runtime, { progress: quiet, pollMs: 100, waitTimeoutMs: 20_000 });
    const _web = containerName(stack.project, 'web', 1);
    const worker = containerName(stack.project, 'worker', 1);
    await until('web to answer', () => httpGet(`http://127.0.0.1:${port}/hostname`));
    const before = await runtime.list(stack.project);

    const supervisor = JSON.parse(readFileSync(runtime.paths.supervisorFile(stack.project), 'utf8')) as {
      pid: number;
    };
    process.kill(supervisor.pid, 'SIGKILL');
    await until('the supervisor to be gone', async () => {
      try {
        process.kill(supervisor.pid, 0);
        return false;
      } catch {
        return true;
      }
    });

    // Read from state files alone, the containers are still what they were.
    const orphaned = await runtime.list(stack.project);
    expect(orphaned.map((c) => [c.name, c.state, c.pid])).toEqual(
      before.map((c) => [c.name, 'running', c.pid]),
    );

    const again = await up(stack, runtime, { progress: quiet, pollMs: 100, waitTimeoutMs: 20_000 });
    expect(again.plan?.steps ?? []).toEqual([]);
    const after = await runtime.list(stack.project);
    expect(after.map((c) => [c.name, c.state, c.pid, c.restarts])).toEqual(
      before.map((c) => [c.name, 'running', c.pid, c.restarts]),
    );
    // The new supervisor took over the published port and the log pump.
    expect(await until('web to answer again', () => httpGet(`http://127.0.0.1:${port}/hostname`))).toBe(
      'web\n',
    );
    const logged = await until('worker logs after adoption', async () => {
      const lines: string[] = [];
      for await (const line of runtime.logs(worker, { since: new Date(Date.now() - 1500) }))
        lines.push(line.text);
      return lines.includes('working') ? lines : undefined;
    });
    expect(logged).toContain('working');
  });

  it('restarts an always-policy container that died while no supervisor watched it', async () => {
    const stack = await load('survivors.yaml', { '18481': await freePort() });
    await up(stack, runtime, { progress: quiet, pollMs: 100, waitTimeoutMs: 20_000 });
    const worker = containerName(stack.project, 'worker', 1);
    const supervisor = JSON.parse(readFileSync(runtime.paths.supervisorFile(stack.project), 'utf8')) as {
      pid: number;
    };
    process.kill(supervisor.pid, 'SIGKILL');
    const victim = (await runtime.inspect(worker))?.pid;
    if (!victim) throw new Error('worker has no pid');
    process.kill(victim, 'SIGKILL');
    const dead = await until('ps to see the worker exited', async () => {
      const s = await runtime.inspect(worker);
      return s?.state === 'exited' ? s : undefined;
    });
    expect(dead.exit_code).toBe(137);

    await up(stack, runtime, { progress: quiet, pollMs: 100, waitTimeoutMs: 20_000 });
    const revived = await until('the worker to run again', async () => {
      const s = await runtime.inspect(worker);
      return s?.state === 'running' && s.pid !== victim ? s : undefined;
    });
    expect(revived.pid).not.toBe(victim);
    expect((await runtime.list(stack.project)).filter((c) => c.service === 'worker')).toHaveLength(1);
  });

  it('counts restarts exactly when containers fail the instant they start (on-failure:2 → 3 runs each)', async () => {
    const stack = await load('fast-failures.yaml');
    await up(stack, runtime, { progress: quiet, pollMs: 100, waitTimeoutMs: 20_000, wait: false });
    const names = Object.keys(stack.containers).map((s) => containerName(stack.project, s, 1));
    const finals = await until('every container to give up', async () => {
      const all = await Promise.all(names.map((n) => runtime.inspect(n)));
      return all.every((s) => s?.state === 'exited' && s.restarts === 2) ? all : undefined;
    });
    expect(finals.map((s) => [s?.exit_code, s?.restarts])).toEqual(names.map(() => [3, 2]));
    for (const name of names) {
      const lines: string[] = [];
      for await (const line of runtime.logs(name, {})) lines.push(line.text);
      expect(lines.filter((l) => l === 'started')).toHaveLength(3);
    }
  });

  it('kills a memory hog at its limit and writes the CPU and memory limits to the cgroup', async () => {
    const stack = await load('limits.yaml');
    await up(stack, runtime, { progress: quiet, pollMs: 100, waitTimeoutMs: 20_000, wait: false });
    const hog = await until(
      'the hog to be killed',
      async () => {
        const s = await runtime.inspect(containerName(stack.project, 'hog', 1));
        return s?.state === 'exited' ? s : undefined;
      },
      30_000,
    );
    expect(hog.exit_code).toBe(137);

    const layout = detectCgroupLayout(readFileSync('/proc/self/mounts', 'utf8'));
    const idle = containerName(stack.project, 'idle', 1);
    if (layout?.version === 1 && layout.memory && layout.cpu) {
      const read = (root: string, file: string) =>
        readFileSync(join(root, 'kitten', stack.project, idle, file), 'utf8').trim();
      expect(read(layout.memory, 'memory.limit_in_bytes')).toBe(String(64 * 1024 * 1024));
      expect(read(layout.cpu, 'cpu.cfs_quota_us')).toBe('50000');
      expect(read(layout.cpu, 'cpu.cfs_period_us')).toBe('100000');
    } else if (layout?.version === 2) {
      const read = (file: string) =>
        readFileSync(join(layout.root, 'kitten', stack.project, idle, file), 'utf8').trim();
      expect(read('memory.max')).toBe(String(64 * 1024 * 1024));
      expect(read('cpu.max')).toBe('50000 100000');
    } else {
      throw new Error('no cgroup hierarchy with memory and cpu controllers');
    }
  });

  it('fails a published port that is in use before the container starts, leaving nothing behind', async () => {
    const port = await freePort();
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(port, '0.0.0.0', resolve));
    try {
      const stack = await load('survivors.yaml', { '18481': port });
      await expect(
        up(stack, runtime, { progress: quiet, pollMs: 100, waitTimeoutMs: 10_000 }),
      ).rejects.toMatchObject({
        code: 'PORT_IN_USE',
      });
      const web = containerName(stack.project, 'web', 1);
      expect(await runtime.inspect(web)).toBeNull();
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });

  it('leaves no process, mount, netns, veth, bridge, NAT rule, cgroup or port behind after down', async () => {
    const tcp = await freePort();
    const udp = await freePort();
    const stack = await load('everything.yaml', { '18482': tcp, '18483': udp });
    const names = Object.values(stack.containers).map((c) => containerName(stack.project, c.name, 1));
    const watch = {
      links: [
        bridgeName(stack.project, 'back'),
        ...names.map((n) => `kv${shortHash(`${stack.project}/${n}/back`)}`),
      ],
      netns: names.map((n) => netnsName(stack.project, n)),
    };
    const before = hostResources(home, stack.project, watch);
    expect(before.links).toEqual([]);

    await up(stack, runtime, { progress: quiet, pollMs: 100, waitTimeoutMs: 20_000 });
    expect(
      await until('api over the published port', () => httpGet(`http://127.0.0.1:${tcp}/hostname`)),
    ).toBeTruthy();
    const during = hostResources(home, stack.project, watch);
    expect(during.links).toContain(bridgeName(stack.project, 'back'));
    expect(during.links.length).toBe(4);
    expect(during.netns.length).toBe(4);
    expect(during.cgroups.length).toBeGreaterThan(0);
    expect(during.iptables.length).toBeGreaterThan(0);
    expect(during.processes.length).toBeGreaterThanOrEqual(5);

    const removed = await down(stack.project, runtime, quiet);
    projects.delete(stack.project);
    expect(removed.containers.sort()).toEqual([...names].sort());
    const after = await until('every host resource to be gone', async () => {
      const now = hostResources(home, stack.project, watch);
      return Object.values(now).every((list) => list.length === 0) ? now : undefined;
    });
    expect(after).toEqual(before);
    await expect(fetch(`http://127.0.0.1:${tcp}/`, { signal: AbortSignal.timeout(2000) })).rejects.toThrow();
    expect(await runtime.projects()).not.toContain(stack.project);
  });

  it('answers curl on the published port of the README example (fixtures/stacks/hello.yaml)', async () => {
    const file = fileURLToPath(new URL('../../fixtures/stacks/hello.yaml', import.meta.url));
    const project = uniqueProject('hello');
    projects.add(project);
    const stack = await loadStack({ file, project });
    const port = await freePort();
    const hello = stack.containers.hello;
    if (!hello?.ports[0]) throw new Error('hello.yaml publishes a port');
    hello.ports[0].host = port;
    await up(stack, runtime, { progress: quiet, pollMs: 100, waitTimeoutMs: 30_000 });
    expect((await until('hello to answer', () => httpGet(`http://127.0.0.1:${port}/`)))?.trim()).toBe(
      'hello from kitten',
    );
    const status = await until('hello to turn healthy', async () => {
      const s = await runtime.inspect(containerName(project, 'hello', 1));
      return s?.health === 'healthy' ? s : undefined;
    });
    expect(status.state).toBe('running');
  });
});
