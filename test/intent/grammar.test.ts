import { describe, expect, it } from 'vitest';
import { resolveAgainst } from '../../src/engine/intent/context.js';
import { normalize } from '../../src/engine/intent/normalize.js';
import { parseIntent } from '../../src/engine/intent/parse.js';
import { tokenize } from '../../src/engine/intent/tokenize.js';

describe('tokenizer', () => {
  it.each([
    ["show my-app's logs", ['show', 'my-app', 'logs']],
    ['what’s running?', ['what', 'is', 'running']],
    ['run "ls -la" in web.', ['run', 'ls -la', 'in', 'web']],
    ['pull nginx:1.27, please', ['pull', 'nginx:1.27', 'please']],
    ['logs of redis.cache', ['logs', 'of', 'redis.cache']],
    ['run `id` in web', ['run', 'id', 'in', 'web']],
  ])('%j → %j', (text, words) => {
    expect(tokenize(text).map((t) => t.text)).toEqual(words);
  });

  it('remembers possessives', () => {
    expect(tokenize("web's").map((t) => t.possessive)).toEqual([true]);
  });
});

describe('normalizer: numbers and durations', () => {
  const normal = (text: string) =>
    normalize(tokenize(text)).map((w) => w.dur ?? (w.num !== undefined ? w.num : w.lower));
  it.each([
    ['fifty', [50]],
    ['twenty five', [25]],
    ['twenty-five', [25]],
    ['a hundred', [100]],
    ['one hundred and fifty', [150]],
    ['two thousand', [2000]],
    ['a dozen', [12]],
    ['50 100', [50, 100]],
    ['ten minutes', ['10m']],
    ['an hour', ['1h']],
    ['half an hour', ['30m']],
    ['2 days', ['48h']],
    ['1 week', ['168h']],
    ['90 seconds', ['90s']],
    ['1h30m', ['1h30m']],
    ['3d', ['72h']],
    ['a container', ['a', 'container']],
  ])('%j → %j', (text, expected) => {
    expect(normal(text)).toEqual(expected);
  });
});

describe('slot rules', () => {
  it.each([
    ['since 10 minutes ago', { since: '10m' }],
    ['in the last hour', { since: '1h' }],
    ['over the past 3 days', { since: '72h' }],
    ['--since=5m', { since: '5m' }],
    ['in the shop namespace', { namespace: 'shop' }],
    ['in namespace shop', { namespace: 'shop' }],
    ['-n shop', { namespace: 'shop' }],
    ['--namespace=shop', { namespace: 'shop' }],
    ['across all namespaces', { allNamespaces: true }],
    ['-A', { allNamespaces: true }],
    ['last 50 lines', { lines: 50 }],
    ['tail -50', { lines: 50 }],
    ['--tail=7', { lines: 7 }],
    ['the 30 most recent lines', { lines: 30 }],
    ['to three replicas', { replicas: 3 }],
    ['forward port 8080 to 80', { ports: { local: 8080, remote: 80 } }],
    ['5432:5432', { ports: { local: 5432, remote: 5432 } }],
  ])('%j fills %j', (text, slots) => {
    expect(parseIntent(text)).toMatchObject(slots);
  });

  it('takes a command to run out of the sentence before anything else reads it', () => {
    expect(parseIntent('run "grep -c error /var/log/app.log" in web').execArgv).toEqual([
      'grep',
      '-c',
      'error',
      '/var/log/app.log',
    ]);
  });
});

describe('context names resolve near-misses only when exactly one fits', () => {
  it.each([
    [['my-app'], ['my-app', 'web'], 'resolved'],
    [['my app', 'my-app'], ['my-app', 'web'], 'resolved'],
    [['myapp'], ['my-app', 'my_app'], 'ambiguous'],
    [['my-ap'], ['my-app', 'my-api'], 'ambiguous'],
    [['chekout'], ['checkout'], 'resolved'],
    [['db'], ['db-1', 'db-2'], 'none'],
    [['web'], [], 'none'],
  ])('%j in %j → %s', (variants, pool, status) => {
    expect(resolveAgainst(variants, pool).status).toBe(status);
  });
});
