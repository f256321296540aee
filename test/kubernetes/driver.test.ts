import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isKittenError } from '../../src/engine/errors.js';
import type { ProgressEvent } from '../../src/engine/progress.js';
import {
  createKubernetesRuntime,
  type KubernetesRuntime,
} from '../../src/engine/runtime/kubernetes/index.js';
import type { StackDeployOptions } from '../../src/engine/runtime/types.js';
import type { Stack } from '../../src/engine/stack/model.js';
import { container, port, stack } from '../support/stack-builder.js';
import {
  type ClusterTarget,
  loopbackTarget,
  realClusterKubeconfig,
  realTarget,
  until,
} from './cluster-target.js';

/**
 * The kubernetes driver end to end through @kubernetes/client-node: against the loopback API
 * server always, and against a real cluster too when KITTEN_TEST_KUBECONFIG is set.
 */
const targets: [string, () => Promise<ClusterTarget>][] = [
  ['loopback', () => loopbackTarget({ controller: true, deletionDelayMs: 30 })],
];
const real = realClusterKubeconfig();
if (real) targets.push(['real cluster', () => realTarget(real)]);

function appStack(project: string): Stack {
  const s = stack(project, [
    container('db', {
      image: 'busybox:1.36',
      command: ['sh', '-c', 'touch /tmp/ready; exec sleep 3600'],
      ports: [port(5432)],
      healthcheck: {
        test: ['test', '-f', '/tmp/ready'],
        interval_ms: 1000,
        timeout_ms: 1000,
        retries: 3,
        start_period_ms: 0,
      },
    }),
    container('migrate', {
      image: 'busybox:1.36',
      command: ['true'],
      depends_on: { db: { condition: 'healthy' } },
      restart: { policy: 'no', max_retries: null, declared: true },
    }),
    container('web', {
      image: 'busybox:1.36',
      command: ['sh', '-c', 'echo serving; exec sleep 3600'],
      ports: [port(80, 30080)],
      replicas: 2,
      depends_on: { migrate: { condition: 'completed' }, db: { condition: 'started' } },
    }),
  ]);
  return s;
}

const extra = { expose: 'nodeport' as const, ttlMs: 3_600_000 };
const deploy = (overrides: Partial<StackDeployOptions> = {}): StackDeployOptions => ({
  wait: true,
  timeoutMs: 120_000,
  removeOrphans: false,
  ...overrides,
});

for (const [label, open] of targets) {
  // A real cluster pulls images and schedules pods: give it minutes, not seconds.
  describe(`kubernetes driver against the ${label}`, {
    timeout: label === 'loopback' ? 30_000 : 300_000,
  }, () => {
    let target: ClusterTarget;
    let runtime: KubernetesRuntime;
    const project = `kt-${randomBytes(3).toString('hex')}`;
    const events: ProgressEvent[] = [];
    const progress = (e: ProgressEvent) => events.push(e);
    const loopbackOnly = label === 'loopback' ? it : it.skip;

    beforeAll(async () => {
      target = await open();
      runtime = createKubernetesRuntime({
        kubeconfig: target.kubeconfig,
        pollIntervalMs: target.pollIntervalMs,
        removeTimeoutMs: 120_000,
      });
    });

    afterAll(async () => {
      await runtime?.removeStack(project, () => {}).catch(() => {});
      await runtime?.close();
      await target?.close();
    });

    it('applies the stack server-side in dependency order and waits for the rollout', async () => {
      const s = appStack(project);
      // The plan is what deployStack applies; the Job comes before the Deployment that waits for it.
      // migrate declares restart "no": a run-once Job that web waits for.
      const plan = await runtime.plan(s, extra);
      expect(plan.services.find((p) => p.service === 'migrate')?.workload).toBe('Job');
      await runtime.deployStack(s, deploy({ extra }), progress);
      const done = events.filter((e) => e.status === 'done').map((e) => `${e.resource} ${e.text}`);
      expect(done).toEqual(
        expect.arrayContaining([
          `namespace:${project} applied`,
          'service:db applied',
          'deployment:web rolled out (2/2 ready)',
        ]),
      );
      const statuses = await runtime.list(project);
      expect(statuses.filter((c) => c.service === 'web')).toHaveLength(2);
      for (const c of statuses) {
        expect(c.project).toBe(project);
        expect(c.config_hash).toMatch(/^[0-9a-f]{64}$/);
      }
      expect(statuses.find((c) => c.service === 'db')).toMatchObject({
        state: 'running',
        health: 'healthy',
        restarts: 0,
      });
      if (target.server) {
        const applies = target.server.requests.filter(
          (r) => r.method === 'PATCH' && r.contentType === 'application/apply-patch+yaml',
        );
        const order = applies.map((r) => r.path.split('/').slice(-2).join('/'));
        expect(order[0]).toBe(`namespaces/${project}`);
        expect(order.indexOf('deployments/db')).toBeLessThan(order.indexOf('jobs/migrate'));
        expect(order.indexOf('jobs/migrate')).toBeLessThan(order.indexOf('deployments/web'));
        // web is applied only once the migrate Job has completed.
        const completedAt = target.server.requests.findIndex(
          (r) => r.method === 'GET' && r.path.endsWith('/jobs'),
        );
        expect(completedAt).toBeGreaterThan(-1);
        const deployment = target.server.get('apps/v1', 'Deployment', project, 'web')!;
        expect(
          (deployment.metadata as { managedFields: { manager: string }[] }).managedFields[0]!.manager,
        ).toBe('kitten');
        expect(
          (deployment.metadata as { annotations: Record<string, string> }).annotations[
            'dev.kitten/expires-at'
          ],
        ).toMatch(/^\d{4}-/);
      }
    });

    it('re-applying an unchanged stack changes nothing', async () => {
      const before = (await runtime.list(project)).map((c) => c.name).sort();
      await runtime.deployStack(appStack(project), deploy({ extra }), () => {});
      const after = (await runtime.list(project)).map((c) => c.name).sort();
      expect(after, JSON.stringify({ before, after })).toEqual(before);
    });

    it('reads logs of a pod with timestamps', async () => {
      const web = (await runtime.list(project)).find((c) => c.service === 'web')!;
      if (target.server) target.server.appendLog(project, web.name, 'web', 'serving');
      const lines = await until(async () => {
        const out = [];
        for await (const line of runtime.logs(web.name, {})) out.push(line);
        return out.some((l) => l.text === 'serving') ? out : undefined;
      }, 'the log line');
      const line = lines.find((l) => l.text === 'serving')!;
      expect(line).toMatchObject({ container: web.name, service: 'web', stream: 'stdout' });
      expect(Number.isNaN(Date.parse(line.time))).toBe(false);
    });

    it('tells how to connect: port-forward and NodePort addresses', async () => {
      const [web] = await runtime.connections(project, 'web', []);
      expect(web!.port_forward).toEqual([
        'kubectl',
        '-n',
        project,
        'port-forward',
        'service/web',
        '30080:80',
      ]);
      expect(web!.in_cluster).toEqual([`web.${project}.svc:80`]);
      expect(web!.node_ports.length).toBeGreaterThan(0);
      expect(web!.node_ports[0]!.port).toBe(30080);
    });

    it('lists the project among Kitten projects and finds it unexpired', async () => {
      expect(await runtime.projects()).toContain(project);
      const mine = (await runtime.expiries()).find((p) => p.project === project)!;
      expect(mine.expired).toBe(false);
      expect(mine.expires_at).not.toBeNull();
    });

    loopbackOnly('collects an expired TTL environment, and --dry-run only reports it', async () => {
      const later = createKubernetesRuntime({
        kubeconfig: target.kubeconfig,
        pollIntervalMs: 10,
        now: () => new Date(Date.now() + 2 * 3_600_000),
      });
      const dry = await later.collectExpired({ dryRun: true });
      expect(dry.find((p) => p.project === project)).toMatchObject({ expired: true, deleted: false });
      expect(await runtime.list(project)).not.toHaveLength(0);
      const other = `${project}-keep`;
      await runtime.deployStack(
        stack(other, [container('idle', { image: 'busybox:1.36', command: ['sleep', '3600'] })]),
        deploy(),
        () => {},
      );
      const collected = await later.collectExpired({ dryRun: false });
      expect(collected.map((p) => p.project)).toEqual([project]);
      expect(await runtime.list(project)).toEqual([]);
      expect(target.server!.get('v1', 'Namespace', undefined, project)).toBeUndefined();
      expect(await runtime.list(other)).toHaveLength(1);
      await runtime.removeStack(other, () => {});
    });

    it('removes the stack by its part-of label and waits until everything is gone', async () => {
      await runtime.deployStack(appStack(project), deploy(), () => {});
      const removed: ProgressEvent[] = [];
      await runtime.removeStack(project, (e) => removed.push(e));
      expect(await runtime.list(project)).toEqual([]);
      expect(removed.some((e) => e.resource === `namespace:${project}` && e.status === 'done')).toBe(true);
      if (target.server) {
        expect(target.server.objects('apps/v1', 'Deployment', project)).toEqual([]);
        expect(target.server.objects('v1', 'Pod', project)).toEqual([]);
      }
    });
  });
}

describe('kubernetes driver failures, each one clear line', () => {
  let target: ClusterTarget;
  beforeAll(async () => {
    target = await loopbackTarget({ controller: { failingImages: ['broken:1'] } });
  });
  afterAll(async () => {
    await target.close();
  });

  async function failure(promise: Promise<unknown>) {
    try {
      await promise;
    } catch (error) {
      if (!isKittenError(error)) throw error;
      return error;
    }
    throw new Error('expected a failure');
  }

  it('names the server when the cluster is unreachable', async () => {
    const { KubeConfig } = await import('../../src/engine/runtime/kubernetes/client.js');
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [{ name: 'gone', server: 'http://127.0.0.1:9', skipTLSVerify: true }],
      users: [{ name: 'u', token: 't' }],
      contexts: [{ name: 'gone', cluster: 'gone', user: 'u' }],
      currentContext: 'gone',
    });
    const error = await failure(createKubernetesRuntime({ kubeConfig: kc }).list('shop'));
    expect(error.code).toBe('KUBE_UNREACHABLE');
    expect(error.message).toContain('http://127.0.0.1:9');
  });

  it('reports 403 with the verb and resource the server refused', async () => {
    target.server!.inject({ verb: 'patch', resource: 'deployments', fail: 'forbidden' });
    const runtime = createKubernetesRuntime({ kubeconfig: target.kubeconfig, pollIntervalMs: 10 });
    const error = await failure(runtime.deployStack(stack('denied', [container('web')]), deploy(), () => {}));
    target.server!.clearInjections();
    expect(error.code).toBe('KUBE_FORBIDDEN');
    expect(error.message).toBe(
      `deployments.apps "web" is forbidden: User "${target.server!.user}" cannot patch resource "deployments" in API group "apps" in the namespace "denied"`,
    );
    expect(error.hint).toContain('kubectl auth can-i patch deployments.apps -n denied');
    // Nothing half-made: the namespace and NetworkPolicy this run created are taken back.
    expect(target.server!.get('v1', 'Namespace', undefined, 'denied')).toBeUndefined();
    expect(target.server!.objects('networking.k8s.io/v1', 'NetworkPolicy', 'denied')).toEqual([]);
  });

  it('after a refused update, keeps what existed before and removes only what that run added', async () => {
    const runtime = createKubernetesRuntime({ kubeconfig: target.kubeconfig, pollIntervalMs: 10 });
    await runtime.deployStack(stack('grow', [container('web', { ports: [port(80)] })]), deploy(), () => {});
    target.server!.inject({ verb: 'patch', resource: 'deployments', name: 'api', fail: 'forbidden' });
    const grown = stack('grow', [
      container('web', { ports: [port(80)] }),
      container('api', { ports: [port(8000)] }),
    ]);
    const error = await failure(runtime.deployStack(grown, deploy(), () => {}));
    target.server!.clearInjections();
    expect(error.code).toBe('KUBE_FORBIDDEN');
    expect(target.server!.get('apps/v1', 'Deployment', 'grow', 'web')).toBeDefined();
    expect(target.server!.get('v1', 'Service', 'grow', 'web')).toBeDefined();
    expect(target.server!.get('v1', 'Service', 'grow', 'api')).toBeUndefined();
    expect(target.server!.get('v1', 'Namespace', undefined, 'grow')).toBeDefined();
  });

  it('reports exceeded quota and invalid objects with the server message', async () => {
    const runtime = createKubernetesRuntime({ kubeconfig: target.kubeconfig, pollIntervalMs: 10 });
    target.server!.inject({ verb: 'patch', resource: 'deployments', fail: 'quota', times: 1 });
    const quota = await failure(runtime.deployStack(stack('quota', [container('web')]), deploy(), () => {}));
    expect(quota.code).toBe('KUBE_QUOTA_EXCEEDED');
    expect(quota.message).toContain('exceeded quota: compute-resources');
    target.server!.inject({
      verb: 'patch',
      resource: 'services',
      fail: 'invalid',
      causes: [
        { field: 'spec.ports[0].port', message: 'Invalid value: 0: must be between 1 and 65535, inclusive' },
      ],
      times: 1,
    });
    const invalid = await failure(
      runtime.deployStack(stack('invalid', [container('web', { ports: [port(80)] })]), deploy(), () => {}),
    );
    expect(invalid.code).toBe('KUBE_INVALID');
    expect(invalid.message).toBe(
      'Service "web" is invalid: spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive',
    );
  });

  it('reports a wrong token as 401 naming the server', async () => {
    const { writeKubeconfig } = await import('../support/kube-apiserver.js');
    const { dirname } = await import('node:path');
    const bad = await writeKubeconfig(target.server!, dirname(target.kubeconfig), {
      token: 'nope',
      file: 'bad',
    });
    const error = await failure(createKubernetesRuntime({ kubeconfig: bad }).list('shop'));
    expect(error.code).toBe('KUBE_UNAUTHORIZED');
    expect(error.message).toContain(target.server!.url);
  });

  it('gives up on a rollout at the timeout and says which pods crash and why', async () => {
    const runtime = createKubernetesRuntime({ kubeconfig: target.kubeconfig, pollIntervalMs: 10 });
    const error = await failure(
      runtime.deployStack(
        stack('crashy', [
          container('api', { image: 'broken:1' }),
          container('ok', { image: 'busybox:1.36' }),
        ]),
        deploy({ timeoutMs: 300 }),
        () => {},
      ),
    );
    expect(error.code).toBe('KUBE_ROLLOUT_TIMEOUT');
    // Whether `ok` made it in time depends on the machine; `api` never can, and the line says why.
    expect(error.message).toMatch(/^[12] workloads? not ready after 0s: /);
    expect(error.message).toContain('api (CrashLoopBackOff: back-off 40s restarting failed container=api)');
  });

  it('recreates a Service whose change the API server will not make in place', async () => {
    const runtime = createKubernetesRuntime({ kubeconfig: target.kubeconfig, pollIntervalMs: 10 });
    const waitsOnCache = container('app', { depends_on: { cache: { condition: 'started' } } });
    await runtime.deployStack(stack('morph', [container('cache'), waitsOnCache]), deploy(), () => {});
    expect(
      (target.server!.get('v1', 'Service', 'morph', 'cache')!.spec as { clusterIP: string }).clusterIP,
    ).toBe('None');
    const events: ProgressEvent[] = [];
    await runtime.deployStack(
      stack('morph', [container('cache', { ports: [port(6379)] }), waitsOnCache]),
      deploy(),
      (e) => events.push(e),
    );
    expect(
      (target.server!.get('v1', 'Service', 'morph', 'cache')!.spec as { clusterIP: string }).clusterIP,
    ).toMatch(/^10\.96\./);
    expect(events).toContainEqual({
      resource: 'service:cache',
      status: 'working',
      text: 'recreating (headless → ClusterIP)',
    });
  });

  it('says a namespace is still being deleted instead of blaming permissions', async () => {
    const runtime = createKubernetesRuntime({ kubeconfig: target.kubeconfig, pollIntervalMs: 10 });
    target.server!.seed([
      {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: 'leaving', deletionTimestamp: '2030-01-01T00:00:00Z', finalizers: ['kubernetes'] },
      },
    ]);
    const error = await failure(
      runtime.deployStack(
        stack('leaving', [container('web')]),
        deploy({ extra: { namespace: 'leaving' } }),
        () => {},
      ),
    );
    expect(error.code).toBe('KUBE_NAMESPACE_TERMINATING');
    expect(error.message).toContain(
      'unable to create new content in namespace leaving because it is being terminated',
    );
  });

  it('refuses untranslatable fields with --strict before touching the cluster', async () => {
    const runtime = createKubernetesRuntime({ kubeconfig: target.kubeconfig, pollIntervalMs: 10 });
    const before = target.server!.requests.length;
    const s = stack('strict', [
      container('db', { volumes: [{ source: '/srv/strict/data', target: '/data', read_only: false }] }),
    ]);
    const error = await failure(runtime.deployStack(s, deploy({ extra: { strict: true } }), () => {}));
    expect(error.code).toBe('KUBE_UNTRANSLATABLE');
    expect(target.server!.requests.length).toBe(before);
  });
});
