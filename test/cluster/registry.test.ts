import { describe, expect, it } from 'vitest';
import { humanDuration } from '../../src/engine/cluster/age.js';
import {
  columnsFor,
  findKind,
  hasCapability,
  registerResourceKind,
  resolveKind,
  resourceKinds,
  rowsFor,
} from '../../src/engine/cluster/registry.js';
import { fixture, NOW } from './fixtures.js';

describe('kubectl ages', () => {
  it.each([
    [-5_000, '<invalid>'],
    [0, '0s'],
    [119_000, '119s'],
    [150_000, '2m30s'],
    [600_000, '10m'],
    [3 * 3600_000 + 5 * 60_000, '3h5m'],
    [30 * 3600_000, '30h'],
    [3 * 86400_000 + 4 * 3600_000, '3d4h'],
    [40 * 86400_000, '40d'],
    [(3 * 365 + 20) * 86400_000, '3y20d'],
    [9 * 365 * 86400_000, '9y'],
  ])('%i ms → %s', (ms, text) => {
    expect(humanDuration(ms)).toBe(text);
  });
});

describe('kind names', () => {
  it.each([
    ['po', 'Pod'],
    ['pods', 'Pod'],
    ['Pod', 'Pod'],
    ['deploy', 'Deployment'],
    ['deployments.apps', 'Deployment'],
    ['svc', 'Service'],
    ['hpa', 'HorizontalPodAutoscaler'],
    ['pvc', 'PersistentVolumeClaim'],
    ['ev', 'Event'],
    ['netpol', 'NetworkPolicy'],
  ])('%s resolves to %s', (name, kind) => {
    expect(resolveKind(name).kind).toBe(kind);
  });

  it('rejects an unknown kind with the known ones as the hint', () => {
    expect(() => resolveKind('widgets')).toThrowError(/unknown resource kind "widgets"/);
    try {
      resolveKind('widgets');
    } catch (error) {
      expect((error as { hint: string }).hint).toContain('pods (po)');
      expect((error as { kind: string }).kind).toBe('usage');
    }
  });

  it('knows what a person can do with each kind', () => {
    expect(hasCapability('Pod', 'loggable')).toBe(true);
    expect(hasCapability('Deployment', 'scalable')).toBe(true);
    expect(hasCapability('Deployment', 'restartable')).toBe(true);
    expect(hasCapability('Service', 'scalable')).toBe(false);
    expect(hasCapability('Node', 'deletable')).toBe(false);
  });

  it('takes a plugin kind and gives it a table', () => {
    registerResourceKind({
      kind: 'Certificate',
      plural: 'certificates',
      singular: 'certificate',
      shortNames: ['cert'],
      group: 'cert-manager.io',
      version: 'v1',
      namespaced: true,
      capabilities: ['describable'],
      columns: [
        { header: 'READY', value: (o) => ((o.status as { ready?: boolean })?.ready ? 'True' : 'False') },
      ],
    });
    expect(findKind('cert')?.kind).toBe('Certificate');
    expect(resourceKinds.some((k) => k.kind === 'Certificate')).toBe(true);
    expect(columnsFor('Certificate').map((c) => c.header)).toEqual(['NAME', 'READY']);
  });
});

describe('tables from broken-shop', () => {
  const table = async (
    kind: string,
    ns: string,
    options: { wide?: boolean; allNamespaces?: boolean } = {},
  ) => {
    const snapshot = await fixture('broken-shop.yaml');
    const headers = columnsFor(kind, options).map((c) => c.header);
    const rows = rowsFor(kind, snapshot.ofKind(kind, ns), { now: NOW, ...options });
    return rows.map((r) => Object.fromEntries(headers.map((h, i) => [h, r.cells[i]])));
  };

  it('pods show READY, STATUS, RESTARTS with the last restart, AGE as kubectl does', async () => {
    const rows = await table('Pod', 'shop');
    const cart = rows.find((r) => String(r.NAME).startsWith('cart-'));
    expect(cart).toMatchObject({ READY: '0/1', STATUS: 'CrashLoopBackOff', AGE: '12d' });
    expect(cart?.RESTARTS).toMatch(/^1[45] \(3m ago\)$/);
    expect(rows.find((r) => String(r.NAME).startsWith('frontend-'))).toMatchObject({
      READY: '1/1',
      STATUS: 'Running',
      RESTARTS: '0',
    });
    expect(rows.find((r) => r.NAME === 'search-index-0')).toMatchObject({
      READY: '0/1',
      STATUS: 'Pending',
      AGE: '120m',
    });
    expect(rows.find((r) => String(r.NAME).startsWith('orders-'))?.STATUS).toBe('CreateContainerConfigError');
    expect(rows.find((r) => String(r.NAME).startsWith('inventory-'))).toMatchObject({
      READY: '0/1',
      STATUS: 'Running',
    });
  });

  it('deployments show READY, UP-TO-DATE, AVAILABLE, and images only when wide', async () => {
    const rows = await table('Deployment', 'shop', { wide: true });
    expect(rows.find((r) => r.NAME === 'checkout')).toMatchObject({
      READY: '1/2',
      'UP-TO-DATE': '1',
      AVAILABLE: '1',
      IMAGES: 'registry.example.com/shop/checkout:2.3.0-rc1',
    });
    expect(columnsFor('Deployment').map((c) => c.header)).toEqual([
      'NAME',
      'READY',
      'UP-TO-DATE',
      'AVAILABLE',
      'AGE',
    ]);
  });

  it('services, nodes, pvcs, hpas and events have their kubectl columns', async () => {
    expect((await table('Service', 'shop')).find((r) => r.NAME === 'frontend')).toMatchObject({
      TYPE: 'ClusterIP',
      'EXTERNAL-IP': '<none>',
      'PORT(S)': '80/TCP',
    });
    expect((await table('Node', '')).find((r) => r.NAME === 'shop-prod-node-4')).toMatchObject({
      STATUS: 'NotReady',
      ROLES: 'worker',
      VERSION: 'v1.31.2',
    });
    expect(
      (await table('PersistentVolumeClaim', 'shop')).find((r) => r.NAME === 'media-cache'),
    ).toMatchObject({
      STATUS: 'Bound',
      CAPACITY: '20Gi',
      'ACCESS MODES': 'RWO',
      STORAGECLASS: 'gp3',
    });
    expect((await table('HorizontalPodAutoscaler', 'shop')).find((r) => r.NAME === 'frontend')).toMatchObject(
      {
        REFERENCE: 'Deployment/frontend',
        TARGETS: 'cpu: 34%/70%',
      },
    );
    const events = await table('Event', 'shop');
    expect(events.at(-1)).toMatchObject({ 'LAST SEEN': '30s', TYPE: 'Warning', REASON: 'Unhealthy' });
  });

  it('prefixes NAMESPACE for all namespaces, but not for cluster-scoped kinds', () => {
    expect(columnsFor('Pod', { allNamespaces: true })[0]?.header).toBe('NAMESPACE');
    expect(columnsFor('Node', { allNamespaces: true })[0]?.header).toBe('NAME');
  });

  it('falls back to NAME and AGE for a kind it does not know', () => {
    expect(columnsFor('Widget').map((c) => c.header)).toEqual(['NAME', 'AGE']);
  });
});
