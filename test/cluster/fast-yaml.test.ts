import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments, stringify } from 'yaml';
import { largeSnapshotFile, largeSnapshotObjects } from '../../fixtures/clusters/large.js';
import { readFastYaml, Unsupported, YamlToJson } from '../../src/engine/cluster/fast-yaml.js';
import { readYamlDocuments } from '../../src/engine/cluster/snapshot-yaml.js';
import { documentRanges } from '../../src/engine/cluster/yaml-stream.js';
import { KittenError } from '../../src/engine/errors.js';
import { fixturePath } from './fixtures.js';

/** What the full YAML parser gives, with the options the snapshot reader uses. */
const full = (text: string) =>
  parseAllDocuments(text, { uniqueKeys: false }).map((d) => d.toJS({ maxAliasCount: -1 }));
const fullErrors = (text: string) => parseAllDocuments(text, { uniqueKeys: false }).flatMap((d) => d.errors);
const read = (text: string) => readYamlDocuments(Buffer.from(text, 'utf8'), 'test.yaml');

/** The reader agrees with the full parser: the same values, or both refuse the text. */
function expectSameAsFullParser(text: string): void {
  if (fullErrors(text).length > 0) {
    expect(() => read(text)).toThrowError(KittenError);
    return;
  }
  expect(read(text)).toEqual(full(text));
  // toEqual treats -0 as 0 and ignores own __proto__ keys: compare those exactly too.
  expect(JSON.stringify(read(text), (_k, v) => (Object.is(v, -0) ? '-0' : v))).toBe(
    JSON.stringify(full(text), (_k, v) => (Object.is(v, -0) ? '-0' : v)),
  );
}

describe('the snapshot YAML reader gives what the full YAML parser gives', () => {
  it.each(['broken-shop.yaml', 'healthy.yaml', 'edge-cases.yaml'])(
    'on fixtures/clusters/%s, without needing the full parser',
    (name) => {
      const text = readFileSync(fixturePath(name), 'utf8');
      expect(readFastYaml(text)).toEqual(full(text));
      expectSameAsFullParser(text);
    },
  );

  it('on a generated 300-pod snapshot', () => {
    const list = { apiVersion: 'v1', kind: 'List', items: largeSnapshotObjects(300) };
    const text = stringify(list, { lineWidth: 0, aliasDuplicateObjects: false });
    expect(readFastYaml(text)).toEqual(full(text));
  });

  it('on the generated 10,000-pod snapshot, which equals its JSON twin', () => {
    const yaml = readFileSync(largeSnapshotFile(10_000, 'yaml'));
    const json = JSON.parse(readFileSync(largeSnapshotFile(10_000, 'json'), 'utf8'));
    expect(readYamlDocuments(yaml, 'large.yaml')).toEqual([json]);
  }, 120_000);

  it.each([
    [
      'kubectl list, items not indented',
      'apiVersion: v1\nitems:\n- kind: Pod\n  metadata:\n    name: a\n    labels:\n      app: x\n- kind: Node\n  metadata:\n    name: n\nkind: List\n',
    ],
    [
      'numbers, and strings that look like them',
      'a: 1\nb: -2.5\nc: "08"\nd: 08\ne: 1e3\nf: 0x1F\ng: 0o17\nh: +12\ni: -0\nj: .5\nk: 1.\nl: 12:30\nm: 1_000\nn: 0b101\no: 007\np: 12345678901234567890\nq: 1.0\nr: 3920m\ns: 10.1.0.1\nt: 0f298399db\nu: 1e-3\nv: +.5\nw: 9007199254740993\nx: 0\ny: 1e\nz: 2026-11-21\n',
    ],
    ['numbers JSON cannot hold', 'a: .inf\nb: -.Inf\nc: .nan\nd: 1e400\n'],
    [
      'null and booleans of the core schema, and words YAML 1.1 would read as booleans',
      'a: true\nb: True\nc: FALSE\nd: null\ne: ~\nf: Null\ng: yes\nh: no\ni: on\nj: off\nk: y\nl: n\nm: tRUE\nn: "true"\no:\np: nullable\nq: t\n',
    ],
    ['timestamps stay strings', 'h: 2026-11-21T12:00:00Z\ni: 2026-11-21 12:00:00\n'],
    [
      'double-quoted escapes',
      'a: "tab\\there \\"q\\" \\u00e9 \\\\ end"\nb: "\\x41\\U0001F600\\ud83d\\ude00\\/\\e\\0\\N\\_\\a\\v\\ "\nc: "raw\ttab"\nd: "\\q"\n',
    ],
    ['single quotes', "a: 'it''s'\nb: 'back\\slash \"q\"'\nc: ''\nd: 'raw\ttab'\n"],
    ['empty flow collections', 'a: {}\nb: []\nc:\n  - {}\n  - []\n'],
    ['flow collections with content', 'a: {b: 1, c: [1, 2]}\nd:\n- [x, y]\n- {e: f}\n'],
    [
      'a plain scalar folded over lines, as kubectl wraps long messages',
      'message: 0/4 nodes are available pod has unbound\n  immediate PersistentVolumeClaims.\n\n  second paragraph\nnext: 1\n',
    ],
    ['a plain scalar over lines in a sequence', 'a:\n- one\n  two\n- three\n'],
    ['a single-quoted scalar over lines', "m: 'back-off 5m0s restarting\n  failed container=cart'\nn: 2\n"],
    [
      'a double-quoted scalar over lines',
      'm: "back-off\n  restarting\n\n  failed"\nn: "escaped \\\n  break"\n',
    ],
    [
      'literal and folded block scalars',
      'a: |\n  line one\n  line two\nb: |-\n  kept\n\n  lines\nc: >-\n  folded\n  text\n\n  para\nd: |+\n  keep\n\ne: >\n  x\n    more indented\n  y\nf: >+\n  z\n\n',
    ],
    ['block scalars at the end of the document', 'a: |\n  last\n\n\n'],
    ['a keep-chomped block scalar ending a document', 'a: |+\n  last\n\n\n'],
    ['block scalars with leading blank lines', 'a: |\n\n  text\nb: |\n    \n  text\n'],
    ['block scalars with an indentation indicator', 'a: |2\n   indented\nb: >1\n  x\n'],
    ['block scalars with spaces on blank lines', 'a: |\n  one\n    \n  two\n'],
    ['a block scalar in a sequence item', 'a:\n- |\n  x\n  y\n- >-\n  z\n- b: |\n    c\n'],
    ['an empty block scalar', 'a: |\nb: |-\nc: 1\n'],
    [
      'several documents and comments',
      '# head\n---\nkind: A\n---\n---\nkind: B\n...\n---\n# only a comment\n---\nkind: C\n',
    ],
    ['a trailing document marker', 'kind: A\n---\n'],
    ['content after ...', 'a: 1\n...\nb: 2\n'],
    ['a comment on a document marker', '--- # first\na: 1\n'],
    ['a directive', '%YAML 1.2\n---\na: 1\n'],
    ['a byte order mark', '\ufeffa: 1\n'],
    [
      'sequences of scalars and nested sequences',
      'a:\n- x\n- "y"\n-\n  - 1\n  - 2\nb:\n  - c: 1\n    d:\n    - e\n',
    ],
    ['nested inline sequences', 'a:\n- - 1\n  - 2\n- - 3\n'],
    ['extra spaces after a dash', 'a:\n-   b: 1\n    c: 2\n'],
    [
      'quoted keys and keys with dots and slashes',
      "\"a b\": 1\nkubernetes.io/metadata.name: shop\n'x': 2\n\"esc\\taped\": 3\n'it''s': 4\n",
    ],
    ['keys a full parser resolves', '1: a\n1.0: b\nnull: c\ntrue: d\n~: e\n0x10: f\n'],
    ['odd keys', 'a b: 1\n-a: 2\na:b: 3\n"": 4\n__proto__: 5\n'],
    [
      'keys spelled like null and booleans, and keys that only start like them',
      'True: 1\nNULL: 2\nnullable: 3\nfalsey: 4\nnull_: 5\n',
    ],
    ['comment signs inside keys', 'a#b: 1\nc #d: 2\n'],
    ['control characters', 'a: x\u0001y\nb: "x\u0001y"\n'],
    ['backslashes and quotes in plain scalars', 'a: C:\\dir\\"x"\nb: say "hi"\n'],
    ['a complex key', '? a\n: 1\n'],
    ['duplicate keys', 'a: 1\nb: 2\na: 3\n'],
    [
      'managedFields, args and annotations as kubectl writes them',
      'metadata:\n  annotations:\n    kubectl.kubernetes.io/last-applied-configuration: |\n      {"apiVersion":"v1","kind":"Pod","metadata":{"name":"a"}}\n    note: \'{"a": 1}\'\n  managedFields:\n  - apiVersion: v1\n    fieldsType: FieldsV1\n    fieldsV1:\n      f:metadata:\n        f:labels:\n          .: {}\n          f:app: {}\n      f:status:\n        f:conditions:\n          k:{"type":"Ready"}:\n            .: {}\n            f:status: {}\n    manager: kubectl-client-side-apply\n    operation: Update\n    time: "2026-11-21T12:00:00Z"\nspec:\n  containers:\n  - args:\n    - --port=8080\n    - -v\n    - "*"\n    command:\n    - /bin/sh\n    - -c\n    - echo hello && sleep 3600\n    env:\n    - name: EMPTY\n    - name: QUOTED\n      value: "yes"\n    - name: PORT\n      value: "8080"\n',
    ],
    ['flow values among block entries', 'a:\n  b: {c: 1}\n  d:\n  - [1, 2]\n  - x\n  e: 1\n'],
    [
      'a List whose own metadata is in flow style',
      'apiVersion: v1\nkind: List\nmetadata: {resourceVersion: ""}\nitems:\n- kind: Pod\n  metadata: {name: a}\n',
    ],
    ['a same-column sequence with a flow item', 'a:\n- {b: 1}\n- c\nd: 2\n'],
    ['a flow value followed by a comment line', 'a: {b: 1}\n# c\nd: 2\n'],
    ['a tagged keep-chomped block scalar before the next key', 'a: !!str |+\n  x\n\nb: 1\n'],
    ['an odd value under a compact first entry', 'items:\n- a: {b: 1}\n  c: 2\n- a: [1]\n'],
    ['a merge key', 'base: &b\n  x: 1\nderived:\n  <<: *b\n  y: 2\n'],
    ['anchors and aliases across list items', 'items:\n- &a\n  kind: Pod\n- *a\n- b: &c 1\n- d: *c\n'],
    ['tags', 'a: !!str 1\nb: !!int "3"\nc: !custom x\n'],
    [
      'comments between and after entries',
      'a: 1 # one\nb: # two\n  c: 2\n# at column 0\n  d: 3\ne:\n# inside a sequence\n- 1\n  # deeper\n- 2\nf: x#y\ng: "q" # after quotes\n',
    ],
    ['indicators that start a plain scalar', 'a: @x\n'],
    ['a backquote', 'a: `x\n'],
    ['a value that is only a comment', 'a: #c\nb: 1\n'],
    ['a sequence as a value on the key line', 'a: - b\n'],
    ['colons in plain scalars', 'url: http://x:80/y\nc: a:b\ntime: 12:30:00\n'],
    ['a mapping on a value line', 'a: x: y\n'],
    ['content after a quoted scalar', "a: 'x' y\n"],
    ['unicode content', 'name: café\nemoji: 😀\n"ключ": значение\n'],
    ['windows line ends', 'a: 1\r\nb:\r\n  c: 2\r\n  d: |\r\n    x\r\n'],
    ['tabs', 'a:\tb\nc: d\te\n'],
    ['tab indentation', 'a:\n\tb: 1\n'],
    ['over-indented entries', 'a: 1\n  b: 2\n'],
    ['an unterminated quote', 'a: "x\n'],
    ['an empty document', ''],
    ['only comments', '# nothing\n'],
    ['a scalar document', 'just a string\n'],
    ['a document of a sequence', '- a\n- b\n'],
    ['an indented root mapping', '  a: 1\n  b: 2\n'],
  ])('%s', (_name, text) => {
    expectSameAsFullParser(text);
  });
});

describe('what the translator leaves to the full parser', () => {
  it.each([
    ['anchors and aliases', 'a: &x {b: 1}\nc: *x\n'],
    ['flow collections with content', 'a: {b: 1, c: [1, 2]}\n'],
    ['tags', 'a: !!str 1\n'],
    ['a comment after a value', 'a: b # c\n'],
    ['a number JSON cannot hold', 'a: .inf\n'],
    ['a key the full parser would change', '1.0: a\n'],
  ])('%s', (_name, text) => {
    expect(() => readFastYaml(text)).toThrow(Unsupported);
  });

  /** Translates `text`, recording what goes to the full parser; the result must still be the full parser's. */
  function handedToFullParser(text: string): string[] {
    const handed: string[] = [];
    const src = Buffer.from(text);
    const writer = new YamlToJson(src, (fragment) => {
      handed.push(fragment);
      try {
        const docs = parseAllDocuments(fragment);
        if (docs.length !== 1 || docs[0]?.errors.length) throw new Error('errors');
        return docs[0]?.toJS() as never;
      } catch {
        throw new Unsupported('fragment');
      }
    });
    const [range] = documentRanges(src) ?? [];
    const from = writer.document(...(range as [number, number]));
    expect(JSON.parse(writer.out.toString('utf8', from, writer.n))).toEqual(full(text)[0]);
    return handed;
  }

  const pod = (name: string, labels: string) =>
    `- kind: Pod\n  metadata:\n    name: ${name}\n    labels: ${labels}\n`;

  it('hands only the entry whose value it does not understand to the full parser', () => {
    const text = `kind: List\nitems:\n${pod('a', '{}')}${pod('odd', '{app: x}')}${pod('c', '{}')}`;
    expect(handedToFullParser(text)).toEqual(['labels: {app: x}\n']);
  });

  it('hands the list item when the odd entry shares the line with its dash', () => {
    const odd = '- labels: {app: x}\n  name: odd\n';
    const text = `items:\n- name: a\n${odd}- name: c\n`;
    expect(handedToFullParser(text)).toEqual([odd]);
  });

  it('widens to the item when an alias needs an anchor from a sibling entry', () => {
    const item = '- name: p\n  a: &x 1\n  b: *x\n';
    const text = `items:\n${item}- name: q\n`;
    expect(handedToFullParser(text)).toEqual(['a: &x 1\n', 'b: *x\n', item]);
  });
});

/** The line the full parser, reading the whole file, puts the first problem on. */
const problemLine = (text: string) => fullErrors(text)[0]?.linePos?.[0].line;

describe('a malformed snapshot', () => {
  it('names the file and the line of the problem', () => {
    const text =
      'kind: List\nitems:\n- kind: Pod\n  metadata:\n    name: a\n- kind: Pod\n  metadata: {name: [x\n';
    expect(problemLine(text)).toBeGreaterThan(5);
    expect(() => read(text)).toThrowError(
      new RegExp(`^test\\.yaml:${problemLine(text)}:\\d+: not valid YAML: `),
    );
  });

  it('counts lines from the top of the file in a later document', () => {
    const text = 'kind: Pod\nmetadata:\n  name: a\n---\nkind: Pod\nmetadata: {name: [x\n';
    expect(problemLine(text)).toBeGreaterThan(4);
    expect(() => read(text)).toThrowError(
      new RegExp(`^test\\.yaml:${problemLine(text)}:\\d+: not valid YAML: `),
    );
  });

  it('fails as a usage error with a hint, not a stack trace', () => {
    try {
      read('a: "unterminated\n');
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({ code: 'SNAPSHOT_INVALID', kind: 'usage', hint: expect.any(String) });
      expect((error as Error).message).not.toContain('\n');
    }
  });
});
