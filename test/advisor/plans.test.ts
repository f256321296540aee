import { describe, expect, it } from 'vitest';
import { advise } from '../../src/engine/advisor/advise.js';
import type { Plan, PlanMode } from '../../src/engine/advisor/plan.js';
import type { Issue } from '../../src/engine/cluster/issue.js';
import { checkArgv } from '../../src/engine/intent/policy.js';
import { brokenShopIssues, edgeCaseIssues, fixture, NOW } from '../cluster/fixtures.js';

const clusterScopedVerbs = new Set(['cordon', 'uncordon', 'drain']);

async function planFor(
  issue: Issue,
  mode: PlanMode,
  file: 'broken-shop.yaml' | 'edge-cases.yaml' = 'broken-shop.yaml',
): Promise<Plan> {
  return advise(issue, { mode, snapshot: await fixture(file), now: NOW, offline: true });
}

async function issueNamed(
  kind: string,
  namespace: string,
  prefix: string,
  analyzer?: string,
): Promise<Issue> {
  const issue = (await brokenShopIssues()).find(
    (i) =>
      i.kind === kind &&
      i.namespace === namespace &&
      i.name.startsWith(prefix) &&
      (!analyzer || i.analyzer === analyzer),
  );
  if (!issue) throw new Error(`no ${kind} ${namespace}/${prefix}`);
  return issue;
}

function commandsOf(plan: Plan): string[][] {
  return [...plan.steps, ...plan.verification, ...plan.rollback].flatMap((s) =>
    s.command ? [s.command] : [],
  );
}

describe('every offline plan for every fixture issue', () => {
  it.each(['broken-shop.yaml', 'edge-cases.yaml'] as const)(
    '%s: names the real object, has steps, and every command passes the ask policy in the issue namespace',
    async (file) => {
      const issues = file === 'broken-shop.yaml' ? await brokenShopIssues() : await edgeCaseIssues();
      expect(issues.length).toBeGreaterThan(file === 'broken-shop.yaml' ? 30 : 6);
      for (const issue of issues) {
        for (const mode of ['remediation', 'rca'] as const) {
          const plan = await planFor(issue, mode, file);
          const label = `${mode} ${issue.kind} ${issue.namespace}/${issue.name}`;
          expect(plan.issueId, label).toBe(issue.id);
          expect(plan.source, label).toBe('offline');
          expect(plan.steps.length, label).toBeGreaterThan(0);
          expect(`${plan.summary} ${plan.steps.map((s) => s.title).join(' ')}`, label).toContain(
            issue.parent?.name ?? issue.name,
          );
          for (const argv of commandsOf(plan)) {
            const verdict = checkArgv(argv, { defaultNamespace: issue.namespace || 'default' });
            expect(verdict.allowed, `${label}: ${argv.join(' ')}`).toBe(true);
            expect(argv[0]).toBe('kubectl');
            const scoped = argv.includes('-n') ? argv[argv.indexOf('-n') + 1] : undefined;
            if (
              issue.namespace &&
              !clusterScopedVerbs.has(argv[1] ?? '') &&
              !argv.includes('nodes') &&
              !argv.includes('storageclass') &&
              !argv.includes('ingressclass') &&
              !argv.includes('persistentvolume')
            ) {
              expect(scoped, `${label}: ${argv.join(' ')}`).toBe(issue.namespace);
            }
          }
          for (const step of [...plan.steps, ...plan.verification, ...plan.rollback]) {
            expect(step.why.length, label).toBeGreaterThan(10);
            expect(step.why, label).not.toMatch(/undefined|\[object Object\]|NaN/);
            expect(step.title, label).not.toMatch(/undefined|NaN/);
            if (step.command && verdictRisk(step.command)) expect(step.risk).toBe(verdictRisk(step.command));
          }
        }
      }
    },
  );
});

function verdictRisk(argv: string[]): string | undefined {
  const v = checkArgv(argv, {});
  return v.allowed ? v.risk : undefined;
}

describe('plans are filled from the issue’s facts', () => {
  it('a crash loop: container, image, exit code, the last output, the dependency', async () => {
    const plan = await planFor(await issueNamed('Pod', 'shop', 'cart-'), 'remediation');
    expect(plan.summary).toContain('registry.example.com/shop/cart:2.4.1');
    expect(plan.summary).toContain('exit code 1');
    expect(plan.summary).toContain('panic: dial tcp 10.96.44.12:6379');
    const logs = plan.steps.find((s) => s.command?.includes('logs'));
    expect(logs?.command).toEqual([
      'kubectl',
      'logs',
      expect.stringMatching(/^cart-/),
      '-c',
      'cart',
      '--previous',
      '--tail=50',
      '-n',
      'shop',
    ]);
    expect(plan.steps.some((s) => s.title.includes('10.96.44.12:6379'))).toBe(true);
    expect(plan.steps.at(-1)).toMatchObject({
      command: ['kubectl', 'rollout', 'restart', 'deployment/cart', '-n', 'shop'],
      risk: 'write',
    });
  });

  it('a bad image tag: rolls back to the revision that still has the old image', async () => {
    const plan = await planFor(await issueNamed('Pod', 'shop', 'checkout-'), 'remediation');
    expect(plan.summary).toContain('the tag registry.example.com/shop/checkout:2.3.0-rc1 does not exist');
    expect(plan.steps).toContainEqual(
      expect.objectContaining({
        command: ['kubectl', 'rollout', 'undo', 'deployment/checkout', '--to-revision=1', '-n', 'shop'],
        risk: 'write',
        title: expect.stringContaining('registry.example.com/shop/checkout:2.2.9'),
      }),
    );
  });

  it('OOMKilled: doubles the real memory limit', async () => {
    const plan = await planFor(await issueNamed('Pod', 'shop', 'recommendations-'), 'remediation');
    expect(plan.steps.some((s) => s.title.includes('from 256Mi to 512Mi'))).toBe(true);
    // The raise is a runnable write the ask policy allows, on the owning Deployment.
    const raise = plan.steps.find((s) => s.title.includes('from 256Mi to 512Mi'));
    expect(raise?.command).toEqual([
      'kubectl',
      'set',
      'resources',
      'deployment/recommendations',
      '-c',
      'recommendations',
      '--limits=memory=512Mi',
      '--requests=memory=512Mi',
      '-n',
      'shop',
    ]);
    expect(raise?.risk).toBe('write');
  });

  it('a missing key: names the Secret and the key', async () => {
    const plan = await planFor(
      await issueNamed('Deployment', 'shop', 'orders', 'ConfigReference'),
      'remediation',
    );
    expect(plan.steps[0]?.command).toEqual(['kubectl', 'describe', 'secret', 'orders-db', '-n', 'shop']);
    expect(plan.steps.some((s) => s.title === 'Add DB_PASSWORD to Secret orders-db')).toBe(true);
  });

  it('unschedulable on memory: compares the request with the largest node', async () => {
    const plan = await planFor(await issueNamed('Pod', 'payments', 'ledger-'), 'remediation');
    expect(
      plan.steps.some((s) =>
        s.title.includes('24.0Gi is more than any node offers: the largest allocatable is 14.4Gi'),
      ),
    ).toBe(true);
  });

  it('unschedulable on a claim: points at the claim', async () => {
    const plan = await planFor(await issueNamed('Pod', 'shop', 'search-index-0'), 'remediation');
    expect(plan.steps).toContainEqual(
      expect.objectContaining({
        command: ['kubectl', 'describe', 'persistentvolumeclaim', 'data-search-index-0', '-n', 'shop'],
      }),
    );
  });

  it('a workload explains itself through its failing pod', async () => {
    const plan = await planFor(
      await issueNamed('Deployment', 'shop', 'recommendations', 'Deployment'),
      'remediation',
    );
    expect(plan.summary).toContain('0/1 replicas ready');
    expect(plan.summary).toContain('OOMKilled');
  });

  it('a plan for an issue K8sGPT also reported carries K8sGPT’s explanation', async () => {
    const issue = (await brokenShopIssues()).find((i) => i.seenBy.includes('k8sgpt') && i.kind === 'Pod');
    const plan = await planFor(issue as Issue, 'remediation');
    expect(plan.k8sgptDetails).toContain('cannot connect to Redis');
  });

  it('a K8sGPT-only issue carries K8sGPT’s explanation', async () => {
    const plan = await planFor(await issueNamed('ConfigMap', 'shop', 'legacy-config'), 'remediation');
    expect(plan.steps.some((s) => s.why.includes('kubectl delete configmap legacy-config -n shop'))).toBe(
      true,
    );
  });

  it('a quota refusal: says how much of the quota is left', async () => {
    const issue = (await edgeCaseIssues()).find((i) => i.name === 'batch-api');
    const plan = await planFor(issue as Issue, 'remediation', 'edge-cases.yaml');
    expect(
      plan.steps.some(
        (s) =>
          s.title ===
          'Fit the pod in quota edge-quota: it asks 4Gi of requests.memory, only 2.0Gi of 12Gi is left',
      ),
    ).toBe(true);
  });

  it('a destructive step is marked destructive by the policy', async () => {
    const plan = await planFor(await issueNamed('Job', 'shop', 'db-migrate-'), 'remediation');
    expect(plan.steps).toContainEqual(
      expect.objectContaining({
        command: ['kubectl', 'delete', 'job', 'db-migrate-29390520', '-n', 'shop'],
        risk: 'destructive',
      }),
    );
  });

  it('an RCA reproduces, changes upstream, and prevents', async () => {
    const plan = await planFor(await issueNamed('Pod', 'shop', 'recommendations-'), 'rca');
    expect(plan.mode).toBe('rca');
    expect(plan.steps[0]?.title).toMatch(/^Reproduce/);
    expect(plan.steps.some((s) => s.edit?.includes('GOMEMLIMIT'))).toBe(true);
    expect(plan.steps.some((s) => /Alert/.test(s.title))).toBe(true);
    expect(plan.rollback).toEqual([]);
  });

  it('keeps the person’s extra context with the plan', async () => {
    const issue = await issueNamed('Pod', 'shop', 'cart-');
    const plan = await advise(issue, {
      mode: 'remediation',
      snapshot: await fixture('broken-shop.yaml'),
      now: NOW,
      userContext: 'redis was migrated last night',
    });
    expect(plan.context).toBe('redis was migrated last night');
  });
});
