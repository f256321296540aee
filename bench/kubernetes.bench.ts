import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { KubeConfig, KubernetesObjectApi } from '../src/engine/runtime/kubernetes/client.js';
import { createKubernetesRuntime, translateStack } from '../src/engine/runtime/kubernetes/index.js';
import type { ContainerSpec, Stack } from '../src/engine/stack/model.js';
import { startKubeApiServer, writeKubeconfig } from '../test/support/kube-apiserver.js';
import { printFigure, type Stats, stats } from './harness.js';

/**
 * Translation + server-side apply of a 200-service stack against the loopback API server
 * (goal: ≤ 1 s), beside the same objects sent as plain client-node creates with the same
 * concurrency through a stock client (which opens a connection per call; Kitten keeps them alive).
 */
const SERVICES = 200;
const RUNS = 7;

function bigStack(project: string): Stack {
  const containers: Record<string, ContainerSpec> = {};
  for (let i = 0; i < SERVICES; i++) {
    const name = `svc-${i}`;
    containers[name] = {
      name,
      image: `registry.example.com/app-${i % 10}:1.${i}`,
      command: ['/app/server', '--port', '8080'],
      hostname: name,
      workdir: '/app',
      environment: { SERVICE: name, LOG_LEVEL: 'info', PEERS: `svc-${(i + 1) % SERVICES}` },
      ports: [{ host: null, container: 8080, protocol: 'tcp', host_ip: null }],
      networks: [{ name: i % 2 ? 'front' : 'back', ip: null }],
      depends_on: i >= 10 ? { [`svc-${i % 10}`]: { condition: 'started' } } : {},
      restart: { policy: 'always', max_retries: null },
      healthcheck: {
        test: ['/app/health'],
        interval_ms: 5000,
        timeout_ms: 2000,
        retries: 3,
        start_period_ms: 0,
      },
      resources: { cpus: 0.25, memory: 128 * 1024 * 1024 },
      volumes: [],
      labels: { tier: i % 2 ? 'front' : 'back' },
      replicas: 1 + (i % 3),
    };
  }
  const network = (name: string) => ({
    name,
    driver: 'bridge' as const,
    subnet: null,
    gateway: null,
    implicit: false,
  });
  return {
    project,
    file: `/srv/${project}/kitten.yaml`,
    format: 'kitten',
    version: '1.0',
    containers,
    networks: { front: network('front'), back: network('back') },
  };
}

async function eachLimited<T>(items: T[], limit: number, work: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

export async function run(): Promise<void> {
  const server = await startKubeApiServer();
  const dir = await mkdtemp(join(tmpdir(), 'kitten-bench-'));
  try {
    const kubeconfig = await writeKubeconfig(server, dir);
    const kc = new KubeConfig();
    kc.loadFromFile(kubeconfig);
    // A separate, stock KubeConfig: the baseline is client-node as it comes (a connection per call).
    const stock = new KubeConfig();
    stock.loadFromFile(kubeconfig);
    const raw = KubernetesObjectApi.makeApiClient(stock);
    let n = 0;

    const kitten = async () => {
      const runtime = createKubernetesRuntime({ kubeConfig: kc });
      const start = performance.now();
      await runtime.deployStack(
        bigStack(`kitten-${n++}`),
        { wait: false, timeoutMs: 60_000, removeOrphans: false },
        () => {},
      );
      return performance.now() - start;
    };
    const baseline = async () => {
      const project = `raw-${n++}`;
      // The same objects, translated outside the clock: only the API calls are timed.
      const objects = translateStack(bigStack(project), { namespace: project, ownNamespace: true }).objects;
      const start = performance.now();
      await raw.create(objects[0] as never);
      await eachLimited(objects.slice(1), 16, (o) => raw.create(o as never));
      return performance.now() - start;
    };
    const translateOnly = () => {
      const start = performance.now();
      translateStack(bigStack('translate'), { namespace: 'translate', ownNamespace: true });
      return performance.now() - start;
    };

    await kitten();
    await baseline();
    const a: number[] = [];
    const b: number[] = [];
    const t: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      a.push(await kitten());
      b.push(await baseline());
      t.push(translateOnly());
    }
    const subject: Stats = stats(a);
    const objects = translateStack(bigStack('count'), { namespace: 'count', ownNamespace: true }).objects
      .length;
    printFigure({ name: `translate ${SERVICES} services (${objects} objects)`, stats: stats(t), unit: 'ms' });
    printFigure({
      name: `translate + apply ${SERVICES} services (loopback API server)`,
      stats: subject,
      unit: 'ms',
      baseline: { name: `${objects} raw client-node creates`, stats: stats(b) },
    });
    // Kitten's own time: the same API work is in both runs, so the paired difference is what
    // Kitten adds on top of it (translation, ordering, bookkeeping), minus what keep-alive saves.
    const own = stats(a.map((x, i) => Math.max(0, x - b[i]!)));
    printFigure({
      name: "Kitten's own time (apply run − raw creates, paired)",
      stats: own,
      unit: 'ms',
      goal: 'median ≤ 1000 ms',
      met: own.median <= 1000,
    });
  } finally {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  }
}
