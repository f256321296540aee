import { describe, expect, it } from 'vitest';
import { parseAllDocuments, stringify } from 'yaml';
import { readYamlDocuments } from '../../src/engine/cluster/snapshot-yaml.js';

/** A seeded generator, so a failure names a seed that reproduces it. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const pieces = [
  'a',
  'pod',
  ' ',
  '  ',
  ': ',
  ':',
  ' #',
  '#',
  '-',
  '- ',
  '"',
  "'",
  '\\',
  '\t',
  '\n',
  '\n\n',
  'é',
  '😀',
  '{',
  '}',
  '[',
  ']',
  ',',
  '&x',
  '*x',
  '!',
  '|',
  '>',
  '%',
  '@',
  '`',
  '?',
  'null',
  'true',
  'False',
  '~',
  '0',
  '08',
  '1e3',
  '0x1F',
  '.5',
  '-1',
  '+2',
  '.inf',
  '1_000',
  '10.1.0.1',
  '2026-11-21T12:00:00Z',
  'http://x:80/y',
  'k:{"type":"Ready"}',
  '---',
  '...',
  'word word word word word word word word',
];

/** Text as clusters write it, which the translator reads without the full parser. */
const tame = [
  'a',
  'pod',
  '-',
  '.',
  '/',
  '=',
  ' ',
  'x y',
  '10.0.0.1',
  '3920m',
  '"',
  "'",
  '\\',
  'é',
  'True',
  'null',
  '08',
  '1e3',
  '\n',
  '\n\n',
  'http://x:80/y',
  'word word word word word word word word',
  '2026-11-21T12:00:00Z',
];

let palette = pieces;

function text(next: () => number): string {
  let out = '';
  const n = Math.floor(next() * 6);
  for (let i = 0; i < n; i++) out += palette[Math.floor(next() * palette.length)];
  return out;
}

function value(next: () => number, depth: number): unknown {
  const r = next();
  if (depth > 3 || r < 0.45) {
    const s = next();
    if (s < 0.6) return text(next);
    if (s < 0.7) return Math.floor(next() * 1e6) * (next() < 0.5 ? 1 : -1);
    if (s < 0.75) return next() * 100;
    if (s < 0.85) return next() < 0.5;
    return null;
  }
  if (r < 0.7) return Array.from({ length: Math.floor(next() * 4) }, () => value(next, depth + 1));
  const object: Record<string, unknown> = {};
  const n = Math.floor(next() * 5);
  for (let i = 0; i < n; i++) object[text(next) || `k${i}`] = value(next, depth + 1);
  return object;
}

const full = (source: string) =>
  parseAllDocuments(source, { uniqueKeys: false }).map((d) => d.toJS({ maxAliasCount: -1 }));

describe('the snapshot YAML reader against the full parser on generated documents', () => {
  // Styles the yaml package writes: folded long lines, block scalars, kubectl's unindented lists.
  const styles = [
    { lineWidth: 40 },
    { lineWidth: 0 },
    { indentSeq: false },
    { defaultStringType: 'QUOTE_DOUBLE' as const, lineWidth: 30 },
    { defaultStringType: 'QUOTE_SINGLE' as const, lineWidth: 30 },
    { blockQuote: 'folded' as const, lineWidth: 20 },
    { indent: 4, indentSeq: false, lineWidth: 25 },
    { doubleQuotedAsJSON: true, defaultKeyType: 'QUOTE_DOUBLE' as const, lineWidth: 50 },
    { blockQuote: 'literal' as const, minContentWidth: 0, lineWidth: 15 },
  ];

  it.each(Array.from({ length: 1000 }, (_, seed) => seed))('seed %i', (seed) => {
    const next = random(seed);
    palette = seed % 2 === 0 ? pieces : tame;
    const documents = Array.from({ length: 1 + Math.floor(next() * 3) }, () => ({
      kind: 'Thing',
      items: [value(next, 0), value(next, 0)],
      data: value(next, 0),
    }));
    const style = styles[seed % styles.length];
    // As a file holds it: a surrogate pair the writer split across lines becomes U+FFFD in UTF-8.
    const file = Buffer.from(documents.map((d) => stringify(d, style)).join('---\n'));
    expect(readYamlDocuments(file, 'generated.yaml')).toEqual(full(file.toString('utf8')));
  });
});
