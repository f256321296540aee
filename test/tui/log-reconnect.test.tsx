import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { render } from 'ink-testing-library';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LiveSource } from '../../src/engine/cluster/live.js';
import { App } from '../../src/tui/app.js';
import { ClusterSession } from '../../src/tui/session/cluster-session.js';
import type { RowView } from '../../src/tui/session/port.js';
import { type KubeApiServer, startKubeApiServer, writeKubeconfig } from '../support/kube-apiserver.js';
import { until as poll } from '../support/poll.js';
import { KEY, type, waitFor } from './support/keys.js';
import { sessionDeps } from './support/session-deps.js';

/**
 * A followed pod log the API server ends while the pod runs on (a request time limit, a restart):
 * the session reopens it from the last line's time, so every line shows once, in order, across
 * the gap; it says "reconnecting" once per outage, ends as before when the pod is deleted, and
 * gives up in one line when reopening keeps failing. Against the loopback API server.
 */
let server: KubeApiServer;
let dir: string;
let session: ClusterSession;
let stop: () => void;
let cleanup: (() => void) | undefined;

const LOG_PATH = (pod: string) => `/api/v1/namespaces/shop/pods/${pod}/log`;

function pod(name: string, containers = ['web']) {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'shop', creationTimestamp: '2026-11-21T10:00:00Z' },
    spec: { containers: containers.map((c) => ({ name: c, image: 'kitten-test/busybox:latest' })) },
    status: { phase: 'Running' },
  };
}

function until(what: string, predicate: () => boolean): Promise<true> {
  return poll(() => predicate() || undefined, what, 5000, 5);
}

function rowOf(name: string): RowView {
  const row = (session.state().resources.Pod ?? []).find((r) => r.name === name);
  if (!row) throw new Error(`no row for pod ${name}`);
  return row;
}

/** Reads the session's logs of a pod in the background, as the logs view does. */
function reader(name: string, container?: string) {
  const controller = new AbortController();
  const got: string[] = [];
  let failure: unknown;
  const done = (async () => {
    try {
      for await (const line of session.logs({
        kind: 'Pod',
        row: rowOf(name),
        follow: true,
        signal: controller.signal,
        ...(container ? { container } : {}),
      }))
        got.push(line);
    } catch (error) {
      failure = error;
    }
  })();
  return { got, done, abort: () => controller.abort(), failure: () => failure };
}

/** Ends the pod's open follow as the server would, once it is open. */
async function serverEnds(name: string): Promise<void> {
  await until(`the follow of ${name} to be open`, () => server.openLogFollows === 1);
  expect(server.endLogFollows('shop', name)).toBe(1);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kitten-log-reconnect-'));
  server = await startKubeApiServer({
    objects: [pod('api-1'), pod('api-2', ['app', 'sidecar']), pod('api-3'), pod('api-4'), pod('api-5')],
  });
  const source = await LiveSource.open({
    kubeconfig: await writeKubeconfig(server, dir, { context: 'loopback' }),
  });
  session = new ClusterSession(
    sessionDeps({
      target: { type: 'context', name: 'loopback' },
      source,
      namespace: 'shop',
      timing: { redrawMs: 5, logRetryMs: 20 },
    }),
  );
  stop = session.start();
  await session.ready();
});

afterEach(() => {
  cleanup?.();
  cleanup = undefined;
  server.clearInjections();
});

afterAll(async () => {
  stop?.();
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a followed log the server ends while the pod runs on', () => {
  it('reopens it: every line once, in order, repeats kept, across two outages', async () => {
    // Lines written in one burst share a timestamp, and the API server resumes from the whole
    // second: the reopened follow repeats them, and only those already shown may be dropped.
    const before = ['GET /health 200', 'GET /health 200', 'GET /cart 200'];
    for (const line of before) server.appendLog('shop', 'api-1', 'web', line);
    const follow = reader('api-1');
    await until('the history', () => follow.got.length === before.length);

    await serverEnds('api-1');
    const during = ['GET /health 200', 'GET /cart 500'];
    for (const line of during) server.appendLog('shop', 'api-1', 'web', line);
    await until('the lines written during the outage', () => follow.got.length === 6);
    await until('the reopened follow', () => server.openLogFollows === 1);
    server.appendLog('shop', 'api-1', 'web', 'GET /health 200');
    await until('a line on the reopened follow', () => follow.got.length === 7);

    await serverEnds('api-1');
    await until('the second reconnect', () => follow.got.length === 8 && server.openLogFollows === 1);
    server.appendLog('shop', 'api-1', 'web', 'GET /checkout 201');
    await until('a line after the second reconnect', () => follow.got.length === 9);

    follow.abort();
    await follow.done;
    expect(follow.failure()).toBeUndefined();
    expect(follow.got).toEqual([
      ...before,
      '── reconnecting ──',
      ...during,
      'GET /health 200',
      '── reconnecting ──',
      'GET /checkout 201',
    ]);
    const requests = server.requests.filter((r) => r.path === LOG_PATH('api-1'));
    expect(requests).toHaveLength(3);
    await until('the follow to be closed', () => server.openLogFollows === 0);
  });

  it('keeps to the chosen container when it reopens', async () => {
    server.appendLog('shop', 'api-2', 'app', 'app: ready');
    server.appendLog('shop', 'api-2', 'sidecar', 'sidecar: ready');
    const follow = reader('api-2', 'sidecar');
    await until('the history', () => follow.got.length === 2);
    await serverEnds('api-2');
    server.appendLog('shop', 'api-2', 'app', 'app: busy');
    server.appendLog('shop', 'api-2', 'sidecar', 'sidecar: shipped');
    await until('the sidecar line', () => follow.got.length === 4);
    follow.abort();
    await follow.done;
    expect(follow.got).toEqual([
      '── container sidecar (2 of 2) ──',
      'sidecar: ready',
      '── reconnecting ──',
      'sidecar: shipped',
    ]);
  });

  it('ends as before when the pod is deleted, without reconnecting', async () => {
    server.appendLog('shop', 'api-3', 'web', 'last words');
    const follow = reader('api-3');
    await until('the line', () => follow.got.length === 1);
    await until('the follow to be open', () => server.openLogFollows === 1);
    const response = await fetch(`${server.url}/api/v1/namespaces/shop/pods/api-3`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${server.token}` },
    });
    expect(response.status).toBe(200);
    await follow.done;
    expect(follow.failure()).toBeUndefined();
    expect(follow.got).toEqual(['last words']);
    expect(server.requests.filter((r) => r.path === LOG_PATH('api-3'))).toHaveLength(1);
  });

  it('gives up in one error after reopening fails again and again', async () => {
    server.appendLog('shop', 'api-4', 'web', 'serving');
    const follow = reader('api-4');
    await until('the line', () => follow.got.length === 1);
    server.inject({
      verb: 'get',
      resource: 'pods',
      name: 'api-4',
      fail: 'internal',
      message: 'etcd is down',
    });
    await serverEnds('api-4');
    await follow.done;
    expect(follow.got).toEqual(['serving', '── reconnecting ──']);
    expect(follow.failure()).toMatchObject({ code: 'LOG_FOLLOW_LOST' });
    expect((follow.failure() as Error).message).toMatch(
      /^lost the log of shop\/api-4: reconnecting failed 5 times in a row, the last with: .*etcd is down/,
    );
    expect(server.openLogFollows).toBe(0);
  });
});

describe('the logs view across a reconnect', () => {
  it('shows the lines without their timestamps, says reconnecting once, and Esc closes the stream', async () => {
    server.appendLog('shop', 'api-5', 'web', 'GET /a 200');
    const app = render(<App session={session} size={{ columns: 120, rows: 30 }} initialTab="Pod" />);
    cleanup = app.unmount;
    const frame = () => app.lastFrame() ?? '';
    const shown = () =>
      frame()
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => /^(GET |── )/.test(l));
    await waitFor(frame, (t) => t.includes('api-5'), 'the pod row');
    await type(app.stdin, '/', 'a', 'p', 'i', '-', '5', KEY.enter, 'l');
    await waitFor(frame, (t) => t.includes('GET /a 200'), 'the first line');
    await serverEnds('api-5');
    server.appendLog('shop', 'api-5', 'web', 'GET /b 200');
    await waitFor(frame, (t) => t.includes('GET /b 200'), 'the line after the reconnect');
    expect(shown()).toEqual(['GET /a 200', '── reconnecting ──', 'GET /b 200']);
    expect(frame()).toContain('3 lines');
    expect(frame()).not.toContain('end of stream');
    await type(app.stdin, KEY.escape);
    await until('the stream to be closed', () => server.openLogFollows === 0);
  });

  it('shows the one line it gave up with', async () => {
    server.inject({
      verb: 'get',
      resource: 'pods',
      name: 'api-5',
      fail: 'internal',
      message: 'etcd is down',
    });
    // The row stays in the table: the cache was filled before the failures began.
    const app = render(<App session={session} size={{ columns: 160, rows: 30 }} initialTab="Pod" />);
    cleanup = app.unmount;
    const frame = () => app.lastFrame() ?? '';
    await waitFor(frame, (t) => t.includes('api-5'), 'the pod row');
    server.clearInjections();
    await type(app.stdin, '/', 'a', 'p', 'i', '-', '5', KEY.enter, 'l');
    await waitFor(frame, (t) => t.includes('GET /b 200'), 'the history');
    server.inject({
      verb: 'get',
      resource: 'pods',
      name: 'api-5',
      fail: 'internal',
      message: 'etcd is down',
    });
    await serverEnds('api-5');
    await waitFor(frame, (t) => t.includes('✖ lost the log of shop/api-5'), 'the give-up line');
    expect(frame().match(/── reconnecting ──/g)).toHaveLength(1);
    expect(server.openLogFollows).toBe(0);
  });
});
