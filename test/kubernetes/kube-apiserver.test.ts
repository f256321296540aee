import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  AppsV1Api,
  AuthorizationV1Api,
  CoreV1Api,
  KubeConfig,
  KubernetesObjectApi,
  Log,
  PatchStrategy,
  Watch,
} from '../../src/engine/runtime/kubernetes/client.js';
import { type KubeApiServer, startKubeApiServer, writeKubeconfig } from '../support/kube-apiserver.js';
import { until as poll } from '../support/poll.js';

let server: KubeApiServer;
let dir: string;
let kc: KubeConfig;

function configFor(path: string): KubeConfig {
  const config = new KubeConfig();
  config.loadFromFile(path);
  return config;
}

function deployment(name: string, labels: Record<string, string> = { app: name }) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'default', labels },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: 'main', image: 'nginx:1.27' }] },
      },
    },
  };
}

function until<T>(probe: () => Promise<T | undefined> | T | undefined, what: string, ms = 5000): Promise<T> {
  return poll(probe, what, ms);
}

beforeAll(async () => {
  server = await startKubeApiServer({ controller: true, deletionDelayMs: 50 });
  dir = await mkdtemp(join(tmpdir(), 'kitten-kube-'));
  kc = configFor(await writeKubeconfig(server, dir));
});

afterAll(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

afterEach(() => server.clearInjections());

describe('loopback API server through @kubernetes/client-node', () => {
  it('serves discovery so the generic object client resolves kinds to resources', async () => {
    const api = KubernetesObjectApi.makeApiClient(kc);
    const deployments = await api.list('apps/v1', 'Deployment', 'default');
    expect(deployments.kind).toBe('DeploymentList');
    const namespaces = await api.list('v1', 'Namespace');
    expect(namespaces.items.map((n) => n.metadata?.name)).toContain('kube-system');
    const results = await api.list('core.k8sgpt.ai/v1alpha1', 'Result', 'default');
    expect(results.items).toEqual([]);
    const paths = server.requests.map((r) => r.path);
    expect(paths).toEqual(
      expect.arrayContaining(['/apis/apps/v1', '/api/v1', '/apis/core.k8sgpt.ai/v1alpha1']),
    );
  });

  it('rejects a wrong token with 401 Unauthorized', async () => {
    const bad = configFor(await writeKubeconfig(server, dir, { token: 'wrong', file: 'bad-kubeconfig' }));
    const core = bad.makeApiClient(CoreV1Api);
    await expect(core.listNamespace()).rejects.toMatchObject({ code: 401 });
  });

  it('creates, reads and refuses a duplicate with AlreadyExists', async () => {
    const core = kc.makeApiClient(CoreV1Api);
    await core.createNamespacedConfigMap({
      namespace: 'default',
      body: { metadata: { name: 'one' }, data: { a: '1' } },
    });
    const read = await core.readNamespacedConfigMap({ namespace: 'default', name: 'one' });
    expect(read.data).toEqual({ a: '1' });
    expect(read.metadata?.uid).toBeTruthy();
    const duplicate = core.createNamespacedConfigMap({
      namespace: 'default',
      body: { metadata: { name: 'one' } },
    });
    await expect(duplicate).rejects.toMatchObject({ code: 409 });
    const error = await duplicate.catch((e: { body: string }) => JSON.parse(e.body));
    expect(error).toMatchObject({
      kind: 'Status',
      reason: 'AlreadyExists',
      message: 'configmaps "one" already exists',
    });
  });

  it('refuses objects in a namespace that does not exist', async () => {
    const core = kc.makeApiClient(CoreV1Api);
    const create = core.createNamespacedConfigMap({
      namespace: 'nowhere',
      body: { metadata: { name: 'x' } },
    });
    await expect(create).rejects.toMatchObject({ code: 404 });
  });

  it('filters lists by equality and set-based label selectors and by field selectors', async () => {
    const core = kc.makeApiClient(CoreV1Api);
    for (const [name, tier] of [
      ['sel-a', 'web'],
      ['sel-b', 'db'],
      ['sel-c', 'cache'],
    ] as const) {
      await core.createNamespacedConfigMap({
        namespace: 'default',
        body: { metadata: { name, labels: { tier, group: 'sel' } } },
      });
    }
    const names = async (labelSelector?: string, fieldSelector?: string) =>
      (await core.listNamespacedConfigMap({ namespace: 'default', labelSelector, fieldSelector })).items.map(
        (i) => i.metadata?.name,
      );
    expect(await names('group=sel,tier in (web,db)')).toEqual(['sel-a', 'sel-b']);
    expect(await names('group=sel,tier notin (web)')).toEqual(['sel-b', 'sel-c']);
    expect(await names('group=sel,tier!=db')).toEqual(['sel-a', 'sel-c']);
    expect(await names('group,!nothing', 'metadata.name=sel-c')).toEqual(['sel-c']);
  });

  it('pages lists with limit and continue', async () => {
    const core = kc.makeApiClient(CoreV1Api);
    for (let i = 0; i < 5; i++) {
      await core.createNamespacedSecret({
        namespace: 'default',
        body: { metadata: { name: `page-${i}`, labels: { paged: 'yes' } } },
      });
    }
    const first = await core.listNamespacedSecret({ namespace: 'default', labelSelector: 'paged', limit: 2 });
    expect(first.items.map((i) => i.metadata?.name)).toEqual(['page-0', 'page-1']);
    expect(first.metadata?._continue).toBeTruthy();
    const second = await core.listNamespacedSecret({
      namespace: 'default',
      labelSelector: 'paged',
      limit: 10,
      _continue: first.metadata?._continue,
    });
    expect(second.items.map((i) => i.metadata?.name)).toEqual(['page-2', 'page-3', 'page-4']);
    expect(second.metadata?._continue).toBeFalsy();
  });

  it('rejects a stale resourceVersion on update with Conflict', async () => {
    const core = kc.makeApiClient(CoreV1Api);
    const created = await core.createNamespacedConfigMap({
      namespace: 'default',
      body: { metadata: { name: 'rv' } },
    });
    await core.replaceNamespacedConfigMap({
      namespace: 'default',
      name: 'rv',
      body: { ...created, data: { x: '1' } },
    });
    const stale = core.replaceNamespacedConfigMap({
      namespace: 'default',
      name: 'rv',
      body: { ...created, data: { x: '2' } },
    });
    await expect(stale).rejects.toMatchObject({ code: 409 });
  });

  it('applies merge, strategic and json patches', async () => {
    const api = KubernetesObjectApi.makeApiClient(kc);
    await api.create({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'patched', namespace: 'default' },
      data: { a: '1', b: '2' },
    } as never);
    await api.patch(
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'patched', namespace: 'default' },
        data: { b: null, c: '3' },
      } as never,
      undefined,
      undefined,
      undefined,
      undefined,
      PatchStrategy.MergePatch,
    );
    const core = kc.makeApiClient(CoreV1Api);
    expect((await core.readNamespacedConfigMap({ namespace: 'default', name: 'patched' })).data).toEqual({
      a: '1',
      c: '3',
    });
    await core.patchNamespacedConfigMap({
      namespace: 'default',
      name: 'patched',
      body: [{ op: 'replace', path: '/data/a', value: 'json' }],
    });
    expect((await core.readNamespacedConfigMap({ namespace: 'default', name: 'patched' })).data).toEqual({
      a: 'json',
      c: '3',
    });
  });

  it('server-side apply creates when missing, prunes dropped fields and reports conflicts with another manager', async () => {
    const api = KubernetesObjectApi.makeApiClient(kc);
    const apply = (body: object, manager: string, force?: boolean) =>
      api.patch(body as never, undefined, undefined, manager, force, PatchStrategy.ServerSideApply);
    await apply(
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'ssa', namespace: 'default' },
        data: { a: '1', b: '2' },
      },
      'kitten',
    );
    await apply(
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'ssa', namespace: 'default' },
        data: { a: '1' },
      },
      'kitten',
    );
    const core = kc.makeApiClient(CoreV1Api);
    const read = await core.readNamespacedConfigMap({ namespace: 'default', name: 'ssa' });
    expect(read.data).toEqual({ a: '1' });
    expect(read.metadata?.managedFields?.[0]).toMatchObject({ manager: 'kitten', operation: 'Apply' });
    const clash = apply(
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'ssa', namespace: 'default' },
        data: { a: 'other' },
      },
      'someone-else',
    );
    await expect(clash).rejects.toMatchObject({ code: 409 });
    await apply(
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'ssa', namespace: 'default' },
        data: { a: 'other' },
      },
      'someone-else',
      true,
    );
    expect((await core.readNamespacedConfigMap({ namespace: 'default', name: 'ssa' })).data).toEqual({
      a: 'other',
    });
  });

  it('answers invalid objects with 422 and the field that is wrong', async () => {
    const apps = kc.makeApiClient(AppsV1Api);
    const bad = deployment('Bad_Name');
    const error = await apps
      .createNamespacedDeployment({ namespace: 'default', body: bad })
      .catch((e: { code: number; body: string }) => e);
    expect(error).toMatchObject({ code: 422 });
    const status = JSON.parse((error as { body: string }).body);
    expect(status.reason).toBe('Invalid');
    expect(status.details.causes[0].field).toBe('metadata.name');
    const mismatched = deployment('mismatch');
    mismatched.spec.selector.matchLabels.app = 'other';
    const second = await apps
      .createNamespacedDeployment({ namespace: 'default', body: mismatched })
      .catch((e: { body: string }) => JSON.parse(e.body));
    expect(second.message).toContain('`selector` does not match template `labels`');
  });

  it('refuses changes to immutable fields as the real server does', async () => {
    const apps = kc.makeApiClient(AppsV1Api);
    const created = await apps.createNamespacedDeployment({
      namespace: 'default',
      body: deployment('frozen'),
    });
    const changed = structuredClone(created);
    // Unconditional: the controller may have written status since.
    changed.metadata!.resourceVersion = undefined;
    changed.spec!.selector.matchLabels = { app: 'frozen', extra: 'x' };
    changed.spec!.template.metadata!.labels = { app: 'frozen', extra: 'x' };
    const error = await apps
      .replaceNamespacedDeployment({ namespace: 'default', name: 'frozen', body: changed })
      .catch((e: { body: string }) => JSON.parse(e.body));
    expect(error.message).toContain('spec.selector: Invalid value');
    expect(error.message).toContain('field is immutable');
  });

  it('injects Forbidden naming the verb and resource, quota, internal errors, then recovers', async () => {
    const apps = kc.makeApiClient(AppsV1Api);
    server.inject({ verb: 'create', resource: 'deployments', fail: 'forbidden', times: 1 });
    const forbidden = await apps
      .createNamespacedDeployment({ namespace: 'default', body: deployment('denied') })
      .catch((e: { body: string }) => JSON.parse(e.body));
    expect(forbidden.code).toBe(403);
    expect(forbidden.message).toBe(
      `deployments.apps is forbidden: User "${server.user}" cannot create resource "deployments" in API group "apps" in the namespace "default"`,
    );
    server.inject({ verb: 'create', resource: 'deployments', fail: 'quota', times: 1 });
    const quota = await apps
      .createNamespacedDeployment({ namespace: 'default', body: deployment('denied') })
      .catch((e: { body: string }) => JSON.parse(e.body));
    expect(quota.message).toContain('exceeded quota');
    server.inject({ verb: 'list', resource: 'deployments', fail: 'internal', times: 1 });
    await expect(apps.listNamespacedDeployment({ namespace: 'default' })).rejects.toMatchObject({
      code: 500,
    });
    await expect(apps.listNamespacedDeployment({ namespace: 'default' })).resolves.toBeTruthy();
  });

  it('streams ADDED, MODIFIED and DELETED events from a resourceVersion, and deletion waits for finalizers', async () => {
    const core = kc.makeApiClient(CoreV1Api);
    const start = await core.listNamespacedConfigMap({ namespace: 'default' });
    const events: string[] = [];
    const watch = new Watch(kc);
    const controller = await watch.watch(
      '/api/v1/namespaces/default/configmaps',
      { resourceVersion: start.metadata?.resourceVersion, labelSelector: 'watched=yes' },
      (type, object: { metadata: { name: string } }) => events.push(`${type} ${object.metadata.name}`),
      () => {},
    );
    await core.createNamespacedConfigMap({
      namespace: 'default',
      body: { metadata: { name: 'w', labels: { watched: 'yes' }, finalizers: ['example.com/hold'] } },
    });
    await core.patchNamespacedConfigMap({
      namespace: 'default',
      name: 'w',
      body: [{ op: 'add', path: '/data', value: { k: 'v' } }],
    });
    await core.deleteNamespacedConfigMap({ namespace: 'default', name: 'w' });
    // The finalizer holds it: still there, marked for deletion, until the finalizer is removed.
    const marked = await core.readNamespacedConfigMap({ namespace: 'default', name: 'w' });
    expect(marked.metadata?.deletionTimestamp).toBeTruthy();
    await core.patchNamespacedConfigMap({
      namespace: 'default',
      name: 'w',
      body: [{ op: 'remove', path: '/metadata/finalizers' }],
    });
    await until(() => events.includes('DELETED w') || undefined, 'the DELETED event');
    controller.abort();
    expect(events).toEqual(['ADDED w', 'MODIFIED w', 'MODIFIED w', 'MODIFIED w', 'DELETED w']);
    await until(() => server.openWatches === 0 || undefined, 'the watch to close');
  });

  it('rolls Deployments out with the controller: pods, ready counts, endpoints, logs', async () => {
    const apps = kc.makeApiClient(AppsV1Api);
    const core = kc.makeApiClient(CoreV1Api);
    await apps.createNamespacedDeployment({ namespace: 'default', body: deployment('rollout') });
    await core.createNamespacedService({
      namespace: 'default',
      body: {
        metadata: { name: 'rollout' },
        spec: { type: 'NodePort', selector: { app: 'rollout' }, ports: [{ port: 80 }] },
      },
    });
    const ready = await until(async () => {
      const d = await apps.readNamespacedDeployment({ namespace: 'default', name: 'rollout' });
      return d.status?.readyReplicas === 2 ? d : undefined;
    }, 'the rollout');
    expect(ready.status?.observedGeneration).toBe(1);
    const pods = await core.listNamespacedPod({ namespace: 'default', labelSelector: 'app=rollout' });
    expect(pods.items).toHaveLength(2);
    const service = await core.readNamespacedService({ namespace: 'default', name: 'rollout' });
    expect(service.spec?.ports?.[0]?.nodePort).toBeGreaterThanOrEqual(30000);
    const endpoints = await until(async () => {
      const e = await core
        .readNamespacedEndpoints({ namespace: 'default', name: 'rollout' })
        .catch(() => undefined);
      return e?.subsets?.[0]?.addresses?.length === 2 ? e : undefined;
    }, 'endpoints');
    expect(endpoints.subsets?.[0]?.ports?.[0]?.port).toBe(80);
    const podName = pods.items[0]!.metadata!.name!;
    server.appendLog('default', podName, 'main', 'hello from main');
    const out = new PassThrough();
    const chunks: string[] = [];
    out.on('data', (c: Buffer) => chunks.push(c.toString()));
    await new Log(kc).log('default', podName, 'main', out, { follow: false });
    await until(() => chunks.join('').includes('hello from main') || undefined, 'the log line');
    await apps.deleteNamespacedDeployment({ namespace: 'default', name: 'rollout' });
    await until(async () => {
      const left = await core.listNamespacedPod({ namespace: 'default', labelSelector: 'app=rollout' });
      return left.items.length === 0 || undefined;
    }, 'pods to be garbage-collected');
  });

  it('seeds from the cluster snapshots in fixtures/clusters, serving unknown kinds like CRDs', async () => {
    const seeded = await startKubeApiServer({ snapshotFile: 'fixtures/clusters/broken-shop.yaml' });
    try {
      const config = configFor(await writeKubeconfig(seeded, dir, { file: 'seeded' }));
      const core = config.makeApiClient(CoreV1Api);
      const pods = await core.listPodForAllNamespaces();
      expect(pods.items.length).toBeGreaterThan(0);
      const objects = KubernetesObjectApi.makeApiClient(config);
      const results = await objects.list('core.k8sgpt.ai/v1alpha1', 'Result');
      expect(results.items.length).toBeGreaterThan(0);
      expect((await objects.list('networking.k8s.io/v1', 'IngressClass')).items.length).toBeGreaterThan(0);
    } finally {
      await seeded.close();
    }
  });

  it('deletes a collection by label selector and keeps the rest', async () => {
    const core = kc.makeApiClient(CoreV1Api);
    for (const [name, team] of [
      ['dc-a', 'red'],
      ['dc-b', 'red'],
      ['dc-c', 'blue'],
    ]) {
      await core.createNamespacedConfigMap({
        namespace: 'default',
        body: { metadata: { name, labels: { team: team! } } },
      });
    }
    await core.deleteCollectionNamespacedConfigMap({ namespace: 'default', labelSelector: 'team=red' });
    // This server simulates a finalizer: deleted objects linger briefly, marked, then go.
    const left = await until(async () => {
      const list = await core.listNamespacedConfigMap({ namespace: 'default', labelSelector: 'team' });
      const names = list.items.map((i) => i.metadata?.name);
      return names.length === 1 ? names : undefined;
    }, 'the red ones to go');
    expect(left).toEqual(['dc-c']);
  });

  it('merges containers by name in a strategic merge patch', async () => {
    const apps = kc.makeApiClient(AppsV1Api);
    const body = deployment('smp');
    body.spec.template.spec.containers.push({ name: 'sidecar', image: 'busybox:1.36' });
    await apps.createNamespacedDeployment({ namespace: 'default', body });
    const objects = KubernetesObjectApi.makeApiClient(kc);
    await objects.patch(
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'smp', namespace: 'default' },
        spec: { template: { spec: { containers: [{ name: 'sidecar', image: 'busybox:1.37' }] } } },
      } as never,
      undefined,
      undefined,
      undefined,
      undefined,
      PatchStrategy.StrategicMergePatch,
    );
    const read = await apps.readNamespacedDeployment({ namespace: 'default', name: 'smp' });
    expect(read.spec?.template.spec?.containers.map((c) => `${c.name}=${c.image}`)).toEqual([
      'main=nginx:1.27',
      'sidecar=busybox:1.37',
    ]);
  });

  it('answers SelfSubjectAccessReviews from the injected refusals', async () => {
    const auth = kc.makeApiClient(AuthorizationV1Api);
    const ask = (verb: string, resource: string) =>
      auth.createSelfSubjectAccessReview({
        body: { spec: { resourceAttributes: { verb, resource, namespace: 'default' } } },
      });
    expect((await ask('delete', 'pods')).status?.allowed).toBe(true);
    server.inject({ verb: 'delete', resource: 'pods', fail: 'forbidden' });
    expect((await ask('delete', 'pods')).status?.allowed).toBe(false);
    expect((await ask('get', 'pods')).status?.allowed).toBe(true);
  });

  it('holds a delayed response and still answers it', async () => {
    const core = kc.makeApiClient(CoreV1Api);
    server.inject({ verb: 'list', resource: 'configmaps', delayMs: 50, times: 1 });
    const list = await core.listNamespacedConfigMap({ namespace: 'default' });
    expect(list.kind).toBe('ConfigMapList');
  });

  it('ends a watch from a resourceVersion older than the history with 410 Gone', async () => {
    const small = await startKubeApiServer({
      objects: [
        {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: 'seeded', namespace: 'default' },
          data: { a: '1' },
        },
      ],
    });
    try {
      const config = configFor(await writeKubeconfig(small, dir, { file: 'small' }));
      const core = config.makeApiClient(CoreV1Api);
      expect((await core.readNamespacedConfigMap({ namespace: 'default', name: 'seeded' })).data).toEqual({
        a: '1',
      });
      const events: { type: string; code?: number }[] = [];
      let ended = false;
      await new Watch(config).watch(
        '/api/v1/namespaces/default/configmaps',
        { resourceVersion: '1' },
        (type, object: { code?: number }) => events.push({ type, code: object.code }),
        () => {
          ended = true;
        },
      );
      await until(() => ended || undefined, 'the watch to end');
      expect(events).toEqual([{ type: 'ERROR', code: 410 }]);
    } finally {
      await small.close();
    }
  });
});
