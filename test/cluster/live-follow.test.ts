import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LiveSource } from '../../src/engine/cluster/live.js';
import { type KubeApiServer, startKubeApiServer, writeKubeconfig } from '../support/kube-apiserver.js';
import { until as poll } from '../support/poll.js';

/**
 * Following a pod's log over the API server's held-open response (`follow=true`), against the
 * loopback stand-in: history as tailLines asks, then each line as it is appended, repeats kept,
 * and the request closed when the reader aborts or the pod is deleted.
 */
let server: KubeApiServer;
let dir: string;
let source: LiveSource;

function pod(name: string) {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'shop' },
    spec: { containers: [{ name: 'web', image: 'kitten-test/busybox:latest' }] },
  };
}

function until(what: string, predicate: () => boolean): Promise<true> {
  return poll(() => predicate() || undefined, what, 5000, 5);
}

/** Reads a follow in the background, noting when each line arrived. */
function reader(lines: AsyncIterable<string>) {
  const got: { text: string; at: number }[] = [];
  const done = (async () => {
    for await (const text of lines) got.push({ text, at: performance.now() });
  })();
  return { got, texts: () => got.map((l) => l.text), done };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kitten-follow-'));
  server = await startKubeApiServer({ objects: [pod('web-1'), pod('web-2'), pod('web-3'), pod('web-4')] });
  source = await LiveSource.open({ kubeconfig: await writeKubeconfig(server, dir, { context: 'loopback' }) });
});

afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('following a pod’s log', () => {
  it('starts from the last tailLines lines, then delivers each new line once, repeats included', async () => {
    for (const line of ['booting', 'GET /health 200', 'GET /health 200'])
      server.appendLog('shop', 'web-1', 'web', line);
    const controller = new AbortController();
    const follow = reader(source.followLogs('shop', 'web-1', { tail: 2, signal: controller.signal }));
    await until('the tail', () => follow.got.length === 2);
    await until('the follow to be held open', () => server.openLogFollows === 1);
    const latencies: number[] = [];
    for (const line of ['GET /health 200', 'GET /health 200', 'GET /cart 500']) {
      const before = follow.got.length;
      const sent = performance.now();
      server.appendLog('shop', 'web-1', 'web', line);
      await until(`"${line}"`, () => follow.got.length === before + 1);
      latencies.push(follow.got[before]!.at - sent);
    }
    expect(follow.texts()).toEqual([
      'GET /health 200',
      'GET /health 200',
      'GET /health 200',
      'GET /health 200',
      'GET /cart 500',
    ]);
    console.info(`follow latency per line (ms): ${latencies.map((l) => l.toFixed(1)).join(', ')}`);
    controller.abort();
    await follow.done;
  });

  it('closes the request when the reader aborts, and the iteration ends without an error', async () => {
    const controller = new AbortController();
    const follow = reader(source.followLogs('shop', 'web-2', { tail: 10, signal: controller.signal }));
    await until('the follow to be held open', () => server.openLogFollows === 1);
    server.appendLog('shop', 'web-2', 'web', 'ready');
    await until('the first line', () => follow.got.length === 1);
    controller.abort();
    await follow.done;
    await until('the server to see the follow closed', () => server.openLogFollows === 0);
    server.appendLog('shop', 'web-2', 'web', 'after the reader left');
    expect(follow.texts()).toEqual(['ready']);
  });

  it('ends when the pod is deleted', async () => {
    const follow = reader(
      source.followLogs('shop', 'web-3', { tail: 10, signal: new AbortController().signal }),
    );
    await until('the follow to be held open', () => server.openLogFollows === 1);
    server.appendLog('shop', 'web-3', 'web', 'last words');
    await until('the line', () => follow.got.length === 1);
    const response = await fetch(`${server.url}/api/v1/namespaces/shop/pods/web-3`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${server.token}` },
    });
    expect(response.status).toBe(200);
    await follow.done;
    expect(follow.texts()).toEqual(['last words']);
    expect(server.openLogFollows).toBe(0);
  });

  it('says so in one error when the pod does not exist', async () => {
    const follow = reader(source.followLogs('shop', 'nope', { signal: new AbortController().signal }));
    await expect(follow.done).rejects.toMatchObject({ code: 'CLUSTER_NOT_FOUND' });
  });

  it('stamps each line with timestamps, and ends quietly when the server ends the follow of a pod that stays', async () => {
    server.appendLog('shop', 'web-4', 'web', 'first');
    const follow = reader(
      source.followLogs('shop', 'web-4', {
        tail: 10,
        timestamps: true,
        signal: new AbortController().signal,
      }),
    );
    await until('the follow to be held open', () => server.openLogFollows === 1);
    server.appendLog('shop', 'web-4', 'web', 'second');
    await until('both lines', () => follow.got.length === 2);
    expect(server.endLogFollows('shop', 'web-4')).toBe(1);
    await follow.done;
    const stamped = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z) (.*)$/;
    expect(follow.texts().map((l) => stamped.exec(l)?.[2])).toEqual(['first', 'second']);
    expect((await source.get('Pod', 'shop', 'web-4'))?.metadata.name).toBe('web-4');
    expect(await source.get('Pod', 'shop', 'nope')).toBeNull();

    // Resuming from the second line's time: the lines from then on (the first too, if it was
    // written in the same millisecond), nothing earlier.
    const since = stamped.exec(follow.texts()[1]!)![1]!;
    const fromThen = follow.texts().filter((l) => Date.parse(stamped.exec(l)![1]!) >= Date.parse(since));
    server.appendLog('shop', 'web-4', 'web', 'third');
    const controller = new AbortController();
    const resumed = reader(
      source.followLogs('shop', 'web-4', { sinceTime: since, timestamps: true, signal: controller.signal }),
    );
    await until('the lines since', () => resumed.got.length === fromThen.length + 1);
    controller.abort();
    await resumed.done;
    expect(resumed.texts().slice(0, -1)).toEqual(fromThen);
    expect(stamped.exec(resumed.texts().at(-1)!)?.[2]).toBe('third');
  });
});
