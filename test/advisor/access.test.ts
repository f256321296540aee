import { describe, expect, it } from 'vitest';
import { applyGrant, viewFor } from '../../src/engine/access/policy.js';
import { advise } from '../../src/engine/advisor/advise.js';
import { snapshotFor } from '../../src/engine/advisor/session.js';
import { analyzeSnapshot } from '../../src/engine/cluster/analysis.js';
import { resourceKinds } from '../../src/engine/cluster/registry.js';
import { visibleObjects, visibleSnapshot } from '../../src/engine/cluster/visible.js';
import { checkArgv } from '../../src/engine/intent/policy.js';
import { fixture, NOW } from '../cluster/fixtures.js';

const admin = { user: 'alice', groups: [] };
const bob = { user: 'bob', groups: [] };
const shopOnly = viewFor(
  applyGrant(undefined, { subject: 'bob', namespace: 'shop', write: true }, admin).policy,
  bob,
);
const podsOnly = viewFor(
  applyGrant(undefined, { subject: 'bob', namespace: 'shop', kinds: ['pods'] }, admin).policy,
  bob,
);

describe('a user granted only shop', () => {
  it('sees no issue outside shop (not payments, not nodes, not kube-system)', async () => {
    const snapshot = await fixture('broken-shop.yaml');
    const everyone = analyzeSnapshot(snapshot, { now: NOW });
    expect(everyone.some((i) => i.namespace === 'payments')).toBe(true);
    expect(everyone.some((i) => i.kind === 'Node')).toBe(true);
    const issues = analyzeSnapshot(snapshot, { now: NOW, access: shopOnly });
    expect(issues.length).toBeGreaterThan(10);
    expect(issues.every((i) => i.namespace === 'shop')).toBe(true);
  });

  it('is not told of problems that only the missing cluster config would cause', async () => {
    const snapshot = snapshotFor(await fixture('broken-shop.yaml'), shopOnly);
    const forBob = analyzeSnapshot(snapshot, { now: NOW, access: shopOnly }).map((i) => i.id);
    const forAdmin = analyzeSnapshot(await fixture('broken-shop.yaml'), { now: NOW, namespace: 'shop' }).map(
      (i) => i.id,
    );
    expect(forBob.sort()).toEqual(forAdmin.sort());
  });

  it('sees no resource outside shop, of any kind', async () => {
    const snapshot = await fixture('broken-shop.yaml');
    for (const kind of resourceKinds.map((k) => k.kind)) {
      const visible = visibleObjects(snapshot, kind, { access: shopOnly });
      expect(
        visible.every((o) => o.metadata.namespace === 'shop'),
        kind,
      ).toBe(true);
    }
    expect(visibleObjects(snapshot, 'Pod', { access: shopOnly }).length).toBeGreaterThan(5);
    expect(visibleObjects(snapshot, 'Node', { access: shopOnly })).toEqual([]);
  });

  it('gets no plan step outside shop: node commands are left out, the rest passes the policy with the grant', async () => {
    const snapshot = visibleSnapshot(await fixture('broken-shop.yaml'), shopOnly);
    const issues = analyzeSnapshot(snapshot, { now: NOW, access: shopOnly });
    let commands = 0;
    for (const issue of issues) {
      for (const mode of ['remediation', 'rca'] as const) {
        const plan = await advise(issue, { mode, snapshot, access: shopOnly, now: NOW, offline: true });
        for (const step of [...plan.steps, ...plan.verification, ...plan.rollback]) {
          if (!step.command) continue;
          commands++;
          expect(step.command).not.toContain('nodes');
          expect(
            checkArgv(step.command, { access: shopOnly, defaultNamespace: 'shop' }).allowed,
            step.command.join(' '),
          ).toBe(true);
          expect(step.command.join(' ')).not.toContain('payments');
        }
      }
    }
    expect(commands).toBeGreaterThan(50);
    const unschedulable = issues.find((i) => i.name === 'search-index-0');
    const plan = await advise(unschedulable!, {
      mode: 'remediation',
      snapshot,
      access: shopOnly,
      now: NOW,
      offline: true,
    });
    expect(plan.steps.some((s) => s.command?.[2] === 'storageclass')).toBe(false);
  });

  it('the ask policy refuses their commands in payments', () => {
    expect(checkArgv(['kubectl', 'get', 'pods', '-n', 'payments'], { access: shopOnly })).toMatchObject({
      allowed: false,
      code: 'POLICY_NAMESPACE',
    });
    expect(checkArgv(['kubectl', 'get', 'nodes'], { access: shopOnly })).toMatchObject({ allowed: false });
  });
});

describe('a read-only grant of pods in shop', () => {
  it('sees only pod issues, and plans without write steps', async () => {
    const snapshot = visibleSnapshot(await fixture('broken-shop.yaml'), podsOnly);
    const issues = analyzeSnapshot(snapshot, { now: NOW, access: podsOnly });
    expect(issues.length).toBeGreaterThan(3);
    expect(new Set(issues.map((i) => i.kind))).toEqual(new Set(['Pod']));
    for (const issue of issues) {
      const plan = await advise(issue, {
        mode: 'remediation',
        snapshot,
        access: podsOnly,
        now: NOW,
        offline: true,
      });
      expect(
        plan.steps.every((s) => s.risk === 'read'),
        issue.name,
      ).toBe(true);
    }
  });
});
