import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { render } from 'ink-testing-library';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { App } from '../../src/tui/app.js';
import type { ClusterSession } from '../../src/tui/session/cluster-session.js';
import { openEngineSession } from '../../src/tui/session/engine-session.js';
import { type KubeApiServer, startKubeApiServer, writeKubeconfig } from '../support/kube-apiserver.js';
import { until as poll } from '../support/poll.js';
import { KEY, type, waitFor } from './support/keys.js';

/**
 * `l` on a pod in the TUI against a live API server (the loopback stand-in): the view follows the
 * server's held-open log response, shows each line once in order as it is written, and Esc closes
 * the request.
 */
let server: KubeApiServer;
let dir: string;
let session: ClusterSession;
let stop: () => Promise<void>;
let cleanup: (() => void) | undefined;
const saved = { ...process.env };

const pod = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web-1', namespace: 'shop', creationTimestamp: '2026-11-21T10:00:00Z' },
  spec: { containers: [{ name: 'web', image: 'kitten-test/busybox:latest' }] },
  status: { phase: 'Running' },
};

/** A pod with a sidecar: the API server wants a container name for its log. */
const worker = {
  ...pod,
  metadata: { ...pod.metadata, name: 'worker-1' },
  spec: {
    containers: [
      { name: 'app', image: 'kitten-test/busybox:latest' },
      { name: 'proxy', image: 'kitten-test/busybox:latest' },
    ],
  },
};

/** A pod with a log shipper beside the app, for switching containers with `c`. */
const shipper = {
  ...pod,
  metadata: { ...pod.metadata, name: 'worker-2' },
  spec: {
    containers: [
      { name: 'app', image: 'kitten-test/busybox:latest' },
      { name: 'sidecar', image: 'kitten-test/busybox:latest' },
    ],
  },
};

function until(what: string, predicate: () => boolean): Promise<true> {
  return poll(() => predicate() || undefined, what, 5000, 10);
}

/** The log lines on screen: the pane sits between the view's title and its key hints. */
function logLines(frame: string): string[] {
  return frame
    .split('\n')
    .filter((l) => /GET \/|booting/.test(l))
    .map((l) => l.trim());
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kitten-tui-logs-'));
  process.env.KITTEN_HOME = dir;
  server = await startKubeApiServer({
    objects: [pod, worker, shipper, { ...pod, metadata: { ...pod.metadata, name: 'web-9' } }],
  });
  const kubeconfig = await writeKubeconfig(server, dir, { context: 'loopback' });
  const opened = await openEngineSession(
    { kubeconfig },
    { ...process.env, DOCKER_HOST: 'tcp://127.0.0.1:1' },
  );
  session = opened.session;
  const end = session.start();
  stop = async () => {
    end();
    await opened.close();
  };
  await session.ready();
});

afterEach(() => {
  cleanup?.();
  cleanup = undefined;
});

afterAll(async () => {
  await stop?.();
  await server?.close();
  process.env = saved;
  rmSync(dir, { recursive: true, force: true });
});

describe('live pod logs', () => {
  it('follows the server’s stream: each line once, in order, as it is written; Esc closes it', async () => {
    server.appendLog('shop', 'web-1', 'web', 'booting');
    const app = render(<App session={session} size={{ columns: 120, rows: 30 }} initialTab="Pod" />);
    cleanup = app.unmount;
    const frame = () => app.lastFrame() ?? '';
    await waitFor(frame, (t) => t.includes('web-1'), 'the pod row');
    await type(app.stdin, 'l');
    await waitFor(frame, (t) => t.includes('booting'), 'the log history');
    await until('the follow to be held open', () => server.openLogFollows === 1);

    const written = ['GET /health 200', 'GET /health 200', 'GET /cart 500', 'GET /health 200'];
    for (const [i, line] of written.entries()) {
      server.appendLog('shop', 'web-1', 'web', line);
      await waitFor(frame, (t) => logLines(t).length === i + 2, `line ${i + 1}`);
    }
    expect(logLines(frame())).toEqual(['booting', ...written]);
    expect(frame()).toContain('5 lines');

    await type(app.stdin, KEY.escape);
    await until('the stream to be closed', () => server.openLogFollows === 0);
    await waitFor(frame, (t) => !t.includes('Logs shop/web-1') && t.includes('web-1'), 'the pod table');
  });

  it('follows the first container of a pod that has several, and says which', async () => {
    const row = (session.state().resources.Pod ?? []).find((r) => r.name === 'worker-1');
    expect(row).toBeDefined();
    const controller = new AbortController();
    const got: string[] = [];
    const done = (async () => {
      for await (const line of session.logs({
        kind: 'Pod',
        row: row!,
        follow: true,
        signal: controller.signal,
      }))
        got.push(line);
    })();
    await until('the follow to be held open', () => server.openLogFollows === 1);
    server.appendLog('shop', 'worker-1', 'proxy', 'GET /proxied 200');
    server.appendLog('shop', 'worker-1', 'app', 'job 1 done');
    await until('the app line', () => got.length === 2);
    controller.abort();
    await done;
    expect(got).toEqual(['── container app (1 of 2) ──', 'job 1 done']);
    await until('the stream to be closed', () => server.openLogFollows === 0);
  });

  it('switches to the next container on c: the old stream is closed, the new one starts from its tail', async () => {
    server.appendLog('shop', 'worker-2', 'app', 'app: started');
    server.appendLog('shop', 'worker-2', 'sidecar', 'sidecar: shipped 1');
    server.appendLog('shop', 'worker-2', 'sidecar', 'sidecar: shipped 2');
    const app = render(<App session={session} size={{ columns: 120, rows: 30 }} initialTab="Pod" />);
    cleanup = app.unmount;
    const frame = () => app.lastFrame() ?? '';
    const shown = () =>
      frame()
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => /^(── container|app:|sidecar:)/.test(l));
    await waitFor(frame, (t) => t.includes('worker-2'), 'the pod row');
    await type(app.stdin, '/', 'w', 'o', 'r', 'k', 'e', 'r', '-', '2', KEY.enter, 'l');
    await waitFor(frame, (t) => t.includes('app: started'), 'the app container');
    expect(frame()).toContain('c next container');
    await until('the follow to be held open', () => server.openLogFollows === 1);
    server.appendLog('shop', 'worker-2', 'app', 'app: request 1');
    await waitFor(frame, (t) => t.includes('app: request 1'), 'a new app line');
    expect(shown()).toEqual(['── container app (1 of 2) ──', 'app: started', 'app: request 1']);

    await type(app.stdin, 'c');
    await waitFor(frame, (t) => t.includes('sidecar: shipped 2'), 'the sidecar container');
    expect(shown()).toEqual(['── container sidecar (2 of 2) ──', 'sidecar: shipped 1', 'sidecar: shipped 2']);
    await until('one follow, of the sidecar', () => server.openLogFollows === 1);
    server.appendLog('shop', 'worker-2', 'app', 'app: request 2');
    server.appendLog('shop', 'worker-2', 'sidecar', 'sidecar: shipped 3');
    await waitFor(frame, (t) => t.includes('sidecar: shipped 3'), 'a new sidecar line');
    expect(shown()).toEqual([
      '── container sidecar (2 of 2) ──',
      'sidecar: shipped 1',
      'sidecar: shipped 2',
      'sidecar: shipped 3',
    ]);

    // Round again to the first container, which has logged meanwhile.
    await type(app.stdin, 'c');
    await waitFor(frame, (t) => t.includes('app: request 2'), 'the app container again');
    expect(shown()).toEqual([
      '── container app (1 of 2) ──',
      'app: started',
      'app: request 1',
      'app: request 2',
    ]);
    await until('one follow, of the app', () => server.openLogFollows === 1);

    await type(app.stdin, KEY.escape);
    await until('the stream to be closed', () => server.openLogFollows === 0);
  });

  it('says the stream ended when the pod is deleted while its logs are open', async () => {
    const app = render(<App session={session} size={{ columns: 120, rows: 30 }} initialTab="Pod" />);
    cleanup = app.unmount;
    const frame = () => app.lastFrame() ?? '';
    await waitFor(frame, (t) => t.includes('web-9'), 'the pod row');
    await type(app.stdin, '/', 'w', 'e', 'b', '-', '9', KEY.enter, 'l');
    await waitFor(frame, (t) => t.includes('Logs shop/web-9'), 'the logs view');
    await until('the follow to be held open', () => server.openLogFollows === 1);
    server.appendLog('shop', 'web-9', 'web', 'GET /batch 200');
    await waitFor(frame, (t) => t.includes('GET /batch 200'), 'the line');
    const response = await fetch(`${server.url}/api/v1/namespaces/shop/pods/web-9`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${server.token}` },
    });
    expect(response.status).toBe(200);
    await waitFor(frame, (t) => t.includes('1 lines · end of stream'), 'the end of the stream');
    expect(server.openLogFollows).toBe(0);
  });

  it('stops following on f, and reads the last lines once instead', async () => {
    const app = render(<App session={session} size={{ columns: 120, rows: 30 }} initialTab="Pod" />);
    cleanup = app.unmount;
    const frame = () => app.lastFrame() ?? '';
    await waitFor(frame, (t) => t.includes('web-1'), 'the pod row');
    await type(app.stdin, 'l');
    await until('the follow to be held open', () => server.openLogFollows === 1);
    await type(app.stdin, 'f');
    await waitFor(frame, (t) => t.includes('no follow') && t.includes('end of stream'), 'a finished read');
    expect(server.openLogFollows).toBe(0);
    expect(logLines(frame())).toEqual([
      'booting',
      'GET /health 200',
      'GET /health 200',
      'GET /cart 500',
      'GET /health 200',
    ]);
  });

  it('offers no container switch for a pod with one container, and c leaves its stream alone', async () => {
    const app = render(<App session={session} size={{ columns: 120, rows: 30 }} initialTab="Pod" />);
    cleanup = app.unmount;
    const frame = () => app.lastFrame() ?? '';
    await waitFor(frame, (t) => t.includes('web-1'), 'the pod row');
    await type(app.stdin, 'l');
    await waitFor(frame, (t) => t.includes('booting'), 'the log history');
    await until('the follow to be held open', () => server.openLogFollows === 1);
    const before = logLines(frame());
    expect(frame()).not.toContain('c next container');
    expect(frame()).not.toContain('── container');
    await type(app.stdin, 'c');
    server.appendLog('shop', 'web-1', 'web', 'GET /after-c 200');
    await waitFor(frame, (t) => t.includes('GET /after-c 200'), 'the next line on the same stream');
    expect(logLines(frame())).toEqual([...before, 'GET /after-c 200']);
    expect(server.openLogFollows).toBe(1);
    await type(app.stdin, KEY.escape);
    await until('the stream to be closed', () => server.openLogFollows === 0);
  });
});
