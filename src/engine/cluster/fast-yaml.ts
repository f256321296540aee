/**
 * A fast reader for the YAML that `kubectl get -o yaml` and Kitten write: block mappings and
 * sequences, plain and quoted scalars (folded across lines), block scalars, empty flow
 * collections, several documents. The general `yaml` package reads 10,000 pods at about 1 MB/s;
 * this reads the same at the speed of splitting lines. Anything outside that subset (anchors,
 * tags, flow collections with content, complex keys) throws Unsupported and the caller falls back
 * to the `yaml` package, so the result is always what a full YAML 1.2 parser gives.
 */
export class Unsupported extends Error {}

type Value = null | boolean | number | string | Value[] | { [key: string]: Value };

const INT = /^[-+]?[0-9]+$/;
const FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;

function plainScalar(text: string): Value {
  switch (text) {
    case '':
    case '~':
    case 'null':
    case 'Null':
    case 'NULL':
      return null;
    case 'true':
    case 'True':
    case 'TRUE':
      return true;
    case 'false':
    case 'False':
    case 'FALSE':
      return false;
    case '{}':
      return {};
    case '[]':
      return [];
  }
  const c = text.charCodeAt(0);
  // Digits, sign or dot: maybe a number.
  if ((c >= 48 && c <= 57) || c === 45 || c === 43 || c === 46) {
    if (INT.test(text)) return Number(text);
    if (/^0o[0-7]+$/.test(text)) return Number.parseInt(text.slice(2), 8);
    if (/^0x[0-9a-fA-F]+$/.test(text)) return Number.parseInt(text.slice(2), 16);
    if (FLOAT.test(text)) return Number(text);
    if (/^[-+]?\.(inf|Inf|INF)$/.test(text)) return text.startsWith('-') ? -Infinity : Infinity;
    if (/^\.(nan|NaN|NAN)$/.test(text)) return Number.NaN;
  }
  const first = text[0] as string;
  if ('&*!|>%@`{['.includes(first) || text.includes(': ') || text.includes(' #') || text.endsWith(':'))
    throw new Unsupported(text);
  return text;
}

const escapes: Record<string, string> = {
  '0': '\0',
  a: '\x07',
  b: '\b',
  t: '\t',
  '\t': '\t',
  n: '\n',
  v: '\v',
  f: '\f',
  r: '\r',
  e: '\x1b',
  ' ': ' ',
  '"': '"',
  '/': '/',
  '\\': '\\',
  N: '\x85',
  _: '\xa0',
  L: '\u2028',
  P: '\u2029',
};

function doubleQuoted(body: string): string {
  if (!body.includes('\\')) return body;
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const ch = body[i] as string;
    if (ch !== '\\') {
      out += ch;
      continue;
    }
    const next = body[++i] as string;
    const width = next === 'x' ? 2 : next === 'u' ? 4 : next === 'U' ? 8 : 0;
    if (width > 0) {
      out += String.fromCodePoint(Number.parseInt(body.slice(i + 1, i + 1 + width), 16));
      i += width;
    } else if (next in escapes) out += escapes[next];
    else throw new Unsupported(`escape \\${next}`);
  }
  return out;
}

/** Joins the lines of a multi-line flow scalar: a line break is a space, an empty line a newline. */
function fold(lines: string[]): string {
  let out = '';
  let pendingBreaks = 0;
  lines.forEach((raw, i) => {
    const line = i === 0 ? raw.trimEnd() : raw.trim();
    if (line === '') {
      pendingBreaks++;
      return;
    }
    if (i > 0) out += pendingBreaks > 0 ? '\n'.repeat(pendingBreaks) : ' ';
    pendingBreaks = 0;
    out += line;
  });
  return out;
}

export class FastYamlReader {
  private readonly lines: string[];
  private i = 0;
  /** The last entry splitKeyAt read (fields, not a returned pair: 100,000s of entries). */
  private key = '';
  private rest = '';

  constructor(text: string) {
    // Splitting on a plain newline is several times faster than a regular expression.
    this.lines = text.includes('\r') ? text.split(/\r?\n/) : text.split('\n');
  }

  /** Every document's value. */
  documents(): Value[] {
    const docs: Value[] = [];
    let any = false;
    for (;;) {
      this.skipBlank();
      if (this.i >= this.lines.length) break;
      const line = this.lines[this.i] as string;
      if (line.startsWith('---')) {
        if (line.trim() !== '---') throw new Unsupported('content after ---');
        if (any) docs.push(null);
        any = true;
        this.i++;
        continue;
      }
      if (line.startsWith('...')) {
        this.i++;
        continue;
      }
      if (line.startsWith('%')) throw new Unsupported('directive');
      const indent = this.indentOf(line);
      docs.push(this.block(indent));
      any = false;
      this.skipBlank();
      const after = this.lines[this.i];
      if (after !== undefined && !after.startsWith('---') && !after.startsWith('...'))
        throw new Unsupported('trailing content');
      if (after?.startsWith('---')) {
        if (after.trim() !== '---') throw new Unsupported('content after ---');
        this.i++;
        any = false;
        this.skipBlank();
        if (this.i >= this.lines.length) break;
        if ((this.lines[this.i] as string).startsWith('---')) docs.push(null);
      }
    }
    return docs;
  }

  private indentOf(line: string): number {
    let n = 0;
    while (line.charCodeAt(n) === 32) n++;
    if (line.charCodeAt(n) === 9) throw new Unsupported('tab indentation');
    return n;
  }

  private skipBlank(): void {
    const lines = this.lines;
    while (this.i < lines.length) {
      const line = lines[this.i] as string;
      let n = 0;
      while (line.charCodeAt(n) === 32) n++;
      // Blank, or a comment line: skip. charCodeAt past the end is NaN.
      const c = line.charCodeAt(n);
      if (Number.isNaN(c) || c === 35 || (c === 13 && n === line.length - 1)) this.i++;
      else break;
    }
  }

  /** The next significant line's indent, or -1 at the end. */
  private peekIndent(): number {
    this.skipBlank();
    const line = this.lines[this.i];
    if (line === undefined || line.startsWith('---') || line.startsWith('...')) return -1;
    return this.indentOf(line);
  }

  private isSeqItemAt(line: string, column: number): boolean {
    if (line.charCodeAt(column) !== 45) return false;
    const next = line.charCodeAt(column + 1);
    return Number.isNaN(next) || next === 32;
  }

  private block(indent: number): Value {
    return this.isSeqItemAt(this.lines[this.i] as string, indent)
      ? this.sequence(indent)
      : this.mapping(indent);
  }

  /** Key and the rest of the entry starting at `column` of `line`; the key may be quoted. */
  private splitKeyAt(line: string, column: number): boolean {
    const first = line.charCodeAt(column);
    if (first === 34 || first === 39) {
      const text = line.slice(column);
      const q = text[0];
      let end = 1;
      for (; end < text.length; end++) {
        if (text[end] === '\\' && q === '"') end++;
        else if (text[end] === q) {
          if (q === "'" && text[end + 1] === "'") end++;
          else break;
        }
      }
      if (end >= text.length) return false;
      const raw = text.slice(1, end);
      const after = text.slice(end + 1);
      if (!after.startsWith(':') || (after.length > 1 && after[1] !== ' ')) return false;
      this.key = q === '"' ? doubleQuoted(raw) : raw.replace(/''/g, "'");
      this.rest = after.slice(1).trim();
      return true;
    }
    let key: string;
    let rest: string;
    const at = line.indexOf(': ', column);
    if (at >= 0) {
      key = line.slice(column, at);
      let from = at + 2;
      while (line.charCodeAt(from) === 32) from++;
      let to = line.length;
      while (to > from && line.charCodeAt(to - 1) === 32) to--;
      rest = from === 0 && to === line.length ? line : line.slice(from, to);
    } else {
      let to = line.length;
      while (to > column && line.charCodeAt(to - 1) === 32) to--;
      if (line.charCodeAt(to - 1) !== 58) return false;
      key = line.slice(column, to - 1);
      rest = '';
    }
    if (key === '' || ('&*!|>%@`{[?#-'.includes(key[0] as string) && !/^-[^ ]/.test(key)))
      throw new Unsupported(`key ${key}`);
    if (key.includes(' #')) throw new Unsupported('comment in key');
    this.key = key;
    this.rest = rest;
    return true;
  }

  /** Whether the text at `column` is a mapping entry, without building it. */
  private looksLikeEntry(line: string, column: number): boolean {
    const first = line.charCodeAt(column);
    if (first === 34 || first === 39) return this.splitKeyAt(line, column);
    if (line.indexOf(': ', column) >= 0) return true;
    let to = line.length;
    while (to > column && line.charCodeAt(to - 1) === 32) to--;
    return line.charCodeAt(to - 1) === 58;
  }

  /** A mapping whose entries start at `column`; the current line holds its first entry. */
  private mapping(column: number): Value {
    const out: { [key: string]: Value } = {};
    let first = true;
    for (;;) {
      if (!first) {
        const next = this.peekIndent();
        if (next !== column) {
          if (next > column) throw new Unsupported('over-indented mapping entry');
          break;
        }
        if (this.isSeqItemAt(this.lines[this.i] as string, column)) break;
      }
      first = false;
      const line = this.lines[this.i] as string;
      if (!this.splitKeyAt(line, column))
        throw new Unsupported(`not a mapping entry: ${line.slice(column, column + 40)}`);
      const key = this.key;
      const rest = this.rest;
      this.i++;
      if (key === '<<') throw new Unsupported('merge key');
      out[key] = rest === '' ? this.nested(column) : this.inline(rest, column);
    }
    return out;
  }

  /** The value of `key:` with nothing after it: a deeper block, a same-column sequence, or null. */
  private nested(column: number): Value {
    const next = this.peekIndent();
    if (next > column) return this.block(next);
    if (next === column && this.isSeqItemAt(this.lines[this.i] as string, column))
      return this.sequence(column);
    return null;
  }

  private sequence(indent: number): Value[] {
    const out: Value[] = [];
    for (;;) {
      const next = this.peekIndent();
      if (next !== indent) {
        if (next > indent) throw new Unsupported('over-indented sequence item');
        break;
      }
      const line = this.lines[this.i] as string;
      if (!this.isSeqItemAt(line, indent)) break;
      let column = indent + 1;
      while (line.charCodeAt(column) === 32) column++;
      if (column >= line.length || line.charCodeAt(column) === 35) {
        this.i++;
        const deeper = this.peekIndent();
        out.push(deeper > indent ? this.block(deeper) : null);
        continue;
      }
      if (this.isSeqItemAt(line, column)) throw new Unsupported('nested inline sequence');
      if (this.looksLikeEntry(line, column)) out.push(this.mapping(column));
      else {
        this.i++;
        out.push(this.inline(line.slice(column).trimEnd(), indent));
      }
    }
    return out;
  }

  /**
   * A value that starts on the key's line (already consumed). `parentColumn` is the key's column:
   * any deeper non-empty line right after it continues a multi-line scalar.
   */
  private inline(text: string, parentColumn: number): Value {
    const first = text[0] as string;
    if (first === '|' || first === '>') return this.blockScalar(text, parentColumn);
    if (first === '"' || first === "'") return this.quoted(text);
    if (first === '{' || first === '[') {
      if (text === '{}' || text === '[]') return plainScalar(text);
      throw new Unsupported('flow collection');
    }
    const continuation = this.continuation(parentColumn);
    if (continuation.length === 0) return plainScalar(text);
    const folded = fold([text, ...continuation]);
    if (folded.includes(': ') || folded.includes(' #'))
      throw new Unsupported('multi-line plain scalar with indicators');
    return folded;
  }

  /** Lines deeper than the parent that continue a scalar (blank lines inside included). */
  private continuation(parentColumn: number): string[] {
    const lines: string[] = [];
    let j = this.i;
    for (; j < this.lines.length; j++) {
      const line = this.lines[j] as string;
      if (line.trim() === '') {
        lines.push('');
        continue;
      }
      if (this.indentOf(line) <= parentColumn) break;
      if (line.trimStart().startsWith('#')) throw new Unsupported('comment in scalar');
      lines.push(line);
    }
    while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
    this.i += lines.length;
    return lines;
  }

  private quoted(text: string): Value {
    const q = text[0] as string;
    const parts = [text];
    let joined = text;
    const closes = (s: string) => {
      for (let k = 1; k < s.length; k++) {
        if (q === '"' && s[k] === '\\') k++;
        else if (s[k] === q) {
          if (q === "'" && s[k + 1] === "'") k++;
          else return k;
        }
      }
      return -1;
    };
    let end = closes(joined);
    while (end < 0) {
      const line = this.lines[this.i];
      if (line === undefined) throw new Unsupported('unterminated quote');
      this.i++;
      parts.push(line);
      joined = `${text}\n${parts.slice(1).join('\n')}`;
      end = closes(joined);
    }
    if (joined.slice(end + 1).trim() !== '') throw new Unsupported('content after a quoted scalar');
    const body = parts.length === 1 ? text.slice(1, end) : fold(joined.slice(1, end).split('\n'));
    if (q === "'") return body.replace(/''/g, "'");
    if (parts.length > 1 && body.includes('\\')) throw new Unsupported('escaped line break');
    return doubleQuoted(body);
  }

  private blockScalar(header: string, parentColumn: number): string {
    const m = /^([|>])([+-]?)([1-9]?)([+-]?)\s*(#.*)?$/.exec(header);
    if (!m) throw new Unsupported(`block scalar header ${header}`);
    const literal = m[1] === '|';
    const chomp = m[2] || m[4] || '';
    if (m[3]) throw new Unsupported('indentation indicator');
    const raw: string[] = [];
    let indent = -1;
    for (; this.i < this.lines.length; this.i++) {
      const line = this.lines[this.i] as string;
      if (line.trim() === '') {
        raw.push('');
        continue;
      }
      const n = this.indentOf(line);
      if (indent < 0) indent = n;
      if (n < indent || n <= parentColumn) break;
      raw.push(line.slice(indent));
    }
    let trailing = 0;
    while (raw.length > 0 && raw[raw.length - 1] === '') {
      raw.pop();
      trailing++;
    }
    let body: string;
    if (literal) body = raw.join('\n');
    else {
      body = '';
      raw.forEach((line, k) => {
        if (k === 0) body = line;
        else if (line === '') body += '\n';
        else if (raw[k - 1] === '') body += line;
        else body += ` ${line}`;
      });
      if (raw.some((l) => l.startsWith(' '))) throw new Unsupported('more-indented folded lines');
    }
    if (raw.length === 0) return chomp === '+' ? '\n'.repeat(trailing) : '';
    if (chomp === '-') return body;
    if (chomp === '+') return `${body}\n${'\n'.repeat(trailing)}`;
    return `${body}\n`;
  }
}

/** Every document in the text, or throws Unsupported when the text needs a full YAML parser. */
export function readFastYaml(text: string): unknown[] {
  return new FastYamlReader(text).documents();
}
