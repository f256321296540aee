import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Issue } from '../../src/engine/cluster/issue.js';
import { findIssue } from '../../src/engine/cluster/issue-lookup.js';
import { loadSnapshot, parseSnapshotText, SnapshotSource } from '../../src/engine/cluster/snapshot-file.js';
import { fixturePath } from './fixtures.js';

describe('snapshot formats', () => {
  it('reads a kind: List as kubectl get -A -o yaml writes it', () => {
    const objects = parseSnapshotText(
      'apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Pod\n  metadata: {name: a, namespace: x}\n- apiVersion: v1\n  kind: Service\n  metadata: {name: b, namespace: x}\nmetadata: {resourceVersion: ""}\n',
    );
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(['Pod/a', 'Service/b']);
  });

  it('reads multi-document YAML', () => {
    const objects = parseSnapshotText(
      'kind: Pod\nmetadata: {name: a}\n---\nkind: Node\nmetadata: {name: n1}\n---\n',
    );
    expect(objects.map((o) => o.kind)).toEqual(['Pod', 'Node']);
  });

  it('reads JSON, including a typed PodList whose items carry no kind', () => {
    const objects = parseSnapshotText(
      JSON.stringify({ kind: 'PodList', apiVersion: 'v1', items: [{ metadata: { name: 'a' } }] }),
    );
    expect(objects).toEqual([{ kind: 'Pod', metadata: { name: 'a' } }]);
  });

  it('reads a JSON array of objects', () => {
    expect(parseSnapshotText('[{"kind":"Node","metadata":{"name":"n"}}]')).toHaveLength(1);
  });

  it.each([
    ['kind: Pod\nmetadata: {name: [unclosed\n', /not valid YAML/],
    ['{"kind": ', /not valid JSON/],
    ['kind: Pod\nmetadata: {}\n', /object #1 has no metadata.name/],
    ['- metadata: {name: x}\n', /has no kind/],
    ['just a string\n', /expected Kubernetes objects/],
  ])('rejects %j with one clear line', (text, message) => {
    expect(() => parseSnapshotText(text, 'bad.yaml')).toThrowError(message);
  });

  it('says how to record a snapshot when the file is missing', async () => {
    await expect(loadSnapshot('/nonexistent/cluster.yaml')).rejects.toMatchObject({
      code: 'SNAPSHOT_NOT_FOUND',
      kind: 'usage',
      hint: expect.stringContaining('kitten codex snapshot'),
    });
  });

  it('loads the broken-shop fixture through the source interface', async () => {
    const source = await SnapshotSource.open(fixturePath('broken-shop.yaml'));
    expect(source.mode).toBe('snapshot');
    const pods = await source.list('Pod', { namespace: 'payments' });
    expect(pods.length).toBeGreaterThan(0);
    expect(pods.every((p) => p.metadata.namespace === 'payments')).toBe(true);
    const scoped = await source.snapshot({ namespace: 'shop' });
    expect(scoped.namespaces()).toEqual(['shop']);
  });

  it('round-trips a file written back out', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kitten-snap-'));
    const file = join(dir, 'one.json');
    writeFileSync(
      file,
      JSON.stringify({
        kind: 'List',
        items: [{ kind: 'Secret', metadata: { name: 's', namespace: 'n' }, data: { k: 'dg==' } }],
      }),
    );
    const snapshot = await loadSnapshot(file);
    expect(snapshot.get('Secret', 'n', 's')).toMatchObject({ data: { k: 'dg==' } });
  });
});

describe('issue ids by prefix', () => {
  const issue = (id: string, name: string) => ({ id, kind: 'Pod', namespace: 'shop', name }) as Issue;
  const issues = [issue('5f9157d21e55', 'a'), issue('5f91aaaaaaaa', 'b'), issue('26a258095376', 'c')];

  it.each([
    ['26a258095376', 'c'],
    ['26a', 'c'],
    ['5f915', 'a'],
    ['5F91A', 'b'],
  ])('%s finds %s', (prefix, name) => {
    expect(findIssue(issues, prefix).name).toBe(name);
  });

  it.each([
    ['5f91', 'ISSUE_ID_AMBIGUOUS'],
    ['ffff', 'ISSUE_NOT_FOUND'],
    ['cart', 'ISSUE_ID_INVALID'],
  ])('%s fails with %s', (prefix, code) => {
    expect(() => findIssue(issues, prefix)).toThrowError(expect.objectContaining({ code }));
  });
});
