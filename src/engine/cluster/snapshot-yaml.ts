import { Buffer } from 'node:buffer';
import { parseAllDocuments } from 'yaml';
import { UsageError } from '../errors.js';
import { Unsupported, YamlToJson } from './fast-yaml.js';
import type { Value } from './yaml-scalars.js';
import { documentRanges } from './yaml-stream.js';

const HINT = 'a snapshot is what `kubectl get <kinds> -A -o yaml` or `kitten codex snapshot` writes';

/**
 * Every document of a YAML snapshot. Documents go through the fast translator; a part it does not
 * understand is read by the `yaml` package instead (the smallest sequence item around it, else
 * its document), so the result is always what the full parser gives, and the full parser's cost
 * is paid only where it is needed.
 */
export function readYamlDocuments(src: Uint8Array, origin: string): unknown[] {
  const ranges = documentRanges(src);
  if (!ranges) return fullDocuments(textOf(src, 0, src.length), 1, origin);
  const writer = new YamlToJson(src, readFragment);
  const parts: Array<{ json: [number, number] } | { value: unknown }> = [];
  for (const [start, end] of ranges) {
    try {
      const from = writer.document(start, end);
      parts.push({ json: [from, writer.n] });
    } catch (error) {
      if (!(error instanceof Unsupported)) throw error;
      const docs = fullDocuments(textOf(src, start, end), lineOf(src, start), origin);
      parts.push({ value: docs.length > 0 ? docs[0] : null });
    }
  }
  return parts.map((part) =>
    'value' in part ? part.value : JSON.parse(writer.out.toString('utf8', part.json[0], part.json[1])),
  );
}

function textOf(src: Uint8Array, start: number, end: number): string {
  return Buffer.from(src.buffer, src.byteOffset + start, end - start).toString('utf8');
}

/** 1-based line number of byte `at`. */
function lineOf(src: Uint8Array, at: number): number {
  let line = 1;
  for (let k = 0; k < at; k++) if (src[k] === 10) line++;
  return line;
}

/** One sequence item on its own, or Unsupported when it does not read alone (an alias to elsewhere). */
function readFragment(text: string): Value {
  try {
    const docs = parseAllDocuments(text, { uniqueKeys: false });
    if (!Array.isArray(docs) || docs.length !== 1) throw new Unsupported('fragment');
    const doc = docs[0];
    if (!doc || doc.errors.length > 0) throw new Unsupported('fragment');
    return doc.toJS({ maxAliasCount: -1 }) as Value;
  } catch {
    throw new Unsupported('fragment');
  }
}

/** The full parser over `text`, which starts on line `firstLine` of the file. */
function fullDocuments(text: string, firstLine: number, origin: string): unknown[] {
  const documents: unknown[] = [];
  for (const doc of parseAllDocuments(text, { uniqueKeys: false })) {
    const problem = doc.errors[0];
    if (problem) {
      const where = problem.linePos?.[0];
      const message = (problem.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '');
      const at = where ? `:${firstLine + where.line - 1}:${where.col}` : '';
      throw new UsageError('SNAPSHOT_INVALID', `${origin}${at}: not valid YAML: ${message}`, { hint: HINT });
    }
    documents.push(doc.toJS({ maxAliasCount: -1 }));
  }
  return documents;
}
