import { describe, expect, it } from 'vitest';
import { parseCommandLine } from '../../src/tui/model/command-line.js';
import { fuzzyFilter, fuzzyScore } from '../../src/tui/model/fuzzy.js';
import { issueCounts, issueRows } from '../../src/tui/model/issue-rows.js';
import { editLine } from '../../src/tui/model/line-edit.js';
import { reselect } from '../../src/tui/model/selection.js';
import { formatPort, stackRows } from '../../src/tui/model/stack-rows.js';
import { formatLine, layoutColumns, truncate } from '../../src/tui/model/table-layout.js';
import { move, viewportFor } from '../../src/tui/model/viewport.js';
import { container, issue } from './support/fake-session.js';

describe('fuzzy filter', () => {
  it.each([
    ['crash', 'checkout-7d9 CrashLoopBackOff', true],
    ['clb', 'CrashLoopBackOff', true],
    ['shop chk', 'shop/checkout', true],
    ['shop chk', 'web/checkout', false],
    ['zz', 'checkout', false],
    ['', 'anything', true],
    ['oom', 'critical  Job  shop/db-migrate  BackoffLimitExceeded: backoff limit reached', false],
    ['oom', 'container recommendations was OOMKilled', true],
  ])('%j matches %j: %s', (query, text, matches) => {
    expect(fuzzyScore(query, text) !== null).toBe(matches);
  });

  it('ranks a substring above a scattered match and keeps ties in their original order', () => {
    const items = ['checkout-rollout', 'crashloop', 'cart', 'redis-cr'];
    expect(fuzzyFilter(items, 'cr', (s) => s)[0]).toBe('crashloop');
    expect(fuzzyFilter(['b-x', 'a-x', 'c-x'], 'x', (s) => s)).toEqual(['b-x', 'a-x', 'c-x']);
  });
});

describe('viewport', () => {
  it.each([
    // total, selected, previous offset, height → offset
    [5, 4, 0, 10, 0],
    [100, 0, 0, 10, 0],
    [100, 9, 0, 10, 0],
    [100, 10, 0, 10, 1],
    [100, 50, 45, 10, 45],
    [100, 44, 45, 10, 44],
    [100, 99, 0, 10, 90],
    [100, 5, 95, 10, 5],
  ])('total %i selected %i offset %i height %i → offset %i', (total, selected, offset, height, expected) => {
    const view = viewportFor(total, selected, offset, height);
    expect(view.offset).toBe(expected);
    expect(selected >= view.offset && selected < view.end).toBe(true);
  });

  it.each([
    ['down', 0, 1],
    ['up', 0, 0],
    ['pageDown', 0, 9],
    ['pageUp', 50, 41],
    ['top', 50, 0],
    ['bottom', 5, 99],
  ] as const)('%s from %i lands on %i', (motion, from, to) => {
    expect(move(from, 100, motion, 10)).toBe(to);
  });
});

describe('selection follows the row key', () => {
  it.each([
    ['a row inserted above', 'b', 1, ['x', 'a', 'b', 'c'], 2],
    ['the row removed: same index, clamped', 'c', 2, ['a', 'b'], 1],
    ['no previous key', undefined, 3, ['a', 'b', 'c', 'd', 'e'], 3],
    ['empty table', 'a', 4, [], 0],
  ] as const)('%s', (_name, key, index, keys, expected) => {
    expect(reselect(key, index, keys)).toBe(expected);
  });
});

describe('command mode', () => {
  const tabs = [
    { id: 'issues', aliases: ['issues', 'iss'] },
    { id: 'Pod', aliases: ['pods', 'pod', 'po'] },
    { id: 'Deployment', aliases: ['deployments', 'deploy'] },
  ];
  it.each([
    [':pods', { type: 'tab', id: 'Pod' }],
    ['deploy', { type: 'tab', id: 'Deployment' }],
    [':po shop', { type: 'tab', id: 'Pod', namespace: 'shop' }],
    [':ns shop', { type: 'namespace', namespace: 'shop' }],
    [':ns all', { type: 'namespace', namespace: null }],
    [':ctx prod-eu', { type: 'context', name: 'prod-eu' }],
    [':q', { type: 'quit' }],
    [':quit', { type: 'quit' }],
  ])('%s', (text, expected) => {
    expect(parseCommandLine(text, tabs)).toEqual(expected);
  });

  it.each([':ns', ':ctx', ':', ':frobnicate'])('%s is an error with a way forward', (text) => {
    const parsed = parseCommandLine(text, tabs);
    expect(parsed.type).toBe('error');
    expect(parsed.type === 'error' && parsed.message).toMatch(/try|e\.g\./);
  });
});

describe('table layout', () => {
  const columns = [
    { header: 'NAME' },
    { header: 'STATUS' },
    { header: 'NODE', wide: true },
    { header: 'MESSAGE' },
  ];
  const rows = [
    { cells: ['checkout-7d9f', 'CrashLoopBackOff', 'node-1', 'back-off restarting failed container'] },
  ];

  it('gives the last column the rest of the line', () => {
    const layout = layoutColumns(columns, rows, 120);
    expect(layout.shown).toEqual([0, 1, 2, 3]);
    expect(formatLine(rows[0]!.cells, layout)).toBe(
      'checkout-7d9f  CrashLoopBackOff  node-1  back-off restarting failed container',
    );
  });

  it('drops wide columns first when the terminal is narrow', () => {
    const layout = layoutColumns(columns, rows, 60);
    expect(layout.shown).toEqual([0, 1, 3]);
    expect(formatLine(rows[0]!.cells, layout).length).toBeLessThanOrEqual(60);
  });

  it.each([
    ['abcdef', 4, 'abc…'],
    ['abc', 4, 'abc'],
    ['abc', 0, ''],
  ])('truncate(%j, %i) = %j', (text, width, expected) => {
    expect(truncate(text, width)).toBe(expected);
  });
});

describe('line editing', () => {
  it.each([
    ['abc', 'd', {}, 'abcd'],
    ['abc', '', { backspace: true }, 'ab'],
    ['restart web now', 'w', { ctrl: true }, 'restart web '],
    ['abc', 'u', { ctrl: true }, ''],
    ['abc', '', { return: true }, 'abc'],
    ['abc', '\u001b[200~', {}, 'abc[200~'],
  ])('%j + %j %j = %j', (value, input, key, expected) => {
    expect(editLine(value, input, key)).toBe(expected);
  });
});

describe('issue and stack rows', () => {
  it('puts critical issues first and shows the first error', () => {
    const rows = issueRows([
      issue({ name: 'web', severity: 'warning', errors: ['1 of 3 replicas unavailable'] }),
      issue({ name: 'checkout', errors: ['back-off 5m0s restarting failed container', 'second'] }),
    ]);
    expect(rows.map((r) => r.name)).toEqual(['checkout', 'web']);
    expect(rows[0]!.cells).toEqual([
      'critical',
      'Pod',
      'shop/checkout',
      'Pod',
      'builtin',
      'back-off 5m0s restarting failed container',
    ]);
    expect(rows[0]!.tone).toBe('critical');
    expect(issueCounts([issue({ name: 'a' }), issue({ name: 'b', severity: 'warning' })])).toEqual({
      critical: 1,
      warning: 1,
    });
  });

  it('prints containers as `kitten ps` does, exited ones with their code', () => {
    const exited = { ...container('shop-db-1', 'exited'), exit_code: 137 };
    const rows = stackRows([container('shop-web-1'), exited]);
    expect(rows.map((r) => r.cells[2])).toEqual(['exited (137)', 'running']);
    expect(rows[1]!.cells[7]).toBe('0.0.0.0:8080->80/tcp');
    expect(rows[0]!.tone).toBe('warning');
    expect(formatPort({ host: null, container: 53, protocol: 'udp', host_ip: null })).toBe('53/udp');
  });
});
