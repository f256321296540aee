import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClusterSession } from '../../src/tui/session/cluster-session.js';
import { openEngineSession } from '../../src/tui/session/engine-session.js';
import { BUILTIN_RESOURCES } from '../support/kube-apiserver/resources.js';
import {
  type KubeApiServer,
  readSnapshot,
  startKubeApiServer,
  writeKubeconfig,
} from '../support/kube-apiserver.js';
import { until as poll } from '../support/poll.js';

/**
 * The TUI against a live API server (the loopback stand-in that speaks client-node's REST paths
 * and watch streams), seeded with broken-shop: tables follow watches, logs come from the server.
 */
let server: KubeApiServer;
let dir: string;
let session: ClusterSession;
let stop: () => Promise<void>;
const saved = { ...process.env };

function until(what: string, predicate: () => boolean, timeoutMs = 5000): Promise<true> {
  return poll(() => predicate() || undefined, what, timeoutMs, 20);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kitten-tui-live-'));
  process.env.KITTEN_HOME = dir;
  // The stand-in serves the kinds client-node needs, not StorageClass/IngressClass: leave those out.
  const served = new Set(BUILTIN_RESOURCES.map((r) => r.kind));
  const objects = readSnapshot('fixtures/clusters/broken-shop.yaml').filter((o) =>
    served.has((o as { kind: string }).kind),
  );
  server = await startKubeApiServer({ objects });
  // The cluster's own RBAC refuses secrets: the TUI says so instead of failing.
  server.inject({ verb: 'list', resource: 'secrets', fail: 'forbidden' });
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

afterAll(async () => {
  await stop?.();
  await server?.close();
  process.env = saved;
  rmSync(dir, { recursive: true, force: true });
});

describe('live cluster', () => {
  it('lists every kind from the API server and names the context in the header', () => {
    const state = session.state();
    expect(state.header.target).toEqual({ type: 'context', name: 'loopback' });
    const pods = readSnapshot('fixtures/clusters/broken-shop.yaml').filter(
      (o) => (o as { kind?: string }).kind === 'Pod',
    );
    expect(state.resources.Pod?.length).toBe(pods.length);
    expect(state.issues.length).toBeGreaterThan(0);
    expect(state.problem).toBe("forbidden by the cluster's RBAC: Secret");
    expect(state.kinds.map((k) => k.kind)).not.toContain('Secret');
  });

  it('adds a pod created on the server through the watch, without a reload', async () => {
    const template = readSnapshot('fixtures/clusters/broken-shop.yaml').find(
      (o) => (o as { kind?: string }).kind === 'Pod',
    ) as {
      metadata: Record<string, unknown>;
    };
    const before = session.state().resources.Pod?.length ?? 0;
    server.seed([
      {
        ...template,
        metadata: {
          ...template.metadata,
          name: 'watch-added-pod',
          uid: undefined,
          resourceVersion: undefined,
        },
      },
    ]);
    await until('the watched pod', () =>
      (session.state().resources.Pod ?? []).some((r) => r.name === 'watch-added-pod'),
    );
    expect(session.state().resources.Pod?.length).toBe(before + 1);
  });

  it('reads a pod’s logs from the server', async () => {
    const row = (session.state().resources.Pod ?? [])[0]!;
    const pod = server.get('v1', 'Pod', row.namespace, row.name) as {
      spec: { containers: { name: string }[] };
    };
    server.appendLog(row.namespace!, row.name, pod.spec.containers[0]!.name, 'listening on :8080');
    const lines: string[] = [];
    for await (const line of session.logs({
      kind: 'Pod',
      row,
      follow: false,
      signal: new AbortController().signal,
    }))
      lines.push(line);
    expect(lines.join('\n')).toContain('listening on :8080');
  });
});
