import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { applyGrant } from '../../src/engine/access/policy.js';
import { ConfigMapPolicyStore } from '../../src/engine/access/store.js';
import { openCodexSession, sessionIssues } from '../../src/engine/advisor/session.js';
import { analyzeSnapshot } from '../../src/engine/cluster/analysis.js';
import { KubeHttp } from '../../src/engine/cluster/kube-http.js';
import { loadKubeConfig } from '../../src/engine/cluster/kubeconfig.js';
import { LiveSource } from '../../src/engine/cluster/live.js';
import { loadSnapshot } from '../../src/engine/cluster/snapshot-file.js';
import type { WatchEvent } from '../../src/engine/cluster/source.js';
import { root } from '../support/cli.js';
import { type KubeApiServer, startKubeApiServer, writeKubeconfig } from '../support/kube-apiserver.js';
import { until as poll } from '../support/poll.js';
import { hasCommand } from '../support/testbed.js';
import { fixture, NOW } from './fixtures.js';

/**
 * Live mode against the loopback Kubernetes API server (the stand-in client-node talks to as to a
 * real one), seeded with broken-shop: the same issues as from the snapshot file, RBAC honoured,
 * watches delivered, the policy shared through a ConfigMap, and plan steps applied with kubectl.
 */
let server: KubeApiServer;
let dir: string;
let kubeconfig: string;
const saved = { ...process.env };

const extraTypes = [
  {
    group: 'networking.k8s.io',
    version: 'v1',
    kind: 'IngressClass',
    plural: 'ingressclasses',
    singular: 'ingressclass',
    namespaced: false,
    builtin: true,
  },
  {
    group: 'storage.k8s.io',
    version: 'v1',
    kind: 'StorageClass',
    plural: 'storageclasses',
    singular: 'storageclass',
    namespaced: false,
    builtin: true,
  },
];

function until(what: string, predicate: () => boolean, timeoutMs = 5000): Promise<true> {
  return poll(() => predicate() || undefined, what, timeoutMs, 20);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kitten-codex-live-'));
  process.env.KITTEN_HOME = dir;
  process.env.KITTEN_USER = 'alice';
  const snapshot = await fixture('broken-shop.yaml');
  server = await startKubeApiServer({ objects: [...snapshot.objects], resources: extraTypes });
  kubeconfig = await writeKubeconfig(server, dir, { context: 'loopback' });
});

afterAll(async () => {
  await server?.close();
  process.env = saved;
  rmSync(dir, { recursive: true, force: true });
});

beforeEach(() => server.clearInjections());

describe('the live source', () => {
  it('finds the same issues as the snapshot file it was seeded from', async () => {
    const source = await LiveSource.open({ kubeconfig });
    const live = analyzeSnapshot(await source.snapshot(), { now: NOW });
    const recorded = analyzeSnapshot(await fixture('broken-shop.yaml'), { now: NOW });
    expect(live.map((i) => `${i.id} ${i.seenBy.join('+')}`).sort()).toEqual(
      recorded.map((i) => `${i.id} ${i.seenBy.join('+')}`).sort(),
    );
    expect(source.description).toBe('context loopback');
  });

  it('lists only the granted namespaces, never cluster-wide', async () => {
    const before = server.requests.length;
    const source = await LiveSource.open({ kubeconfig, namespaces: ['shop'] });
    const pods = await source.list('Pod');
    expect(pods.length).toBeGreaterThan(5);
    expect(pods.every((p) => p.metadata.namespace === 'shop')).toBe(true);
    const paths = server.requests.slice(before).map((r) => r.path);
    expect(paths.some((p) => p.startsWith('/api/v1/pods'))).toBe(false);
    expect(paths.some((p) => p.startsWith('/api/v1/namespaces/shop/pods'))).toBe(true);
  });

  it('treats a kind the cluster forbids as invisible and remembers it', async () => {
    server.inject({ verb: 'list', resource: 'secrets', fail: 'forbidden' });
    const source = await LiveSource.open({ kubeconfig });
    const snapshot = await source.snapshot();
    expect(snapshot.ofKind('Secret')).toEqual([]);
    expect(snapshot.ofKind('Pod').length).toBeGreaterThan(5);
    expect([...source.forbidden]).toEqual(['Secret']);
  });

  it('delivers watch events for new pods', async () => {
    const source = await LiveSource.open({ kubeconfig });
    const events: WatchEvent[] = [];
    const errors: Error[] = [];
    const handle = await source.watch(
      'Pod',
      { namespace: 'shop' },
      (e) => events.push(e),
      (e) => errors.push(e),
    );
    try {
      await new KubeHttp(await loadKubeConfig({ kubeconfig })).post('/api/v1/namespaces/shop/pods', {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'debug-shell', namespace: 'shop' },
        spec: { containers: [{ name: 'sh', image: 'busybox:1.37' }] },
      });
      await until('the ADDED event', () =>
        events.some((e) => e.type === 'ADDED' && e.object.metadata.name === 'debug-shell'),
      );
      expect(events.find((e) => e.object.metadata.name === 'debug-shell')?.object.kind).toBe('Pod');
      expect(errors).toEqual([]);
    } finally {
      handle.stop();
    }
  });

  it('asks the cluster’s RBAC before a write', async () => {
    const source = await LiveSource.open({ kubeconfig });
    expect(await source.canI('patch', 'Deployment', 'shop', 'cart')).toBe(true);
    server.inject({ verb: 'patch', resource: 'deployments', fail: 'forbidden' });
    await expect(source.requireCan('patch', 'Deployment', 'shop', 'cart')).rejects.toMatchObject({
      code: 'CLUSTER_RBAC_DENIED',
      kind: 'refused',
      hint: expect.stringContaining('kubectl auth can-i patch deployments -n shop'),
    });
  });

  it('reads the last log lines of a pod', async () => {
    const pod = (await (await fixture('broken-shop.yaml')).ofKind('Pod', 'shop')).find((p) =>
      p.metadata.name.startsWith('cart-'),
    );
    server.appendLog(
      'shop',
      pod?.metadata.name ?? '',
      'cart',
      'panic: dial tcp 10.96.44.12:6379: connect: connection refused',
    );
    const text = await (await LiveSource.open({ kubeconfig })).logs('shop', pod?.metadata.name ?? '', {
      container: 'cart',
      tail: 5,
    });
    expect(text).toContain('connection refused');
  });

  it('says the cluster is unreachable in one line', async () => {
    const other = await startKubeApiServer();
    const file = await writeKubeconfig(other, dir, { file: 'gone' });
    await other.close();
    await expect((await LiveSource.open({ kubeconfig: file })).list('Pod')).rejects.toMatchObject({
      code: 'CLUSTER_UNREACHABLE',
    });
  });
});

describe('sessions with an access policy', () => {
  it('a user granted only shop sees nothing of payments from the live cluster', async () => {
    const store = new ConfigMapPolicyStore(
      new KubeHttp(await loadKubeConfig({ kubeconfig })),
      'kube-system',
      'kitten-access',
    );
    expect(await store.load()).toBeUndefined();
    const policy = applyGrant(
      undefined,
      { subject: 'bob', namespace: 'shop' },
      { user: 'tester', groups: [] },
    ).policy;
    await store.save(policy);
    expect(server.get('v1', 'ConfigMap', 'kube-system', 'kitten-access')?.data).toHaveProperty('policy.json');

    const session = await openCodexSession({
      kubeconfig,
      store: 'configmap:kube-system/kitten-access',
      as: 'bob',
      now: NOW,
    });
    expect(session.access.actor.user).toBe('tester');
    const issues = sessionIssues(session);
    expect(issues.length).toBeGreaterThan(10);
    expect(issues.every((i) => i.namespace === 'shop')).toBe(true);
    // K8sGPT's Result about shop/cart still reaches bob, though it lives in the operator's namespace.
    expect(issues.some((i) => i.seenBy.includes('k8sgpt'))).toBe(true);
    expect(session.snapshot.objects.some((o) => o.metadata.namespace === 'payments')).toBe(false);
  });

  it('a stale policy save is refused instead of undoing another admin’s change', async () => {
    const http = new KubeHttp(await loadKubeConfig({ kubeconfig }));
    const first = new ConfigMapPolicyStore(http, 'kube-system', 'kitten-shared');
    const second = new ConfigMapPolicyStore(http, 'kube-system', 'kitten-shared');
    const base = applyGrant(
      undefined,
      { subject: 'bob', namespace: 'shop' },
      { user: 'tester', groups: [] },
    ).policy;
    await first.save(base);
    await first.load();
    await second.load();
    await first.save({ ...base, admins: ['tester', 'carol'] });
    await expect(second.save(base)).rejects.toMatchObject({ code: 'ACCESS_POLICY_CONFLICT' });
  });
});

/**
 * kubectl (client-go) never sends a bearer token over plain http, and the loopback server speaks
 * only http: this forwarder adds the token, so the real kubectl binary can act on the stand-in.
 */
async function tokenForwarder(target: KubeApiServer): Promise<{ url: string; close: () => Promise<void> }> {
  const upstream = new URL(target.url);
  const proxy = createServer((req, res) => {
    const forward = httpRequest(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: upstream.host, authorization: `Bearer ${target.token}` },
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on('error', () => res.destroy());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        proxy.closeAllConnections();
        proxy.close(() => resolve());
      }),
  };
}

describe.skipIf(!hasCommand('kubectl'))('codex plan --apply with kubectl', () => {
  let forwarder: { url: string; close: () => Promise<void> };
  let viaForwarder: string;
  beforeAll(async () => {
    forwarder = await tokenForwarder(server);
    viaForwarder = join(dir, 'kubeconfig-kubectl');
    writeFileSync(
      viaForwarder,
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [
          { name: 'loopback', cluster: { server: forwarder.url, 'insecure-skip-tls-verify': true } },
        ],
        users: [{ name: 'tester', user: { token: server.token } }],
        contexts: [{ name: 'loopback', context: { cluster: 'loopback', user: 'tester' } }],
        'current-context': 'loopback',
      }),
    );
  });
  afterAll(async () => forwarder?.close());

  const bin = process.env.KITTEN_CLI_ROOT
    ? relative(join(root, 'bin'), join(process.env.KITTEN_CLI_ROOT, 'bin', 'kitten.js'))
    : 'kitten.js';
  const env = () => ({
    KITTEN_HOME: join(dir, 'cli-home'),
    KITTEN_NOW: NOW.toISOString(),
    KUBECONFIG: viaForwarder,
    KITTEN_LLM_BASE_URL: '',
    KITTEN_LLM_API_KEY: '',
    OPENAI_API_KEY: '',
  });

  /** The API server lives in this process, so the CLI must run without blocking it (no spawnSync). */
  function runCli(
    args: string[],
    options: { env: NodeJS.ProcessEnv; bin: string },
  ): Promise<{ status: number; stdout: string; stderr: string; json: () => unknown }> {
    return new Promise((resolve) => {
      execFile(
        process.execPath,
        [join(root, 'bin', options.bin), ...args],
        {
          cwd: root,
          env: { ...process.env, NO_COLOR: '1', KITTEN_DEBUG: '', ...options.env },
          timeout: 60_000,
        },
        (error, stdout, stderr) => {
          const status = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
          resolve({ status, stdout, stderr, json: () => JSON.parse(stdout) });
        },
      );
    });
  }

  async function cartPodIssue(): Promise<string> {
    const r = await runCli(['codex', 'issues', '-n', 'shop', '--kind', 'pods', '--json'], {
      env: env(),
      bin,
    });
    const report = r.json() as { issues?: { id: string; name: string }[] };
    if (!report.issues) throw new Error(`codex issues failed: ${r.stdout}${r.stderr}`);
    return report.issues.find((i) => i.name.startsWith('cart-'))?.id ?? '';
  }

  it('runs a write step with --yes: kubectl restarts the Deployment on the cluster', async () => {
    const id = await cartPodIssue();
    const r = await runCli(['codex', 'plan', id, '--apply', '4', '--yes', '--json'], { env: env(), bin });
    expect(r.stderr).toBe('');
    const result = r.json() as {
      applied: { command: string[]; outcome: { status: string; exitCode: number } };
    };
    expect(result.applied.command).toEqual([
      'kubectl',
      'rollout',
      'restart',
      'deployment/cart',
      '-n',
      'shop',
    ]);
    expect(result.applied.outcome, JSON.stringify(result.applied.outcome)).toMatchObject({
      status: 'SUCCESS',
      exitCode: 0,
    });
    expect(r.status).toBe(0);
    const cart = server.get('apps/v1', 'Deployment', 'shop', 'cart') as {
      spec: { template: { metadata: { annotations?: Record<string, string> } } };
    };
    expect(cart.spec.template.metadata.annotations?.['kubectl.kubernetes.io/restartedAt']).toBeDefined();
  });

  it('codex issues says which kinds the cluster’s RBAC would not list', async () => {
    server.inject({ verb: 'list', resource: 'secrets', fail: 'forbidden' });
    const r = await runCli(['codex', 'issues', '-n', 'shop', '--json'], { env: env(), bin });
    expect(r.status).toBe(0);
    const report = r.json() as { forbidden: string[]; source: { mode: string; description: string } };
    expect(report.forbidden).toEqual(['Secret in shop']);
    expect(report.source).toEqual({ mode: 'live', description: 'context loopback' });
  });

  it('without --yes and without a terminal, nothing runs: exit 3', async () => {
    const id = await cartPodIssue();
    const r = await runCli(['codex', 'plan', id, '--apply', '4'], { env: env(), bin });
    expect(r.status).toBe(3);
    expect(r.stderr).toContain('NOT_CONFIRMED');
    expect(r.stderr).toContain('pass --yes');
  });

  it('is refused up front when the cluster’s RBAC forbids the write', async () => {
    server.inject({ verb: 'patch', resource: 'deployments', fail: 'forbidden' });
    const id = await cartPodIssue();
    const r = await runCli(['codex', 'plan', id, '--apply', '4', '--yes'], { env: env(), bin });
    expect(r.status).toBe(3);
    expect(r.stderr).toContain("the cluster's RBAC does not let you patch deployments");
  });

  it('records a snapshot of the live cluster that reads back to the same issues, secrets emptied', async () => {
    const r = await runCli(['codex', 'snapshot', '-A'], { env: env(), bin });
    expect(r.status).toBe(0);
    const file = join(dir, 'recorded.yaml');
    writeFileSync(file, r.stdout);
    const recorded = await loadSnapshot(file);
    const secret = recorded.get<{ kind: string; metadata: { name: string }; data?: Record<string, string> }>(
      'Secret',
      'shop',
      'orders-db',
    );
    expect(secret?.data).toEqual({ DB_USER: '' });
    const fromRecording = analyzeSnapshot(recorded, { now: NOW })
      .map((i) => i.id)
      .sort();
    const fromFixture = analyzeSnapshot(await fixture('broken-shop.yaml'), { now: NOW })
      .map((i) => i.id)
      .sort();
    expect(fromRecording).toEqual(fromFixture);
  });

  it('refuses a step that is a manual change', async () => {
    const issues = (
      await runCli(['codex', 'issues', '-n', 'shop', '--kind', 'hpa', '--json'], { env: env(), bin })
    ).json() as { issues: { id: string; name: string }[] };
    const id = issues.issues.find((i) => i.name === 'cart')?.id ?? '';
    const r = await runCli(['codex', 'plan', id, '--apply', '2', '--yes'], { env: env(), bin });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('is a change to make by hand');
    expect(r.stderr).toContain('spec.scaleTargetRef.name: cart');
  });
});
