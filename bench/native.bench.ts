import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { down, up } from '../src/engine/orchestrator/lifecycle.js';
import { createDockerRuntime, pingDocker } from '../src/engine/runtime/docker/index.js';
import type { NativeRuntime } from '../src/engine/runtime/native/index.js';
import type { Runtime } from '../src/engine/runtime/types.js';
import type { ContainerSpec, Stack } from '../src/engine/stack/model.js';
import { loadTestbed } from '../test/support/testbed.js';
import { type Figure, printFigure, type Stats, stats } from './harness.js';

/**
 * The native runtime's start-up cost, beside Docker doing the same work in the same run:
 *   - `up` to all-running for 1, 10 and 50 containers (the same orchestrator over each runtime);
 *   - one container's whole life (create, start, run `true`, exit, remove) against `docker run --rm`;
 *   - host memory the native runtime spends per running container (supervisor + shims).
 * Goal from the issue: native per-container start latency ≤ 0.3× `docker run`.
 */
const quiet = () => {};

function spec(name: string, image: string, command: string[]): ContainerSpec {
  return {
    name,
    image,
    command,
    hostname: name,
    workdir: '/',
    environment: {},
    ports: [],
    networks: [{ name: 'default', ip: null }],
    depends_on: {},
    restart: { policy: 'no', max_retries: null },
    healthcheck: null,
    resources: { cpus: null, memory: null },
    volumes: [],
    labels: {},
    replicas: 1,
  };
}

function stackOf(count: number, image: string): Stack {
  const project = `kb-${randomBytes(3).toString('hex')}`;
  const containers: Record<string, ContainerSpec> = {};
  for (let i = 1; i <= count; i++) containers[`c${i}`] = spec(`c${i}`, image, ['sleep', '300']);
  return {
    project,
    file: join(tmpdir(), 'bench.yaml'),
    format: 'kitten',
    version: '1.0',
    containers,
    networks: { default: { name: 'default', driver: 'bridge', subnet: null, gateway: null, implicit: true } },
  };
}

async function timeUp(runtime: Runtime, count: number, image: string): Promise<number> {
  const stack = stackOf(count, image);
  const start = performance.now();
  await up(stack, runtime, { progress: quiet, pollMs: 20, waitTimeoutMs: 120_000 });
  for (;;) {
    const all = await runtime.list(stack.project);
    if (all.length === count && all.every((c) => c.state === 'running')) break;
    await new Promise((r) => setTimeout(r, 10));
  }
  const elapsed = performance.now() - start;
  await down(stack.project, runtime, quiet);
  return elapsed;
}

/** Like `docker run --rm IMAGE true` on an engine whose default bridge already exists. */
async function nativeRunOnce(runtime: NativeRuntime, project: string, image: string): Promise<number> {
  const name = `${project}-once-${randomBytes(3).toString('hex')}`;
  const start = performance.now();
  await runtime.createContainer({
    project,
    spec: spec('once', image, ['true']),
    replica: 1,
    name,
    configHash: 'x',
    baseDir: '/',
  });
  await runtime.start(name);
  for (;;) {
    const s = await runtime.inspect(name);
    if (s?.state === 'exited') break;
    await new Promise((r) => setTimeout(r, 2));
  }
  await runtime.remove(name);
  return performance.now() - start;
}

function dockerRunOnce(image: string): number {
  const start = performance.now();
  execFileSync('docker', ['run', '--rm', image, 'true'], { stdio: 'ignore' });
  return performance.now() - start;
}

/** RSS in MB of the project's supervisor and its shims: the host-side cost of the native runtime. */
function nativeHostMemoryMb(home: string, project: string): number {
  let kb = 0;
  for (const pid of readdirSync('/proc').filter((p) => /^[0-9]+$/.test(p))) {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
      if (!cmdline.includes(`${home} ${project}`) && !cmdline.includes(`${home}/native/projects/${project}/`))
        continue;
      const rss = readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+([0-9]+) kB/);
      kb += Number(rss?.[1] ?? 0);
    } catch {
      // gone
    }
  }
  return kb / 1024;
}

async function alternate(
  runs: number,
  subject: () => Promise<number>,
  baseline: (() => Promise<number>) | null,
): Promise<[Stats, Stats | null]> {
  await subject();
  if (baseline) await baseline();
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < runs; i++) {
    a.push(await subject());
    if (baseline) b.push(await baseline());
  }
  return [stats(a), baseline ? stats(b) : null];
}

export async function run(): Promise<void> {
  if (process.getuid?.() !== 0) {
    process.stdout.write('native: skipped (the native runtime needs root)\n');
    return;
  }
  const testbed = loadTestbed();
  const home = mkdtempSync(join(tmpdir(), 'kitten-bench-'));
  // The built runtime, as `kitten` ships it: its supervisor then starts as plain node, not through a TypeScript loader.
  const built = new URL('../dist/engine/runtime/native/index.js', import.meta.url);
  const { createNativeRuntime } = (
    existsSync(built) ? await import(built.href) : await import('../src/engine/runtime/native/index.js')
  ) as typeof import('../src/engine/runtime/native/index.js');
  if (!existsSync(built))
    process.stdout.write('native: dist/ not built, measuring from sources (supervisor start-up is slower)\n');
  const native = createNativeRuntime({ home });
  let docker: Runtime | null = null;
  const dockerImage = testbed.docker?.image ?? null;
  try {
    await pingDocker({ timeoutMs: 1500, ...(testbed.docker?.host ? { host: testbed.docker.host } : {}) });
    if (dockerImage) docker = createDockerRuntime(testbed.docker?.host ? { host: testbed.docker.host } : {});
  } catch {
    docker = null;
  }
  // The same busybox for both runtimes when the test bed has one; the host userland otherwise.
  let image = 'host';
  if (testbed.registry?.image) {
    await native.images.pull(testbed.registry.image, quiet);
    image = testbed.registry.image;
  }
  try {
    for (const [count, runs] of [
      [1, 5],
      [10, 3],
      [50, 2],
    ] as const) {
      const [subject, baseline] = await alternate(
        runs,
        () => timeUp(native, count, image),
        docker && dockerImage ? () => timeUp(docker as Runtime, count, dockerImage) : null,
      );
      const figure: Figure = {
        name: `native up → all running, ${count} container(s)`,
        stats: subject,
        unit: 'ms',
      };
      if (baseline) figure.baseline = { name: 'docker runtime, same stack', stats: baseline };
      printFigure(figure);
    }

    const onceProject = `kr-${randomBytes(3).toString('hex')}`;
    await native.ensureNetwork(onceProject, {
      name: 'default',
      driver: 'bridge',
      subnet: null,
      gateway: null,
      implicit: true,
    });
    const [once, dockerOnce] = await alternate(
      10,
      () => nativeRunOnce(native, onceProject, image),
      docker && dockerImage ? async () => dockerRunOnce(dockerImage) : null,
    );
    const latency: Figure = {
      name: 'one container: create, start, run `true`, remove',
      stats: once,
      unit: 'ms',
    };
    if (dockerOnce) {
      latency.baseline = { name: 'docker run --rm', stats: dockerOnce };
      latency.goal = 'median ≤ 0.3× docker run';
      latency.met = once.median <= 0.3 * dockerOnce.median;
    }
    printFigure(latency);
    await native.removeNetwork(onceProject, 'default');

    const stack = stackOf(50, image);
    await up(stack, native, { progress: quiet, pollMs: 20, waitTimeoutMs: 120_000 });
    const perContainer = nativeHostMemoryMb(home, stack.project) / 50;
    await down(stack.project, native, quiet);
    printFigure({
      name: 'host memory per running container (supervisor + shim RSS / 50)',
      stats: stats([perContainer]),
      unit: 'MB',
    });
  } finally {
    await native.close();
    await docker?.close();
    rmSync(home, { recursive: true, force: true });
  }
}
