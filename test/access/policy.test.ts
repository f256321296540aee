import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadAccess } from '../../src/engine/access/load.js';
import {
  type AccessPolicy,
  applyGrant,
  applyMembership,
  applyRevoke,
  grantedNamespaces,
  isAdmin,
  viewFor,
} from '../../src/engine/access/policy.js';
import { FilePolicyStore, openPolicyStore } from '../../src/engine/access/store.js';

const alice = { user: 'alice', groups: [] };
const bob = { user: 'bob', groups: [] };

function policyWith(...steps: ((p: AccessPolicy | undefined) => AccessPolicy)[]): AccessPolicy {
  let p: AccessPolicy | undefined;
  for (const step of steps) p = step(p);
  return p as AccessPolicy;
}

const grantBobShop = (p: AccessPolicy | undefined) =>
  applyGrant(p, { subject: 'bob', namespace: 'shop', kinds: ['po', 'deploy'] }, alice).policy;

describe('single-user mode (no policy)', () => {
  it('sees and touches everything, including cluster-scoped objects', () => {
    const view = viewFor(undefined, bob);
    expect(view.restricted).toBe(false);
    expect(view.canSee('payments', 'Secret')).toBe(true);
    expect(view.canSee('', 'Node')).toBe(true);
    expect(view.canWrite('kube-system')).toBe(true);
    expect(grantedNamespaces(undefined, bob)).toBe('*');
  });
});

describe('grants', () => {
  it('make the first granter an admin so the policy never locks its author out', () => {
    const result = applyGrant(undefined, { subject: 'bob', namespace: 'shop' }, alice);
    expect(result.bootstrappedAdmin).toBe(true);
    expect(result.policy.admins).toEqual(['alice']);
    expect(isAdmin(result.policy, alice)).toBe(true);
    expect(isAdmin(result.policy, bob)).toBe(false);
  });

  it('normalise kind aliases to kind names', () => {
    const p = policyWith(grantBobShop);
    expect(p.grants).toEqual([
      { subject: 'bob', namespace: 'shop', kinds: ['Deployment', 'Pod'], write: false },
    ]);
  });

  // [namespace, kind, canSee, canWrite] for bob granted read on pods+deployments in shop
  it.each([
    ['shop', 'Pod', true, false],
    ['shop', 'pods', true, false],
    ['shop', 'deployment', true, false],
    ['shop', undefined, true, false],
    ['shop', 'Secret', false, false],
    ['payments', 'Pod', false, false],
    ['', 'Node', false, false],
    ['*', 'Pod', false, false],
  ])('bob in %s sees %s: %s, writes: %s', (ns, kind, see, write) => {
    const view = viewFor(policyWith(grantBobShop), bob);
    expect(view.canSee(ns, kind)).toBe(see);
    expect(view.canWrite(ns, kind)).toBe(write);
  });

  it('--write allows changes, and a re-grant replaces the earlier one', () => {
    const p = policyWith(
      grantBobShop,
      (q) => applyGrant(q, { subject: 'bob', namespace: 'shop', write: true }, alice).policy,
    );
    expect(p.grants).toHaveLength(1);
    const view = viewFor(p, bob);
    expect(view.canWrite('shop', 'Secret')).toBe(true);
  });

  it('a group grant reaches its members, from the policy or from the cluster', () => {
    let p = applyGrant(
      undefined,
      { subject: 'group:payments-team', namespace: 'payments', write: true },
      alice,
    ).policy;
    p = { ...p, groups: { 'payments-team': ['carol'] } };
    expect(viewFor(p, { user: 'carol', groups: [] }).canWrite('payments', 'Pod')).toBe(true);
    expect(viewFor(p, { user: 'dave', groups: ['payments-team'] }).canSee('payments')).toBe(true);
    expect(viewFor(p, { user: 'dave', groups: [] }).canSee('payments')).toBe(false);
  });

  it('group members managed in the policy get the group’s grants, and lose them when removed', () => {
    let p = applyGrant(undefined, { subject: 'group:sre', namespace: 'payments' }, alice).policy;
    p = applyMembership(p, { group: 'group:sre', user: 'erin' }, alice).policy;
    expect(p.groups).toEqual({ sre: ['erin'] });
    expect(viewFor(p, { user: 'erin', groups: [] }).canSee('payments')).toBe(true);
    p = applyMembership(p, { group: 'sre', user: 'erin', remove: true }, alice).policy;
    expect(p.groups).toEqual({});
    expect(viewFor(p, { user: 'erin', groups: [] }).canSee('payments')).toBe(false);
    expect(() => applyMembership(p, { group: 'sre', user: 'erin' }, bob)).toThrowError(
      expect.objectContaining({ code: 'ACCESS_NOT_ADMIN' }),
    );
  });

  it('namespace * covers every namespace and nodes', () => {
    const p = applyGrant(undefined, { subject: 'ops', namespace: '*' }, alice).policy;
    const view = viewFor(p, { user: 'ops', groups: [] });
    expect(view.canSee('', 'Node')).toBe(true);
    expect(view.canSee('anything')).toBe(true);
    expect(grantedNamespaces(p, { user: 'ops', groups: [] })).toBe('*');
  });

  it.each([
    [{ subject: 'bob', namespace: 'Shop' }, 'ACCESS_NAMESPACE_INVALID'],
    [{ subject: 'group:', namespace: 'shop' }, 'ACCESS_SUBJECT_INVALID'],
    [{ subject: 'bob smith', namespace: 'shop' }, 'ACCESS_SUBJECT_INVALID'],
    [{ subject: 'bob', namespace: 'shop', kinds: ['widgets'] }, 'UNKNOWN_KIND'],
  ])('rejects %j with %s', (request, code) => {
    expect(() => applyGrant(undefined, request, alice)).toThrowError(expect.objectContaining({ code }));
  });

  it('only an admin may grant', () => {
    const p = policyWith(grantBobShop);
    expect(() => applyGrant(p, { subject: 'bob', namespace: 'payments' }, bob)).toThrowError(
      expect.objectContaining({ code: 'ACCESS_NOT_ADMIN', kind: 'refused' }),
    );
  });
});

describe('revoke', () => {
  it('removes one kind, then the grant when none is left', () => {
    let p = policyWith(grantBobShop);
    const first = applyRevoke(p, { subject: 'bob', namespace: 'shop', kinds: ['pods'] }, alice);
    expect(first.changed).toEqual([
      { subject: 'bob', namespace: 'shop', kinds: ['Deployment'], write: false },
    ]);
    p = first.policy;
    const second = applyRevoke(p, { subject: 'bob', namespace: 'shop', kinds: ['deploy'] }, alice);
    expect(second.removed).toHaveLength(1);
    expect(viewFor(second.policy, bob).canSee('shop')).toBe(false);
  });

  it('says so when there is nothing to revoke, or no policy at all', () => {
    expect(() => applyRevoke(policyWith(grantBobShop), { subject: 'carol' }, alice)).toThrowError(
      expect.objectContaining({ code: 'ACCESS_NOTHING_TO_REVOKE' }),
    );
    expect(() => applyRevoke(undefined, { subject: 'bob' }, alice)).toThrowError(
      expect.objectContaining({ code: 'ACCESS_NO_POLICY' }),
    );
  });

  it('refuses to leave the policy without an admin', () => {
    expect(() =>
      applyRevoke(policyWith(grantBobShop), { subject: 'alice', admin: true }, alice),
    ).toThrowError(expect.objectContaining({ code: 'ACCESS_LAST_ADMIN' }));
  });
});

describe('the file store and --as', () => {
  let home: string;
  const saved = {
    home: process.env.KITTEN_HOME,
    user: process.env.KITTEN_USER,
    kubeconfig: process.env.KUBECONFIG,
  };
  beforeEach(() => {
    home = mkdtempSync(join(tmpdir(), 'kitten-access-'));
    process.env.KITTEN_HOME = home;
    process.env.KITTEN_USER = 'alice';
    process.env.KUBECONFIG = join(home, 'no-kubeconfig');
  });
  afterEach(() => {
    rmSync(home, { recursive: true, force: true });
    for (const [key, value] of [
      ['KITTEN_HOME', saved.home],
      ['KITTEN_USER', saved.user],
      ['KUBECONFIG', saved.kubeconfig],
    ] as const) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  });

  it('stores the policy under KITTEN_HOME and reads it back', async () => {
    const store = new FilePolicyStore();
    expect(store.file).toBe(join(home, 'access', 'policy.json'));
    expect(await store.load()).toBeUndefined();
    await store.save(policyWith(grantBobShop));
    expect(statSync(store.file).isFile()).toBe(true);
    expect(await store.load()).toEqual(policyWith(grantBobShop));
  });

  it('lets an admin see as another user, and refuses --as to others', async () => {
    await new FilePolicyStore().save(policyWith(grantBobShop));
    const asBob = await loadAccess({ as: 'bob' });
    expect(asBob.identity.user).toBe('bob');
    expect(asBob.actor.user).toBe('alice');
    expect(asBob.view.canSee('payments')).toBe(false);
    process.env.KITTEN_USER = 'bob';
    await expect(loadAccess({ as: 'alice' })).rejects.toMatchObject({
      code: 'ACCESS_AS_NOT_ADMIN',
      kind: 'refused',
    });
  });

  it('reports a hand-broken policy file in one line', async () => {
    const store = new FilePolicyStore();
    await store.save(policyWith(grantBobShop));
    writeFileSync(store.file, '{"version": 2, "grants": []}');
    await expect(store.load()).rejects.toMatchObject({ code: 'ACCESS_POLICY_INVALID' });
  });

  it('rejects a store spec it does not understand', async () => {
    await expect(openPolicyStore('s3://bucket')).rejects.toMatchObject({ code: 'ACCESS_STORE_INVALID' });
  });
});
