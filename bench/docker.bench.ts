import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import Dockerode from 'dockerode';
import { stringify } from 'yaml';
import { pingDocker } from '../src/engine/runtime/docker/index.js';
import { loadStack } from '../src/engine/stack/index.js';
import type { Stack } from '../src/engine/stack/model.js';
import { type Figure, printFigure, type Stats, stats } from './harness.js';

/**
 * `kitten up -d` of a 20-container stack to all-running on the local Docker engine, side by side
 * with Debian's docker-compose 1.29 on the same stack converted to a compose file, interleaved in
 * one run. Also the no-change `up` of each (the convergence check a CI job pays every time).
 */
const kitten = process.env.KITTEN_BENCH_BIN ?? join(import.meta.dirname, '../bin/kitten.js');
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const CONTAINERS = 20;
const IMAGE = process.env.KITTEN_BENCH_IMAGE ?? 'kitten-test/busybox:latest';
const SOCKET = '/var/run/docker.sock';

/** Four base services and sixteen that depend on one of them, all on one bridge network. */
export function benchStack(count: number, image: string): string {
  const containers: Record<string, unknown> = {};
  for (let i = 0; i < count; i++) {
    containers[`svc-${String(i).padStart(2, '0')}`] = {
      image,
      command: ['/bin/sh', '-c', "trap 'exit 0' TERM; sleep 3600 & wait"],
      environment: { INDEX: String(i), ROLE: i < 4 ? 'base' : 'worker' },
      network: 'app',
      depends_on: i >= 4 ? [`svc-${String(i % 4).padStart(2, '0')}`] : [],
      restart: 'on-failure:3',
    };
  }
  return stringify({ version: '1.0', containers, networks: { app: { driver: 'bridge' } } });
}

/** The normalized stack as a compose file docker-compose 1.29 reads (format 2.4). */
export function toCompose(stack: Stack): string {
  const services: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(stack.containers)) {
    const restart =
      spec.restart.policy === 'on-failure' && spec.restart.max_retries !== null
        ? `on-failure:${spec.restart.max_retries}`
        : spec.restart.policy;
    services[name] = {
      image: spec.image,
      ...(spec.command ? { command: spec.command } : {}),
      environment: spec.environment,
      networks: spec.networks.map((n) => n.name),
      ...(Object.keys(spec.depends_on).length ? { depends_on: Object.keys(spec.depends_on) } : {}),
      restart,
    };
  }
  const networks = Object.fromEntries(
    Object.values(stack.networks)
      .filter((n) => !n.implicit)
      .map((n) => [n.name, { driver: n.driver }]),
  );
  return stringify({ version: '2.4', services, networks });
}

function runProcess(argv: string[], cwd: string): Promise<void> {
  const [cmd, ...args] = argv;
  return new Promise((resolve, reject) => {
    const child = spawn(cmd as string, args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = `${stderr}${chunk.toString()}`.slice(-2000);
    });
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${argv.join(' ')} exited ${code}: ${stderr.trim()}`)),
    );
  });
}

async function runningCount(docker: Dockerode, label: string): Promise<number> {
  const list = await docker.listContainers({
    filters: JSON.stringify({ label: [label], status: ['running'] }),
  });
  return list.length;
}

/** Wall time from launching `argv` until it has exited and all containers under `label` run. */
async function timeToAllRunning(
  docker: Dockerode,
  argv: string[],
  cwd: string,
  label: string,
): Promise<number> {
  const start = performance.now();
  await runProcess(argv, cwd);
  const deadline = Date.now() + 60_000;
  while ((await runningCount(docker, label)) < CONTAINERS) {
    if (Date.now() > deadline)
      throw new Error(`${argv.join(' ')}: not all ${CONTAINERS} containers running after 60s`);
    await new Promise((r) => setTimeout(r, 20));
  }
  return performance.now() - start;
}

/** Cleanup when a tool's own `down` cannot run: every container and network carrying the label. */
async function removeByLabel(docker: Dockerode, label: string): Promise<void> {
  const filters = JSON.stringify({ label: [label] });
  for (const c of await docker.listContainers({ all: true, filters })) {
    await docker
      .getContainer(c.Id)
      .remove({ force: true })
      .catch(() => {});
  }
  for (const n of await docker.listNetworks({ filters })) {
    await docker
      .getNetwork(n.Id)
      .remove()
      .catch(() => {});
  }
}

/**
 * The engine's floor for the same work: the network, then 20 creates and 20 starts straight
 * through the API, all at once, ignoring depends_on. No tool can bring the stack up faster.
 */
async function engineFloor(docker: Dockerode, project: string): Promise<number> {
  const network = `${project}_app`;
  const start = performance.now();
  await docker.createNetwork({ Name: network, Driver: 'bridge', Labels: { 'dev.kitten.bench': project } });
  const containers = await Promise.all(
    Array.from({ length: CONTAINERS }, (_, i) =>
      docker.createContainer({
        name: `${project}-svc-${i}`,
        Image: IMAGE,
        Cmd: ['/bin/sh', '-c', "trap 'exit 0' TERM; sleep 3600 & wait"],
        Labels: { 'dev.kitten.bench': project },
        HostConfig: { NetworkMode: network },
        NetworkingConfig: { EndpointsConfig: { [network]: { Aliases: [`svc-${i}`] } } },
      }),
    ),
  );
  await Promise.all(containers.map((c) => c.start()));
  const elapsed = performance.now() - start;
  await removeByLabel(docker, `dev.kitten.bench=${project}`);
  return elapsed;
}

async function timed(argv: string[], cwd: string): Promise<number> {
  const start = performance.now();
  await runProcess(argv, cwd);
  return performance.now() - start;
}

function figure(
  name: string,
  subject: Stats,
  baselineName: string,
  baseline: Stats,
  goalRatio?: number,
): Figure {
  const ratio = subject.median / baseline.median;
  return {
    name,
    stats: subject,
    unit: 'ms',
    baseline: { name: baselineName, stats: baseline },
    ...(goalRatio === undefined
      ? {}
      : { goal: `median ≤ ${goalRatio}× docker-compose`, met: ratio <= goalRatio }),
  };
}

async function problem(): Promise<string | null> {
  try {
    await pingDocker({ host: `unix://${SOCKET}`, timeoutMs: 3000 });
  } catch (error) {
    return (error as Error).message;
  }
  if (spawnSync('docker-compose', ['version'], { stdio: 'ignore' }).status !== 0) {
    return 'docker-compose is not installed (scripts/testbed.sh installs it)';
  }
  const docker = new Dockerode({ socketPath: SOCKET });
  try {
    await docker.getImage(IMAGE).inspect();
  } catch {
    return `image ${IMAGE} is not on the engine (scripts/testbed.sh builds it)`;
  }
  return null;
}

export async function run(): Promise<void> {
  const why = await problem();
  if (why) {
    process.stdout.write(`skipped: ${why}\n`);
    return;
  }
  const docker = new Dockerode({ socketPath: SOCKET });
  const dir = mkdtempSync(join(tmpdir(), 'kitten-docker-bench-'));
  const kProject = `ktbench${process.pid}`;
  const cProject = `cmbench${process.pid}`;
  const kitten_ = (...args: string[]) => [
    kitten,
    ...args,
    '-f',
    join(dir, 'kitten.yaml'),
    '-p',
    kProject,
    '--runtime',
    'docker',
  ];
  const compose = (...args: string[]) => [
    'docker-compose',
    '-f',
    join(dir, 'docker-compose.yml'),
    '-p',
    cProject,
    ...args,
  ];
  const kUp = kitten_('up', '-d', '--progress', 'quiet');
  const kDown = kitten_('down', '--progress', 'quiet');
  const cUp = compose('up', '-d');
  const cDown = compose('down', '-t', '2');
  const kLabel = `dev.kitten.project=${kProject}`;
  const cLabel = `com.docker.compose.project=${cProject}`;
  try {
    writeFileSync(join(dir, 'kitten.yaml'), benchStack(CONTAINERS, IMAGE));
    const stack = await loadStack({ file: join(dir, 'kitten.yaml'), project: kProject });
    writeFileSync(join(dir, 'docker-compose.yml'), toCompose(stack));

    const floor: number[] = [];
    const cold: [number[], number[]] = [[], []];
    const warm: [number[], number[]] = [[], []];
    for (let i = 0; i <= RUNS; i++) {
      // Run 0 is the warm-up of each; interleaving puts machine drift on both alike.
      const k = await timeToAllRunning(docker, kUp, dir, kLabel);
      const kAgain = await timed(kUp, dir);
      await runProcess(kDown, dir);
      const c = await timeToAllRunning(docker, cUp, dir, cLabel);
      const cAgain = await timed(cUp, dir);
      // docker-compose 1.29 sometimes races the engine removing its network; finish its clean-up.
      await runProcess(cDown, dir).catch(() => removeByLabel(docker, cLabel));
      const f = await engineFloor(docker, `floor${process.pid}`);
      if (i === 0) continue;
      floor.push(f);
      cold[0].push(k);
      cold[1].push(c);
      warm[0].push(kAgain);
      warm[1].push(cAgain);
    }
    printFigure(
      figure(
        `kitten up -d, ${CONTAINERS} containers to all running`,
        stats(cold[0]),
        'docker-compose 1.29 up -d',
        stats(cold[1]),
        0.8,
      ),
    );
    // The floor against compose says how far below compose any tool could get on this engine.
    printFigure(
      figure(
        `engine floor: ${CONTAINERS} parallel creates + starts via the API`,
        stats(floor),
        'docker-compose 1.29 up -d',
        stats(cold[1]),
      ),
    );
    printFigure(figure('kitten up -d, same run', stats(cold[0]), 'engine floor', stats(floor)));
    printFigure(
      figure(
        'kitten up -d, nothing changed',
        stats(warm[0]),
        'docker-compose 1.29 up -d, nothing changed',
        stats(warm[1]),
      ),
    );
  } finally {
    await runProcess(kDown, dir).catch(() => removeByLabel(docker, kLabel));
    await runProcess(cDown, dir).catch(() => removeByLabel(docker, cLabel));
    await removeByLabel(docker, `dev.kitten.bench=floor${process.pid}`);
    rmSync(dir, { recursive: true, force: true });
  }
}
