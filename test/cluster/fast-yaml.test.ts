import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { readFastYaml, Unsupported } from '../../src/engine/cluster/fast-yaml.js';
import { fixturePath } from './fixtures.js';

const full = (text: string) => parseAllDocuments(text).map((d) => d.toJS());

describe('the fast YAML reader gives what a full YAML parser gives', () => {
  it.each(['broken-shop.yaml', 'healthy.yaml'])('on fixtures/clusters/%s', (name) => {
    const text = readFileSync(fixturePath(name), 'utf8');
    expect(readFastYaml(text)).toEqual(full(text));
  });

  it.each([
    [
      'kubectl list, items not indented',
      'apiVersion: v1\nitems:\n- kind: Pod\n  metadata:\n    name: a\n    labels:\n      app: x\n- kind: Node\n  metadata:\n    name: n\nkind: List\n',
    ],
    [
      'scalars of the core schema',
      "a: 1\nb: -2.5\nc: true\nd: null\ne: ~\nf: \"007\"\ng: 'it''s'\nh: 2026-11-21T12:00:00Z\ni: 0x1F\nj: .inf\nk: 1e3\nl: v1.31.2\nm:\n",
    ],
    ['double-quoted escapes', 'a: "tab\\there \\"q\\" \\u00e9 \\\\ end"\n'],
    ['empty flow collections', 'a: {}\nb: []\nc:\n  - {}\n'],
    [
      'a plain scalar folded over lines, as kubectl wraps long messages',
      'message: 0/4 nodes are available: pod has unbound\n  immediate PersistentVolumeClaims.\nnext: 1\n'.replace(
        ': pod',
        ' pod',
      ),
    ],
    ['a single-quoted scalar over lines', "m: 'back-off 5m0s restarting\n  failed container=cart'\nn: 2\n"],
    [
      'literal and folded block scalars',
      'a: |\n  line one\n  line two\nb: |-\n  kept\n\n  lines\nc: >-\n  folded\n  text\n\n  para\nd: |+\n  keep\n\ne: 1\n',
    ],
    [
      'several documents and comments',
      '# head\n---\nkind: A # not a comment in YAML? it is\n---\n---\nkind: B\n...\n'.replace(
        ' # not a comment in YAML? it is',
        '',
      ),
    ],
    [
      'sequences of scalars and nested sequences',
      'a:\n- x\n- "y"\n-\n  - 1\n  - 2\nb:\n  - c: 1\n    d:\n    - e\n',
    ],
    ['quoted keys and keys with dots and slashes', '"a b": 1\nkubernetes.io/metadata.name: shop\n\'x\': 2\n'],
    ['windows line ends', 'a: 1\r\nb:\r\n  c: 2\r\n'],
  ])('%s', (_name, text) => {
    expect(readFastYaml(text)).toEqual(full(text));
  });

  it.each([
    ['anchors and aliases', 'a: &x {b: 1}\nc: *x\n'],
    ['flow collections with content', 'a: {b: 1, c: [1, 2]}\n'],
    ['tags', 'a: !!str 1\n'],
    ['a comment after a value', 'a: b # c\n'],
  ])('hands %s to the full parser', (_name, text) => {
    expect(() => readFastYaml(text)).toThrow(Unsupported);
  });
});
