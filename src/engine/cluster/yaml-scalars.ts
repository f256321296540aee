/**
 * Scalars of the YAML 1.2 core schema, as the `yaml` package resolves them, for the fast snapshot
 * reader. Anything whose meaning depends on more than its own text throws Unsupported, so the
 * caller hands that part of the file to the full parser instead of guessing.
 */
export class Unsupported extends Error {}

export type Value = null | boolean | number | string | Value[] | { [key: string]: Value };

const INT = /^[-+]?[0-9]+$/;
const FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;

/** A single-line plain scalar's value. */
export function plainScalar(text: string): Value {
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
  checkPlainText(text);
  return text;
}

/** Throws unless `text` reads as one plain string in block context. */
export function checkPlainText(text: string): void {
  const first = text[0] as string;
  const second = text.charCodeAt(1);
  if (
    '&*!|>%@`{}[],#"\''.includes(first) ||
    ('-?:'.includes(first) && (Number.isNaN(second) || second === 32 || second === 9)) ||
    text.includes(': ') ||
    text.includes(' #') ||
    text.includes('\t') ||
    text.endsWith(':')
  )
    throw new Unsupported(text);
  for (let k = 0; k < text.length; k++)
    if (text.charCodeAt(k) < 32) throw new Unsupported('control character');
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

/** The body of a double-quoted scalar (between the quotes) with its escapes resolved. */
export function doubleQuoted(body: string): string {
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
      const hex = body.slice(i + 1, i + 1 + width);
      if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== width) throw new Unsupported('bad escape');
      out += String.fromCodePoint(Number.parseInt(hex, 16));
      i += width;
    } else if (next in escapes) out += escapes[next];
    else throw new Unsupported(`escape \\${next}`);
  }
  return out;
}

/**
 * Joins the lines of a multi-line flow scalar as YAML folds them: a line break between two lines
 * is a space, and n empty lines between them are n newlines. Only spaces and tabs are trimmed. A
 * quoted scalar's last line (`closesOnLast`) keeps the spaces before its closing quote; a plain
 * scalar's lines come without trailing blank lines.
 */
export function fold(lines: string[], closesOnLast = false): string {
  const last = lines.length - 1;
  let out = (lines[0] as string).replace(/[ \t]+$/, '');
  let empty = 0;
  for (let i = 1; i <= last; i++) {
    let line = (lines[i] as string).replace(/^[ \t]+/, '');
    if (i < last || !closesOnLast) line = line.replace(/[ \t]+$/, '');
    if (line === '' && i < last) {
      empty++;
      continue;
    }
    out += empty > 0 ? '\n'.repeat(empty) : ' ';
    empty = 0;
    out += line;
  }
  return out;
}

/** A plain mapping key as the full parser turns it into an object key, or throws. */
export function plainKey(text: string): string {
  const value = plainScalar(text);
  // `1.0:` becomes the key "1", `null:` the key "": rare in snapshots, so leave them to the parser.
  if (value !== text) throw new Unsupported(`key ${text}`);
  return text;
}
