import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { largeSnapshotFile } from '../fixtures/clusters/large.js';
import type { Session } from '../src/tui/session/port.js';
import { SessionStore } from '../src/tui/session/store.js';
import { sessionDeps } from '../test/tui/support/session-deps.js';
import { type Figure, printFigure, type Stats, stats } from './harness.js';

/**
 * The full-screen TUI on the generated 10,000-pod snapshot (~14,000 objects), in process:
 *  - time to first full frame: read and parse the snapshot, list every kind, run the analyzers,
 *    build the rows, render the Pods tab with data; beside the first frame of an empty app.
 *    Goal: ≤ 500 ms of Kitten's own time.
 *  - keypress-to-frame while scrolling 10,000 pods (`j`), beside the same key on a
 *    100-row table of the same columns (a full screen either way).
 *    Goal: median ≤ 16 ms.
 * Frames go to an in-memory terminal (160×45) unthrottled, so the figure is Kitten's render
 * cost, not the 30 fps cap a real terminal gets.
 */
const size = { columns: 160, rows: 45 };

function emptySession(rows = 0): Session {
  const store = new SessionStore(
    {
      header: {
        target: { type: 'snapshot', name: 'empty' },
        namespace: null,
        user: 'bench',
        runtime: 'none',
        llm: 'offline',
      },
      issues: [],
      kinds: [
        {
          kind: 'Pod',
          title: 'Pods',
          aliases: ['pods'],
          namespaced: true,
          columns: ['NAMESPACE', 'NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE', 'IP', 'NODE'].map(
            (header) => ({ header }),
          ),
          loggable: false,
        },
      ],
      resources: {
        Pod: Array.from({ length: rows }, (_, i) => ({
          key: `ns/pod-${i}`,
          namespace: 'ns',
          name: `pod-${i}`,
          cells: [
            'team-00',
            `svc-0000-0f298399db-${String(i).padStart(5, '0')}`,
            '1/1',
            'Running',
            '0',
            '30h',
            '10.244.2.3',
            'node-002',
          ],
          tone: 'normal' as const,
        })),
      },
      stack: [],
      stackProblem: null,
      problem: null,
      activity: null,
    },
    0,
  );
  const unused = async (): Promise<never> => {
    throw new Error('not in this bench');
  };
  return {
    state: store.state,
    subscribe: store.subscribe,
    start: () => () => store.close(),
    setNamespace: unused,
    setContext: unused,
    describe: unused,
    // biome-ignore lint/correctness/useYield: this bench never opens logs
    logs: async function* () {
      throw new Error('not in this bench');
    },
    logContainers: () => [],
    plan: unused,
    translate: unused,
    run: unused,
    containerAction: unused,
  };
}

async function waitFrame(frames: () => number, seen: number, predicate: () => boolean): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (frames() <= seen || !predicate()) {
    if (Date.now() > deadline) throw new Error('no frame within 30 s');
    await new Promise((r) => setImmediate(r));
  }
}

async function firstFrame(
  open: () => Promise<{ session: Session; ready: Promise<void>; close: () => Promise<void> }>,
  marker: string,
): Promise<number> {
  const start = performance.now();
  const { session, ready, close } = await open();
  const stop = session.start();
  await ready;
  const app = render(createElement(App, { session, size, initialTab: 'Pod' }));
  await waitFrame(
    () => app.frames.length,
    0,
    () => (app.lastFrame() ?? '').includes(marker),
  );
  const elapsed = performance.now() - start;
  app.unmount();
  stop();
  await close();
  return elapsed;
}

/** `session` must already be started (and loaded). */
async function keypressToFrame(session: Session, presses: number): Promise<Stats> {
  const app = render(createElement(App, { session, size, initialTab: 'Pod' }));
  await waitFrame(
    () => app.frames.length,
    0,
    () => true,
  );
  const samples: number[] = [];
  for (let i = 0; i < presses + 5; i++) {
    const seen = app.frames.length;
    const start = performance.now();
    app.stdin.write(i % 40 < 20 ? 'j' : 'k');
    await waitFrame(
      () => app.frames.length,
      seen,
      () => true,
    );
    if (i >= 5) samples.push(performance.now() - start);
  }
  app.unmount();
  return stats(samples);
}

// Loaded in run(), after NODE_ENV is set: `kitten tui` runs React's production build.
let render: typeof import('ink-testing-library').render;
let createElement: typeof import('react').createElement;
let App: typeof import('../src/tui/app.js').App;
let openEngineSession: typeof import('../src/tui/session/engine-session.js').openEngineSession;
let ClusterSession: typeof import('../src/tui/session/cluster-session.js').ClusterSession;

export async function run(): Promise<void> {
  process.env.NODE_ENV ??= 'production';
  ({ render } = await import('ink-testing-library'));
  ({ createElement } = await import('react'));
  ({ App } = await import('../src/tui/app.js'));
  ({ openEngineSession } = await import('../src/tui/session/engine-session.js'));
  ({ ClusterSession } = await import('../src/tui/session/cluster-session.js'));
  const { SnapshotSource, loadSnapshot } = await import('../src/engine/cluster/snapshot-file.js');
  const { analyzeSnapshot } = await import('../src/engine/cluster/analysis.js');
  const file = largeSnapshotFile(10_000, 'json');
  const home = mkdtempSync(join(tmpdir(), 'kitten-tui-bench-'));
  const env = {
    ...process.env,
    KITTEN_HOME: home,
    KUBECONFIG: join(home, 'none'),
    DOCKER_HOST: 'tcp://127.0.0.1:1',
    KITTEN_LLM_BASE_URL: '',
    KITTEN_LLM_API_KEY: '',
    OPENAI_API_KEY: '',
  };
  process.env.KITTEN_HOME = home;
  // These figures are CPU-bound: say how busy the machine was while they were taken.
  process.stdout.write(
    `load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')} on ${cpus().length} CPUs\n`,
  );
  try {
    const openLarge = async () => {
      const { session, close } = await openEngineSession({ snapshot: file }, env);
      return { session, ready: session.ready(), close };
    };
    const openEmpty = async () => ({
      session: emptySession(),
      ready: Promise.resolve(),
      close: async () => {},
    });
    // Warm both paths once (module loading, JIT), then interleave so drift hits both alike.
    await firstFrame(openLarge, 'svc-');
    await firstFrame(openEmpty, 'Pods');
    const large: number[] = [];
    const empty: number[] = [];
    for (let i = 0; i < 3; i++) {
      large.push(await firstFrame(openLarge, 'svc-'));
      empty.push(await firstFrame(openEmpty, 'Pods'));
    }
    const first: Figure = {
      name: 'tui first full frame, 10,000 pods (in process)',
      unit: 'ms',
      stats: stats(large),
      baseline: { name: 'first frame of an empty app', stats: stats(empty) },
      goal: 'median ≤ 500 ms',
      met: stats(large).median <= 500,
    };
    printFigure(first);

    // The TUI's own share: from a parsed snapshot to the first frame (list, rows, render).
    const parsed = await loadSnapshot(file);
    const openParsed = async () => {
      const session = new ClusterSession(
        sessionDeps({
          target: { type: 'snapshot', name: file },
          source: new SnapshotSource(parsed, file),
          analyze: (snapshot) => analyzeSnapshot(snapshot),
          access: { user: 'bench', canSee: () => true },
          runtime: 'none',
        }),
      );
      // The first frame with pods comes before the analyzers finish: wait for the frame only.
      return { session, ready: Promise.resolve(), close: async () => {} };
    };
    await firstFrame(openParsed, 'svc-');
    const own: number[] = [];
    for (let i = 0; i < 3; i++) own.push(await firstFrame(openParsed, 'svc-'));
    printFigure({
      name: 'tui first frame from a parsed snapshot (TUI share)',
      unit: 'ms',
      stats: stats(own),
      baseline: { name: 'first frame of an empty app', stats: stats(empty) },
      goal: 'median ≤ 500 ms',
      met: stats(own).median <= 500,
    });

    const { session: big, close } = await openEngineSession({ snapshot: file }, env);
    const running = big.start();
    await big.ready();
    const scrollBig = await keypressToFrame(big, 30);
    running();
    await close();
    const scrollSmall = await keypressToFrame(emptySession(100), 30);
    printFigure({
      name: 'tui keypress-to-frame, scrolling 10,000 pods',
      unit: 'ms',
      stats: scrollBig,
      baseline: { name: 'same key on a 100-row table (a full screen)', stats: scrollSmall },
      goal: 'median ≤ 16 ms',
      met: scrollBig.median <= 16,
    });
    await logLatency(home);
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

/**
 * A line written to a pod's log → that line on screen in the logs view (`l`), over the loopback
 * API server: following its held-open log response, beside the polling fallback a source without
 * streaming gets (re-read the last lines every 2 s). The session and view are the same for both.
 */
async function logLatency(home: string): Promise<void> {
  const { startKubeApiServer, writeKubeconfig } = await import('../test/support/kube-apiserver.js');
  const { LiveSource } = await import('../src/engine/cluster/live.js');
  const pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web-1', namespace: 'shop' },
    spec: { containers: [{ name: 'web', image: 'busybox' }] },
    status: { phase: 'Running' },
  };
  const server = await startKubeApiServer({ objects: [pod] });
  try {
    const live = await LiveSource.open({
      kubeconfig: await writeKubeconfig(server, home, { context: 'bench' }),
    });
    const measure = async (stream: boolean, lines: number): Promise<Stats> => {
      const source = {
        description: live.description,
        mode: 'live' as const,
        list: live.list.bind(live),
        snapshot: live.snapshot.bind(live),
        logs: live.logs.bind(live),
        ...(stream ? { followLogs: live.followLogs.bind(live) } : {}),
      };
      const session = new ClusterSession(
        sessionDeps({
          target: { type: 'context', name: 'bench' },
          source,
          access: { user: 'bench', canSee: () => true },
          runtime: 'none',
        }),
      );
      const stop = session.start();
      await session.ready();
      const app = render(createElement(App, { session, size, initialTab: 'Pod' }));
      const frame = () => app.frames[app.frames.length - 1] ?? '';
      await until(() => frame().includes('web-1'));
      app.stdin.write('l');
      await until(() => frame().includes('Logs shop/web-1'));
      const samples: number[] = [];
      for (let i = 0; i < lines; i++) {
        const text = `${stream ? 'stream' : 'poll'} line ${i} ${Date.now()}`;
        const start = performance.now();
        server.appendLog('shop', 'web-1', 'web', text);
        await until(() => frame().includes(text));
        samples.push(performance.now() - start);
        // The next line lands at a random moment of the poll interval, as lines do in life.
        await new Promise((r) => setTimeout(r, Math.random() * (stream ? 300 : 2000)));
      }
      app.unmount();
      stop();
      return stats(samples);
    };
    const streamed = await measure(true, 30);
    const polled = await measure(false, 8);
    printFigure({
      name: 'tui log line to frame, live pod follow',
      unit: 'ms',
      stats: streamed,
      baseline: { name: 'the polling fallback (re-read every 2 s)', stats: polled },
      goal: 'median ≤ 250 ms',
      met: streamed.median <= 250,
    });
  } finally {
    await server.close();
  }
}

async function until(predicate: () => boolean): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('no such frame within 30 s');
    await new Promise((r) => setTimeout(r, 2));
  }
}
