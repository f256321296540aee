import { describe, expect, it } from 'vitest';
import { analyzeSnapshot } from '../../src/engine/cluster/analysis.js';
import { registerAnalyzer, unregisterAnalyzer } from '../../src/engine/cluster/analyzers/analyzer.js';
import { cronScheduleProblem } from '../../src/engine/cluster/analyzers/batch.js';
import type { FailureMode, Issue } from '../../src/engine/cluster/issue.js';
import { ClusterSnapshot } from '../../src/engine/cluster/snapshot.js';
import { parseSnapshotText } from '../../src/engine/cluster/snapshot-file.js';
import { brokenShopIssues, edgeCaseIssues, fixture, NOW } from './fixtures.js';

function find(
  issues: Issue[],
  kind: string,
  namespace: string,
  name: string | RegExp,
  analyzer?: string,
): Issue {
  const found = issues.find(
    (i) =>
      i.kind === kind &&
      i.namespace === namespace &&
      (typeof name === 'string' ? i.name === name : name.test(i.name)) &&
      (!analyzer || i.analyzer === analyzer),
  );
  if (!found) throw new Error(`no issue for ${kind} ${namespace}/${name}`);
  return found;
}

describe('the healthy fixture', () => {
  it('produces no issue at all', async () => {
    expect(analyzeSnapshot(await fixture('healthy.yaml'), { now: NOW })).toEqual([]);
  });
});

describe('every finding on broken-shop', () => {
  // [kind, namespace, name, mode, text that must appear, severity]
  const cases: [string, string, string | RegExp, FailureMode, string, 'critical' | 'warning'][] = [
    ['Pod', 'shop', /^cart-/, 'CrashLoopBackOff', 'last termination reason Error, exit code 1', 'critical'],
    [
      'Pod',
      'shop',
      /^checkout-/,
      'ImagePullBackOff',
      'registry.example.com/shop/checkout:2.3.0-rc1: not found',
      'critical',
    ],
    ['Pod', 'shop', /^recommendations-/, 'OOMKilled', 'memory limit of 256Mi', 'critical'],
    [
      'Pod',
      'shop',
      /^orders-/,
      'CreateContainerConfigError',
      "couldn't find key DB_PASSWORD in Secret shop/orders-db",
      'critical',
    ],
    [
      'Pod',
      'shop',
      'search-index-0',
      'Unschedulable',
      'pod has unbound immediate PersistentVolumeClaims',
      'critical',
    ],
    ['Pod', 'payments', /^ledger-/, 'Unschedulable', '3 Insufficient memory', 'critical'],
    [
      'Pod',
      'shop',
      /^inventory-/,
      'ReadinessProbeFailed',
      'HTTP probe failed with statuscode: 503',
      'warning',
    ],
    [
      'Deployment',
      'shop',
      'cart',
      'ReplicasUnavailable',
      '0/2 replicas ready (2 pods CrashLoopBackOff)',
      'critical',
    ],
    ['Deployment', 'shop', 'checkout', 'ProgressDeadlineExceeded', 'has timed out progressing', 'warning'],
    [
      'StatefulSet',
      'shop',
      'search-index',
      'ReplicasUnavailable',
      '0/1 replicas ready (1 pod Pending)',
      'critical',
    ],
    ['Service', 'shop', 'legacy-api', 'ServiceNoMatchingPods', 'selector app=legacy-api', 'critical'],
    ['Service', 'shop', 'inventory', 'ServiceNoReadyEndpoints', 'no ready endpoints', 'critical'],
    [
      'Ingress',
      'shop',
      'search',
      'IngressBackendMissing',
      'Service shop/search-api, which does not exist',
      'critical',
    ],
    ['Ingress', 'shop', 'search', 'IngressTlsSecretMissing', 'Secret shop/search-tls', 'critical'],
    [
      'PersistentVolumeClaim',
      'shop',
      'data-search-index-0',
      'PvcPending',
      'storage class fast-ssd does not exist',
      'critical',
    ],
    ['PersistentVolumeClaim', 'payments', 'ledger-archive', 'PvcLost', 'is Lost', 'critical'],
    ['Node', '', 'shop-prod-node-4', 'NodeNotReady', 'Kubelet stopped posting node status', 'critical'],
    ['Job', 'shop', 'db-migrate-29390520', 'JobFailed', 'BackoffLimitExceeded', 'critical'],
    ['CronJob', 'shop', 'abandoned-carts', 'CronJobSuspended', 'is suspended', 'warning'],
    [
      'HorizontalPodAutoscaler',
      'shop',
      'cart',
      'HpaTargetMissing',
      'Deployment shop/cart-v1, which does not exist',
      'critical',
    ],
    [
      'HorizontalPodAutoscaler',
      'shop',
      'inventory',
      'HpaUnableToCompute',
      'missing request for cpu',
      'warning',
    ],
    ['PodDisruptionBudget', 'shop', 'cart', 'PdbBlocksDisruptions', 'allows 0 disruptions', 'warning'],
    [
      'NetworkPolicy',
      'shop',
      'reviews-from-frontend',
      'NetworkPolicySelectsNoPods',
      'app=reviews',
      'warning',
    ],
    ['Deployment', 'shop', 'orders', 'ConfigKeyMissing', 'has no key DB_PASSWORD', 'critical'],
    [
      'Deployment',
      'payments',
      'payments-api',
      'SecretMissing',
      'Secret payments/stripe-credentials',
      'critical',
    ],
  ];
  it.each(cases)('%s %s/%s: %s', async (kind, ns, name, mode, text, severity) => {
    const issues = await brokenShopIssues();
    const issue = issues.find(
      (i) =>
        i.kind === kind &&
        i.namespace === ns &&
        (typeof name === 'string' ? i.name === name : name.test(i.name)) &&
        i.findings.some((f) => f.mode === mode),
    );
    expect(issue, `${kind} ${ns}/${name} ${mode}`).toBeDefined();
    expect(issue?.errors.join('\n')).toContain(text);
    expect(issue?.severity).toBe(severity);
  });

  it('reports healthy objects next to broken ones not at all', async () => {
    const issues = await brokenShopIssues();
    const names = issues.map((i) => `${i.kind}/${i.namespace}/${i.name}`);
    for (const healthy of [
      /^Pod\/shop\/frontend-/,
      /^Deployment\/shop\/frontend$/,
      /^Service\/shop\/frontend$/,
      /^Ingress\/shop\/storefront$/,
      /^HorizontalPodAutoscaler\/shop\/frontend$/,
      /^PodDisruptionBudget\/shop\/frontend$/,
      /^NetworkPolicy\/shop\/frontend-from-ingress$/,
      /^PersistentVolumeClaim\/shop\/media-cache$/,
      /^CronJob\/shop\/(sitemap|db-migrate)$/,
      /^Job\/shop\/sitemap-/,
      /^Node\/\/shop-prod-node-[123]$/,
      /^Deployment\/payments\/fraud-check$/,
      /\/kube-system\//,
      // The old checkout pod still serves: only the new one fails to pull.
      /^Pod\/shop\/checkout-.*(?<!x7xrw)$/,
    ]) {
      expect(
        names.filter((n) => healthy.test(n)),
        String(healthy),
      ).toEqual([]);
    }
  });

  it('gives a pod its owning Deployment (through the ReplicaSet) or StatefulSet as parent', async () => {
    const issues = await brokenShopIssues();
    expect(find(issues, 'Pod', 'shop', /^cart-/).parent).toEqual({ kind: 'Deployment', name: 'cart' });
    expect(find(issues, 'Pod', 'shop', 'search-index-0').parent).toEqual({
      kind: 'StatefulSet',
      name: 'search-index',
    });
    expect(find(issues, 'Job', 'shop', 'db-migrate-29390520').parent).toEqual({
      kind: 'CronJob',
      name: 'db-migrate',
    });
  });

  it('keeps the facts a plan needs: container, image, exit code, missing key', async () => {
    const issues = await brokenShopIssues();
    expect(find(issues, 'Pod', 'shop', /^cart-/).findings[0]?.facts).toMatchObject({
      container: 'cart',
      image: 'registry.example.com/shop/cart:2.4.1',
      exitCode: 1,
      lastReason: 'Error',
    });
    expect(find(issues, 'Pod', 'shop', /^orders-/).findings[0]?.facts).toMatchObject({
      refKind: 'Secret',
      refName: 'orders-db',
      key: 'DB_PASSWORD',
    });
    expect(find(issues, 'Pod', 'shop', /^recommendations-/).findings[0]?.facts).toMatchObject({
      exitCode: 137,
      memoryLimit: '256Mi',
    });
  });
});

describe('the findings broken-shop does not show (edge-cases.yaml)', () => {
  const cases: [string, string, FailureMode, string, 'critical' | 'warning'][] = [
    [
      'DaemonSet',
      'log-shipper',
      'ReplicasUnavailable',
      '0/3 pods ready (1 pod RunContainerError)',
      'critical',
    ],
    ['Pod', 'log-shipper-x7k2p', 'ContainerCannotRun', 'no such file or directory', 'critical'],
    ['Deployment', 'batch-api', 'ReplicaFailure', 'exceeded quota: edge-quota', 'critical'],
    ['Ingress', 'admin', 'IngressClassMissing', 'ingress class nginx, which does not exist', 'warning'],
    ['PodDisruptionBudget', 'old-worker', 'PdbSelectsNoPods', 'app=old-worker', 'warning'],
    ['CronJob', 'report', 'CronJobInvalidSchedule', 'value 25 out of range 0-23', 'critical'],
    ['Node', 'edge-node-1', 'NodePressure', 'DiskPressure', 'warning'],
    ['ReplicaSet', 'batch-api-6f9c7d8b5', 'ReplicaFailure', 'exceeded quota', 'critical'],
    [
      'Pod',
      'report-preview',
      'ConfigMapMissing',
      'ConfigMap edge/report-templates is referenced by volume templates but does not exist',
      'critical',
    ],
  ];
  it.each(cases)('%s %s: %s', async (kind, name, mode, text, severity) => {
    const issue = (await edgeCaseIssues()).find(
      (i) => i.kind === kind && i.name === name && i.findings.some((f) => f.mode === mode),
    );
    expect(issue, `${kind} ${name} ${mode}`).toBeDefined();
    expect(issue?.errors.join('\n')).toContain(text);
    expect(issue?.severity).toBe(severity);
  });

  it('gives a ReplicaSet its Deployment as parent', async () => {
    const rs = (await edgeCaseIssues()).find((i) => i.kind === 'ReplicaSet');
    expect(rs?.parent).toEqual({ kind: 'Deployment', name: 'batch-api' });
  });

  it('an ExternalName Service behind an Ingress is neither missing nor endpoint-less', async () => {
    const issues = await edgeCaseIssues();
    expect(issues.some((i) => i.kind === 'Service')).toBe(false);
    expect(issues.find((i) => i.name === 'admin')?.findings.map((f) => f.mode)).toEqual([
      'IngressClassMissing',
    ]);
  });
});

describe('K8sGPT results', () => {
  it('merge with the builtin issue about the same object and keep the operator explanation', async () => {
    const issues = await brokenShopIssues();
    const cartPods = issues.filter((i) => i.kind === 'Pod' && i.name.startsWith('cart-'));
    const merged = cartPods.filter((i) => i.seenBy.includes('k8sgpt'));
    expect(merged).toHaveLength(1);
    expect(merged[0]?.source).toBe('builtin');
    expect(merged[0]?.seenBy).toEqual(['builtin', 'k8sgpt']);
    expect(merged[0]?.details).toContain('cannot connect to Redis');
    const deploy = find(issues, 'Deployment', 'payments', 'payments-api', 'Deployment');
    expect(deploy.seenBy).toContain('k8sgpt');
  });

  it('become issues with source k8sgpt when only K8sGPT reports them', async () => {
    const issues = await brokenShopIssues();
    const legacy = find(issues, 'ConfigMap', 'shop', 'legacy-config');
    expect(legacy).toMatchObject({ source: 'k8sgpt', analyzer: 'ConfigMap', severity: 'warning' });
    expect(legacy.errors).toEqual(['ConfigMap legacy-config is not used by any pods in the namespace']);
    expect(legacy.details).toContain('Delete it');
  });

  it('are not counted twice: every id is unique', async () => {
    const issues = await brokenShopIssues();
    expect(new Set(issues.map((i) => i.id)).size).toBe(issues.length);
  });

  it('are left out with builtinOnly', async () => {
    const issues = analyzeSnapshot(await fixture('broken-shop.yaml'), { now: NOW, builtinOnly: true });
    expect(issues.some((i) => i.source === 'k8sgpt' || i.seenBy.includes('k8sgpt'))).toBe(false);
  });
});

describe('issue ids', () => {
  it('are stable across runs and 12 hex characters', async () => {
    const first = (await brokenShopIssues()).map((i) => i.id);
    const again = analyzeSnapshot(await fixture('broken-shop.yaml'), { now: NOW }).map((i) => i.id);
    expect(again).toEqual(first);
    for (const id of first) expect(id).toMatch(/^[0-9a-f]{12}$/);
  });
});

describe('filters', () => {
  it('--kind keeps only issues about that kind', async () => {
    const issues = analyzeSnapshot(await fixture('broken-shop.yaml'), { now: NOW, kinds: ['Service'] });
    expect(issues.length).toBeGreaterThan(0);
    expect(new Set(issues.map((i) => i.kind))).toEqual(new Set(['Service']));
  });

  it('-n keeps only issues in that namespace', async () => {
    const issues = analyzeSnapshot(await fixture('broken-shop.yaml'), { now: NOW, namespace: 'payments' });
    expect(issues.length).toBeGreaterThan(0);
    expect(issues.every((i) => i.namespace === 'payments')).toBe(true);
  });

  it('sorts critical before warning', async () => {
    const issues = await brokenShopIssues();
    const firstWarning = issues.findIndex((i) => i.severity === 'warning');
    expect(issues.slice(firstWarning).every((i) => i.severity === 'warning')).toBe(true);
  });
});

describe('the analyzer registry', () => {
  it('runs an analyzer a plugin registers, and stops when it is removed', async () => {
    registerAnalyzer({
      name: 'LatestTag',
      kind: 'Deployment',
      description: 'images pinned to :latest',
      analyze: ({ snapshot }) =>
        snapshot
          .ofKind('Deployment')
          .filter((d) => JSON.stringify(d.spec).includes(':latest'))
          .map((object) => ({
            object,
            severity: 'warning' as const,
            findings: [{ mode: 'Reported' as const, text: 'uses :latest', facts: {} }],
          })),
    });
    try {
      const snapshot = new ClusterSnapshot(
        parseSnapshotText(
          'kind: Deployment\napiVersion: apps/v1\nmetadata: {name: web, namespace: dev}\nspec: {replicas: 0, template: {spec: {containers: [{name: web, image: "nginx:latest"}]}}}\nstatus: {}\n',
        ),
      );
      const issues = analyzeSnapshot(snapshot, { now: NOW });
      expect(issues.map((i) => `${i.analyzer}:${i.name}`)).toEqual(['LatestTag:web']);
    } finally {
      unregisterAnalyzer('LatestTag');
    }
  });
});

describe('cron schedules', () => {
  it.each([
    ['*/30 * * * *', undefined],
    ['0 3 * * mon-fri', undefined],
    ['@hourly', undefined],
    ['CRON_TZ=Europe/Berlin 0 6 * * *', undefined],
    ['*/15 * * *', 'expected 5 fields, found 4'],
    ['0 25 * * *', 'value 25 out of range 0-23 in field 2'],
    ['0 0 * * * *', 'expected 5 fields, found 6'],
  ])('%s → %s', (schedule, problem) => {
    expect(cronScheduleProblem(schedule)).toBe(problem);
  });
});
