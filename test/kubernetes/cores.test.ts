import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiError } from '../../src/engine/runtime/kubernetes/api-errors.js';
import { describeConnections, nodeAddresses } from '../../src/engine/runtime/kubernetes/connection.js';
import { parseTtl, projectExpiries } from '../../src/engine/runtime/kubernetes/expiry.js';
import { gcInstallManifests } from '../../src/engine/runtime/kubernetes/gc-install.js';
import { loadKubeConfig } from '../../src/engine/runtime/kubernetes/kubeconfig.js';
import { podProblem, podsToStatuses } from '../../src/engine/runtime/kubernetes/pod-status.js';
import { deploymentRollout, jobRollout } from '../../src/engine/runtime/kubernetes/rollout.js';

const call = {
  verb: 'patch',
  resource: 'deployments.apps',
  name: 'web',
  namespace: 'shop',
  server: 'https://k8s.example:6443',
};
const status = (code: number, reason: string, message: string) => ({
  code,
  body: JSON.stringify({ kind: 'Status', code, reason, message }),
});

describe('API errors become one line with a code and a hint', () => {
  it.each([
    [
      Object.assign(new Error('connect ECONNREFUSED 10.0.0.1:6443'), { code: 'ECONNREFUSED' }),
      'KUBE_UNREACHABLE',
      'cannot reach the Kubernetes API server at https://k8s.example:6443 (ECONNREFUSED)',
    ],
    [
      new TypeError('fetch failed', { cause: { code: 'ENOTFOUND' } }),
      'KUBE_UNREACHABLE',
      'cannot reach the Kubernetes API server at https://k8s.example:6443 (ENOTFOUND)',
    ],
    [
      status(401, 'Unauthorized', 'Unauthorized'),
      'KUBE_UNAUTHORIZED',
      "the API server at https://k8s.example:6443 rejected Kitten's credentials (401 Unauthorized)",
    ],
    [
      status(
        403,
        'Forbidden',
        'deployments.apps "web" is forbidden: User "bob" cannot patch resource "deployments" in API group "apps" in the namespace "shop"',
      ),
      'KUBE_FORBIDDEN',
      'deployments.apps "web" is forbidden: User "bob" cannot patch resource "deployments" in API group "apps" in the namespace "shop"',
    ],
    [
      status(
        403,
        'Forbidden',
        'pods "x" is forbidden: exceeded quota: q, requested: pods=1, used: pods=10, limited: pods=10',
      ),
      'KUBE_QUOTA_EXCEEDED',
      'pods "x" is forbidden: exceeded quota: q, requested: pods=1, used: pods=10, limited: pods=10',
    ],
    [
      status(
        403,
        'Forbidden',
        'deployments.apps "web" is forbidden: unable to create new content in namespace shop because it is being terminated',
      ),
      'KUBE_NAMESPACE_TERMINATING',
      'deployments.apps "web" is forbidden: unable to create new content in namespace shop because it is being terminated',
    ],
    [
      status(422, 'Invalid', 'Deployment.apps "web" is invalid: spec.replicas: Invalid value: -1'),
      'KUBE_INVALID',
      'Deployment.apps "web" is invalid: spec.replicas: Invalid value: -1',
    ],
    [
      status(409, 'Conflict', 'Apply failed with 1 conflict: conflict with "helm": .spec.replicas'),
      'KUBE_CONFLICT',
      'Apply failed with 1 conflict: conflict with "helm": .spec.replicas',
    ],
    [
      status(500, 'InternalError', 'Internal error occurred: etcdserver: request timed out'),
      'KUBE_SERVER_ERROR',
      'the API server failed to patch deployments.apps "web" in namespace shop: Internal error occurred: etcdserver: request timed out',
    ],
  ])('case %# becomes %s', (error, code, message) => {
    const mapped = apiError(error, call);
    expect(mapped.code).toBe(code);
    expect(mapped.message).toBe(message);
    expect(mapped.hint).toBeTruthy();
    expect(mapped.message).not.toContain('\n');
  });
});

describe('rollout state, as kubectl rollout status decides it', () => {
  const deployment = (status: object, generation = 2, replicas = 3) => ({
    metadata: { generation },
    spec: { replicas },
    status,
  });
  it.each([
    [deployment({ observedGeneration: 1 }), 'progressing', 'waiting for the controller'],
    [deployment({ observedGeneration: 2, updatedReplicas: 1, replicas: 3 }), 'progressing', '1/3 updated'],
    [
      deployment({ observedGeneration: 2, updatedReplicas: 3, replicas: 4 }),
      'progressing',
      '1 old replicas terminating',
    ],
    [
      deployment({
        observedGeneration: 2,
        updatedReplicas: 3,
        replicas: 3,
        readyReplicas: 2,
        availableReplicas: 2,
      }),
      'progressing',
      '2/3 ready',
    ],
    [
      deployment({
        observedGeneration: 2,
        updatedReplicas: 3,
        replicas: 3,
        readyReplicas: 3,
        availableReplicas: 3,
      }),
      'ready',
      '3/3 ready',
    ],
    [
      deployment({
        observedGeneration: 2,
        conditions: [{ type: 'Progressing', reason: 'ProgressDeadlineExceeded' }],
      }),
      'failed',
      'progress deadline exceeded',
    ],
  ])('deployment %#', (d, phase, text) => {
    expect(deploymentRollout(d)).toEqual({ phase, text });
  });

  it.each([
    [{ spec: { completions: 2 }, status: { succeeded: 1 } }, 'progressing', '1/2 completed'],
    [{ status: { conditions: [{ type: 'Complete', status: 'True' }] } }, 'ready', 'complete'],
    [
      { status: { conditions: [{ type: 'Failed', status: 'True', reason: 'BackoffLimitExceeded' }] } },
      'failed',
      'BackoffLimitExceeded',
    ],
  ])('job %#', (j, phase, text) => {
    expect(jobRollout(j)).toEqual({ phase, text });
  });
});

describe('pods as ps rows', () => {
  const pod = (name: string, service: string, containerStatus: object, extra: object = {}) => ({
    metadata: { name, annotations: { 'dev.kitten/service': service, 'dev.kitten.config-hash': 'abc' } },
    spec: {
      containers: [
        {
          name: service,
          image: 'nginx:1.27',
          readinessProbe: {},
          ports: [{ containerPort: 80, protocol: 'TCP' }],
        },
      ],
    },
    status: { podIP: '10.1.0.5', containerStatuses: [{ name: service, ...containerStatus }], ...extra },
  });

  it('numbers replicas per service, counts restarts, reads health from readiness', () => {
    const rows = podsToStatuses(
      [
        pod('web-b', 'web', {
          ready: false,
          restartCount: 3,
          state: { waiting: { reason: 'CrashLoopBackOff' } },
        }),
        pod('web-a', 'web', {
          ready: true,
          restartCount: 0,
          state: { running: { startedAt: '2030-01-01T00:00:00Z' } },
        }),
        pod('db-a', 'db', {
          ready: false,
          restartCount: 0,
          state: { terminated: { exitCode: 0, finishedAt: '2030-01-01T00:01:00Z' } },
        }),
      ],
      'shop',
    );
    expect(rows.map((r) => [r.service, r.replica, r.name, r.state, r.health, r.restarts])).toEqual([
      ['db', 1, 'db-a', 'exited', null, 0],
      ['web', 1, 'web-a', 'running', 'healthy', 0],
      ['web', 2, 'web-b', 'restarting', 'unhealthy', 3],
    ]);
    expect(rows[1]).toMatchObject({
      ip: '10.1.0.5',
      config_hash: 'abc',
      started_at: '2030-01-01T00:00:00Z',
      ports: [{ container: 80, protocol: 'tcp', host: null, host_ip: null }],
    });
  });

  it('names why a pod is stuck', () => {
    expect(
      podProblem(
        pod('a', 'a', { state: { waiting: { reason: 'ImagePullBackOff', message: 'pull access denied' } } }),
      ),
    ).toBe('ImagePullBackOff: pull access denied');
    expect(
      podProblem({
        status: {
          conditions: [
            {
              type: 'PodScheduled',
              status: 'False',
              reason: 'Unschedulable',
              message: '0/3 nodes are available',
            },
          ],
        },
      }),
    ).toBe('Unschedulable: 0/3 nodes are available');
    expect(podProblem(pod('a', 'a', { state: { running: {} } }))).toBeNull();
  });
});

describe('TTL environments', () => {
  it.each([
    ['2h', 7_200_000],
    ['30m', 1_800_000],
    ['1h30m', 5_400_000],
    ['1d', 86_400_000],
    ['90s', 90_000],
    ['2 hours', null],
    ['0s', null],
    ['', null],
  ])('parses %j as %s ms', (text, ms) => {
    expect(parseTtl(text)).toBe(ms);
  });

  it('groups objects by namespace and project; the earliest stamp decides', () => {
    const now = new Date('2030-01-01T12:00:00Z');
    const o = (
      kind: string,
      name: string,
      namespace: string | undefined,
      project: string,
      expires?: string,
    ) => ({
      kind,
      metadata: {
        name,
        namespace,
        labels: { 'app.kubernetes.io/part-of': project },
        annotations: expires ? { 'dev.kitten/expires-at': expires } : {},
      },
    });
    const result = projectExpiries(
      [
        o('Namespace', 'preview', undefined, 'preview', '2030-01-01T11:00:00Z'),
        o('Deployment', 'web', 'preview', 'preview', '2030-01-01T13:00:00Z'),
        o('Deployment', 'web', 'shop', 'shop'),
        o('Service', 'api', 'team', 'later', '2030-01-02T00:00:00Z'),
      ],
      now,
    );
    expect(result).toEqual([
      {
        project: 'preview',
        namespace: 'preview',
        expires_at: '2030-01-01T11:00:00.000Z',
        expired: true,
        objects: 2,
      },
      { project: 'shop', namespace: 'shop', expires_at: null, expired: false, objects: 1 },
      {
        project: 'later',
        namespace: 'team',
        expires_at: '2030-01-02T00:00:00.000Z',
        expired: false,
        objects: 1,
      },
    ]);
  });

  it('installs gc as a CronJob with least-privilege RBAC', () => {
    const [sa, role, binding, cron] = gcInstallManifests({
      namespace: 'kitten-system',
      image: 'kitten:1',
      schedule: '0 * * * *',
    });
    expect(sa).toMatchObject({
      kind: 'ServiceAccount',
      metadata: { name: 'kitten-gc', namespace: 'kitten-system' },
    });
    const rules = (role as unknown as { rules: { verbs: string[] }[] }).rules;
    expect(rules.flatMap((r) => r.verbs)).not.toContain('create');
    expect(binding).toMatchObject({
      subjects: [{ kind: 'ServiceAccount', name: 'kitten-gc', namespace: 'kitten-system' }],
    });
    expect(cron).toMatchObject({
      kind: 'CronJob',
      spec: { schedule: '0 * * * *', concurrencyPolicy: 'Forbid' },
    });
  });
});

describe('connections', () => {
  const svc = (name: string, type: string, ports: object[], extra: object = {}) => ({
    metadata: {
      name,
      annotations: {
        'dev.kitten/service': 'web',
        ...(type === 'ClusterIP' ? { 'dev.kitten/published': '8080:80' } : {}),
      },
    },
    spec: { type, ports },
    ...extra,
  });

  it('prefers external node addresses, else internal ones', () => {
    expect(nodeAddresses([{ status: { addresses: [{ type: 'InternalIP', address: '10.0.0.1' }] } }])).toEqual(
      ['10.0.0.1'],
    );
    expect(
      nodeAddresses([
        {
          status: {
            addresses: [
              { type: 'InternalIP', address: '10.0.0.1' },
              { type: 'ExternalIP', address: '198.51.100.7' },
            ],
          },
        },
      ]),
    ).toEqual(['198.51.100.7']);
  });

  it('forwards the published host port locally and lists node ports and a pending load balancer', () => {
    const [web] = describeConnections(
      [
        svc('web', 'ClusterIP', [{ port: 80, protocol: 'TCP' }]),
        svc('web-public', 'LoadBalancer', [{ port: 8080, nodePort: 31000, protocol: 'TCP' }], {
          status: { loadBalancer: {} },
        }),
      ],
      [{ status: { addresses: [{ type: 'InternalIP', address: '10.0.0.1' }] } }],
      { namespace: 'shop', kubectlFlags: ['--context', 'prod'] },
    );
    expect(web).toEqual({
      service: 'web',
      namespace: 'shop',
      kubernetes_service: 'web',
      in_cluster: ['web.shop.svc:80'],
      port_forward: ['kubectl', '--context', 'prod', '-n', 'shop', 'port-forward', 'service/web', '8080:80'],
      node_ports: [{ address: '10.0.0.1', port: 31000, protocol: 'TCP' }],
      load_balancer: [],
      pending: true,
    });
  });
});

describe('kubeconfig', () => {
  let dir: string;
  const config = (server: string, context: string, namespace?: string) =>
    `apiVersion: v1\nkind: Config\nclusters: [{name: ${context}, cluster: {server: "${server}"}}]\nusers: [{name: u, user: {token: t}}]\ncontexts: [{name: ${context}, context: {cluster: ${context}, user: u${namespace ? `, namespace: ${namespace}` : ''}}}]\ncurrent-context: ${context}\n`;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kitten-kubeconfig-'));
    await writeFile(join(dir, 'a'), config('https://a.example:6443', 'a'));
    await writeFile(join(dir, 'b'), config('https://b.example:6443', 'b', 'team'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('merges a KUBECONFIG list and switches context', () => {
    const kc = loadKubeConfig({ env: { KUBECONFIG: `${join(dir, 'a')}:${join(dir, 'b')}` }, context: 'b' });
    expect(kc.getCurrentCluster()?.server).toBe('https://b.example:6443');
  });

  it('names the known contexts when --context is wrong', () => {
    expect(() => loadKubeConfig({ kubeconfig: join(dir, 'a'), context: 'nope' })).toThrow(
      /no context "nope" in the kubeconfig/,
    );
    try {
      loadKubeConfig({ kubeconfig: join(dir, 'a'), context: 'nope' });
    } catch (error) {
      expect((error as { hint: string }).hint).toBe('known contexts: a');
    }
  });

  it('says when the kubeconfig file does not exist', () => {
    expect(() => loadKubeConfig({ kubeconfig: join(dir, 'missing') })).toThrow(
      /kubeconfig .*missing does not exist/,
    );
  });
});
