import { Buffer } from 'node:buffer';
import { BSL, COLON, CR, DASH, DOT, DQ, HASH, NL, SP, SQ, TAB } from './yaml-bytes.js';
import {
  checkPlainText,
  doubleQuoted,
  fold,
  plainKey,
  plainScalar,
  Unsupported,
  type Value,
} from './yaml-scalars.js';
import { documentRanges } from './yaml-stream.js';

export { Unsupported } from './yaml-scalars.js';

/**
 * Translates the YAML that `kubectl get -o yaml` and Kitten write (block mappings and sequences,
 * plain and quoted scalars, block scalars, empty flow collections) straight from the file's bytes
 * into JSON bytes, which JSON.parse turns into objects. Building the objects natively, from one
 * buffer, is what makes 10,000 pods cost about what the same snapshot as JSON costs: no string
 * per line, no object built key by key in JavaScript. Anything outside that subset throws
 * Unsupported; the mapping entry or sequence item around it is then handed to `fallback` (the
 * full parser) on its own, and if that fails too the one around that, up to the document, which
 * the caller reads with the full parser.
 */

/** Reads a fragment of YAML (one mapping entry or sequence item, moved to column 0) the slow, complete way. */
export type ItemFallback = (text: string) => Value;

/** Bytes that cannot start a plain key. */
const KEY_INDICATORS = table('&*!|>%@`{}[],?#');
/** Bytes that a number, null or boolean can start with: such a plain scalar needs resolving. */
const RESOLVABLE_START = table('0123456789+-.~nNtTfF');
/** Bytes that null, true and false start with. */
const WORD_START = table('nNtTfF');
/** Bytes a number of the core schema can hold: a scalar with any other byte is a string. */
const NUMBER_BYTES = table('0123456789.+-eExXoabcdfABCDF');
/** Escapes that mean the same in YAML double quotes and JSON. */
const JSON_ESCAPES = table('"\\/bfnrtu');

/** A line of spaces and tabs only, and the spaces and tabs a line starts with (never other Unicode spaces). */
const BLANK = /^[ \t]*$/;
const LEADING_BLANKS = /^[ \t]+/;

/** A byte lookup table: 1 for each character of `chars`. */
function table(chars: string): Uint8Array {
  const t = new Uint8Array(256);
  for (let i = 0; i < chars.length; i++) t[chars.charCodeAt(i)] = 1;
  return t;
}

/** null, true and false in each spelling the core schema accepts. */
const WORDS = ['null', 'Null', 'NULL', 'true', 'True', 'TRUE', 'false', 'False', 'FALSE'];
/** Bytes a key's scan must stop at: the key's end, a comment, a tab or control character. */
const KEY_SPECIAL = table(':#');
for (let c = 0; c < 32; c++) KEY_SPECIAL[c] = 1;
/** Bytes a plain string's copy must look at: what JSON escapes, and what YAML reads as an indicator. */
const PLAIN_SPECIAL = table(':#"\\');
for (let c = 0; c < 32; c++) PLAIN_SPECIAL[c] = 1;

/**
 * Lines moved `column` spaces left, so a fragment read alone starts where a document does: an
 * indentation indicator (`|2`) counts from the enclosing node's indent, which must not change.
 */
function dedent(text: string, column: number): string {
  if (column === 0) return text;
  return text
    .split('\n')
    .map((line) => {
      let k = 0;
      while (k < column && line.charCodeAt(k) === SP) k++;
      return line.slice(k);
    })
    .join('\n');
}

function isHex(b: number): boolean {
  return (b >= 48 && b <= 57) || (b >= 65 && b <= 70) || (b >= 97 && b <= 102);
}

export class YamlToJson {
  private readonly src: Buffer;
  private end = 0;
  /** The current line: where it starts, where its content ends (before \r\n), where the next starts. */
  private p = 0;
  private le = 0;
  private nx = 0;
  /** The entry scanEntry found: key bytes (or a decoded quoted key) and the value's bytes. */
  private ks = 0;
  private ke = 0;
  private quotedKey: string | undefined;
  private rs = 0;
  private re = 0;
  out: Buffer;
  n = 0;
  private readonly fallback: ItemFallback | undefined;

  constructor(src: Uint8Array, fallback?: ItemFallback) {
    this.src = Buffer.isBuffer(src) ? src : Buffer.from(src.buffer, src.byteOffset, src.length);
    this.out = Buffer.allocUnsafe(Math.max(1024, src.length + (src.length >> 2)));
    this.fallback = fallback;
  }

  /** Appends the JSON for the document in bytes [start, end) and returns where it starts in `out`. */
  document(start: number, end: number): number {
    const from = this.n;
    this.end = end;
    this.line(start);
    try {
      const indent = this.peekIndent();
      if (indent < 0) this.putAscii('null');
      else {
        this.block(indent);
        if (this.peekIndent() >= 0) throw new Unsupported('trailing content');
      }
    } catch (error) {
      this.n = from;
      throw error;
    }
    return from;
  }

  // --- lines ---------------------------------------------------------------------------------

  private line(p: number): void {
    const src = this.src;
    const end = this.end;
    if (p >= end) {
      this.p = this.le = this.nx = end;
      return;
    }
    let e = src.indexOf(NL, p);
    if (e < 0 || e > end) e = end;
    this.p = p;
    this.nx = e < end ? e + 1 : end;
    this.le = e > p && src[e - 1] === CR ? e - 1 : e;
  }

  private advance(): void {
    this.line(this.nx);
  }

  /** Skips blank and comment lines; the next line's indent, or -1 at the end. */
  private peekIndent(): number {
    const src = this.src;
    while (this.p < this.end) {
      const le = this.le;
      let k = this.p;
      while (k < le && src[k] === SP) k++;
      if (k === le || src[k] === HASH) {
        this.advance();
        continue;
      }
      if (src[k] === TAB) throw new Unsupported('tab indentation');
      return k - this.p;
    }
    return -1;
  }

  private text(a: number, b: number): string {
    const src = this.src;
    if (b - a > 24) return src.toString('utf8', a, b);
    // Short ASCII text (numbers, keys) without a call into the decoder.
    let s = '';
    for (let k = a; k < b; k++) {
      const c = src[k] as number;
      if (c >= 128) return src.toString('utf8', a, b);
      s += String.fromCharCode(c);
    }
    return s;
  }

  private lineText(): string {
    return this.text(this.p, this.le);
  }

  // --- output --------------------------------------------------------------------------------

  private ensure(extra: number): void {
    if (this.n + extra <= this.out.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.out.length * 2, this.n + extra + 1024));
    this.out.copy(grown, 0, 0, this.n);
    this.out = grown;
  }

  private put(byte: number): void {
    if (this.n >= this.out.length) this.ensure(1);
    this.out[this.n++] = byte;
  }

  private putAscii(text: string): void {
    this.ensure(text.length);
    for (let i = 0; i < text.length; i++) this.out[this.n++] = text.charCodeAt(i);
  }

  private putValue(value: Value): void {
    const json = JSON.stringify(value, (_key, v) => {
      if (typeof v === 'number' && (!Number.isFinite(v) || Object.is(v, -0)))
        throw new Unsupported('a number JSON cannot hold');
      return v;
    });
    const bytes = Buffer.from(json, 'utf8');
    this.ensure(bytes.length);
    bytes.copy(this.out, this.n);
    this.n += bytes.length;
  }

  /** Copies bytes [a, b) into a JSON string body; false (nothing written) at a byte JSON must escape oddly. */
  private copyEscaped(a: number, b: number): boolean {
    const src = this.src;
    this.ensure((b - a) * 2);
    const out = this.out;
    let n = this.n;
    for (let k = a; k < b; k++) {
      const c = src[k] as number;
      if (c === DQ || c === BSL) {
        out[n++] = BSL;
        out[n++] = c;
      } else if (c < 32) {
        if (c !== TAB) return false;
        out[n++] = BSL;
        out[n++] = 116;
      } else out[n++] = c;
    }
    this.n = n;
    return true;
  }

  // --- structure -----------------------------------------------------------------------------

  private isSeqItemAt(column: number): boolean {
    const at = this.p + column;
    if (at >= this.le || this.src[at] !== DASH) return false;
    if (at + 1 === this.le) return true;
    const next = this.src[at + 1];
    if (next === TAB) throw new Unsupported('tab after -');
    return next === SP;
  }

  private block(indent: number): void {
    if (this.isSeqItemAt(indent)) this.sequence(indent);
    else this.mapping(indent);
  }

  /** Whether the current line holds a mapping entry at `column`; records key and value bytes. */
  private scanEntry(column: number): boolean {
    const src = this.src;
    const le = this.le;
    const start = this.p + column;
    const first = src[start] as number;
    let after: number;
    if (first === DQ || first === SQ) {
      let k = start + 1;
      for (; k < le; k++) {
        const c = src[k];
        if (c === BSL && first === DQ) k++;
        else if (c === first) {
          if (first === SQ && src[k + 1] === SQ) k++;
          else break;
        }
      }
      if (k >= le) return false;
      if (src[k + 1] !== COLON || (k + 2 < le && src[k + 2] !== SP)) return false;
      const body = this.text(start + 1, k);
      this.quotedKey = first === DQ ? doubleQuoted(body) : body.replace(/''/g, "'");
      this.ks = this.ke = 0;
      after = k + 2;
    } else {
      let k = start;
      for (; k < le; k++) {
        const c = src[k] as number;
        if (KEY_SPECIAL[c] !== 1) continue;
        if (c === COLON) {
          if (k + 1 === le || src[k + 1] === SP) break;
        } else if (c === HASH) {
          if (src[k - 1] === SP) throw new Unsupported('comment in key');
        } else throw new Unsupported('tab or control character in an entry');
      }
      if (k >= le) return false;
      if (k === start || KEY_INDICATORS[first] === 1 || src[k - 1] === SP)
        throw new Unsupported('key needs the full parser');
      if (first === DASH && src[start + 1] === SP) throw new Unsupported('key needs the full parser');
      if (WORD_START[first] === 1) {
        if (this.word(start, k) !== undefined) throw new Unsupported('null or boolean key');
      } else if (RESOLVABLE_START[first] === 1) plainKey(this.text(start, k));
      this.quotedKey = undefined;
      this.ks = start;
      this.ke = k;
      after = k + 1;
    }
    while (after < le && src[after] === SP) after++;
    let to = le;
    while (to > after && src[to - 1] === SP) to--;
    this.rs = after;
    this.re = to;
    return true;
  }

  private putKey(): void {
    if (this.quotedKey !== undefined) this.putValue(this.quotedKey);
    else {
      this.put(DQ);
      if (!this.copyEscaped(this.ks, this.ke)) throw new Unsupported('control character in key');
      this.put(DQ);
    }
    this.put(COLON);
  }

  /**
   * A mapping whose entries start at `column`; the current line holds its first entry, which
   * `scanned` says scanEntry has already read.
   */
  private mapping(column: number, scanned = false): void {
    this.put(123);
    let first = true;
    for (;;) {
      if (!first) {
        const next = this.peekIndent();
        if (next !== column) {
          if (next > column) throw new Unsupported('over-indented mapping entry');
          break;
        }
        if (this.isSeqItemAt(column)) break;
        this.put(44);
      }
      if (!(first && scanned) && !this.scanEntry(column)) throw new Unsupported('not a mapping entry');
      // The first entry of `- key: value` shares its line with the dash: only its item can be read alone.
      const alone = !(first && scanned) && this.fallback !== undefined;
      first = false;
      if (
        this.quotedKey === undefined &&
        this.ke - this.ks === 2 &&
        this.src[this.ks] === 60 &&
        this.src[this.ks + 1] === 60
      )
        throw new Unsupported('merge key');
      const mark = this.n;
      const entryLine = this.p;
      this.putKey();
      const rs = this.rs;
      const re = this.re;
      this.advance();
      try {
        if (rs === re) this.nested(column);
        else this.inline(rs, re, column);
      } catch (error) {
        if (!(error instanceof Unsupported) || !alone) throw error;
        this.n = mark;
        this.fullEntry(entryLine, column);
      }
    }
    this.put(125);
  }

  /**
   * The entry on line `entryLine`, whose key the translator read but whose value it could not,
   * read by the full parser on its own: a List's own metadata in flow style then costs one line
   * of the full parser, not the whole file.
   */
  private fullEntry(entryLine: number, column: number): void {
    const fallback = this.fallback as ItemFallback;
    this.line(entryLine);
    this.advance();
    for (;;) {
      const next = this.peekIndent();
      if (next < column || (next === column && !this.isSeqItemAt(column))) break;
      this.advance();
    }
    const value = fallback(dedent(this.text(entryLine, this.p), column));
    const keys =
      value !== null && typeof value === 'object' && !Array.isArray(value) ? Object.keys(value) : [];
    if (keys.length !== 1) throw new Unsupported('entry did not read alone');
    const key = keys[0] as string;
    this.putValue(key);
    this.put(COLON);
    this.putValue((value as { [key: string]: Value })[key] as Value);
  }

  /** The value of `key:` with nothing after it: a deeper node, a same-column sequence, or null. */
  private nested(column: number): void {
    const next = this.peekIndent();
    if (next > column) {
      if (this.isSeqItemAt(next)) this.sequence(next);
      else if (this.scanEntry(next)) this.mapping(next, true);
      else {
        // A scalar that starts on the line below its key.
        const src = this.src;
        const rs = this.p + next;
        let to = this.le;
        while (to > rs && src[to - 1] === SP) to--;
        this.advance();
        this.inline(rs, to, column);
      }
    } else if (next === column && this.isSeqItemAt(column)) this.sequence(column);
    else this.putAscii('null');
  }

  /**
   * A sequence whose dashes are at column `indent`. `compact` says its first item shares the line
   * with an outer dash (`- - a`): that item can only be read alone with the outer one.
   */
  private sequence(indent: number, compact = false): void {
    this.put(91);
    let count = 0;
    for (;;) {
      if (!(compact && count === 0)) {
        const next = this.peekIndent();
        if (next !== indent) {
          if (next > indent) throw new Unsupported('over-indented sequence item');
          break;
        }
        if (!this.isSeqItemAt(indent)) break;
      }
      const alone = !(compact && count === 0) && this.fallback !== undefined;
      if (count++ > 0) this.put(44);
      const mark = this.n;
      const itemLine = this.p;
      try {
        this.item(indent);
      } catch (error) {
        if (!(error instanceof Unsupported) || !alone) throw error;
        this.n = mark;
        this.fullItem(itemLine, indent);
      }
    }
    this.put(93);
  }

  private item(indent: number): void {
    const src = this.src;
    let at = this.p + indent + 1;
    while (at < this.le && src[at] === SP) at++;
    if (at >= this.le || src[at] === HASH) {
      this.advance();
      const deeper = this.peekIndent();
      if (deeper > indent) this.block(deeper);
      else this.putAscii('null');
      return;
    }
    const column = at - this.p;
    if (this.isSeqItemAt(column)) {
      this.sequence(column, true);
      return;
    }
    if (this.scanEntry(column)) {
      this.mapping(column, true);
      return;
    }
    let to = this.le;
    while (to > at && src[to - 1] === SP) to--;
    this.advance();
    this.inline(at, to, indent);
  }

  /** The item that starts on line `itemLine`, read by the full parser on its own. */
  private fullItem(itemLine: number, indent: number): void {
    const fallback = this.fallback as ItemFallback;
    this.line(itemLine);
    this.advance();
    // Up to the next line that is not part of the item: trailing blank lines stay with it, as a
    // keep-chomped block scalar (|+) at its end needs them.
    while (this.peekIndent() > indent) this.advance();
    const value = fallback(dedent(this.text(itemLine, this.p), indent));
    if (!Array.isArray(value) || value.length !== 1) throw new Unsupported('item did not read alone');
    this.putValue(value[0] as Value);
  }

  // --- scalars -------------------------------------------------------------------------------

  /**
   * A value that starts on the key's line (bytes [rs, re), line already consumed). `parentColumn`
   * is the key's column: any deeper non-empty line right after it continues a multi-line scalar.
   */
  private inline(rs: number, re: number, parentColumn: number): void {
    const first = this.src[rs] as number;
    if (first === 124 || first === 62) this.blockScalar(this.text(rs, re), parentColumn);
    else if (first === DQ || first === SQ) this.quoted(rs, re, parentColumn);
    else if (first === 123 || first === 91) {
      if (re - rs === 2 && this.src[rs + 1] === first + 2) this.putAscii(first === 123 ? '{}' : '[]');
      else throw new Unsupported('flow collection');
    } else if (this.continues(parentColumn)) {
      const lines = [this.text(rs, re), ...this.continuation(parentColumn)];
      const folded = fold(lines);
      if (folded.includes(': ') || folded.includes(' #'))
        throw new Unsupported('multi-line plain scalar with indicators');
      checkPlainText(folded.replace(/\n/g, ' '));
      this.putValue(folded);
    } else this.plain(rs, re);
  }

  private plain(rs: number, re: number): void {
    const src = this.src;
    const first = src[rs] as number;
    const length = re - rs;
    if (first >= 48 && first <= 57) {
      let k = rs;
      while (k < re && (src[k] as number) >= 48 && (src[k] as number) <= 57) k++;
      // Plain digits without a leading zero read the same in JSON.
      if (k === re && (first !== 48 || length === 1) && length <= 15) {
        this.ensure(length);
        for (let j = rs; j < re; j++) this.out[this.n++] = src[j] as number;
        return;
      }
      if (this.maybeNumber(rs, re)) {
        this.resolved(rs, re);
        return;
      }
    } else if (length <= 5 && WORD_START[first] === 1) {
      const word = this.word(rs, re);
      if (word !== undefined) {
        this.putAscii(word);
        return;
      }
    } else if (first === 43 || first === DASH || first === DOT || first === 126) {
      this.resolved(rs, re);
      return;
    }
    if (KEY_INDICATORS[first] === 1 || first === DQ || first === SQ || src[re - 1] === COLON)
      throw new Unsupported('plain scalar needs the full parser');
    if ((first === 63 || first === COLON) && (rs + 1 === re || src[rs + 1] === SP))
      throw new Unsupported('indicator');
    this.ensure((re - rs) * 2 + 2);
    const out = this.out;
    let n = this.n;
    out[n++] = DQ;
    for (let k = rs; k < re; k++) {
      const c = src[k] as number;
      if (PLAIN_SPECIAL[c] === 1) {
        if (c === COLON) {
          if (src[k + 1] === SP) throw new Unsupported('": " in a plain scalar');
        } else if (c === HASH) {
          if (src[k - 1] === SP) throw new Unsupported('comment after a value');
        } else if (c === DQ || c === BSL) out[n++] = BSL;
        else throw new Unsupported('tab or control character in a plain scalar');
      }
      out[n++] = c;
    }
    out[n++] = DQ;
    this.n = n;
  }

  /** Which of null, true and false bytes [a, b) spell, compared in place: most keys start with n or t. */
  private word(a: number, b: number): string | undefined {
    const length = b - a;
    if (length < 4 || length > 5) return undefined;
    const src = this.src;
    for (const w of WORDS) {
      if (w.length !== length) continue;
      let k = 0;
      while (k < length && src[a + k] === w.charCodeAt(k)) k++;
      if (k === length) return w.toLowerCase();
    }
    return undefined;
  }

  /**
   * Whether a plain scalar that starts with a digit could be a number of the core schema; false
   * for the common strings (IPs, uids, timestamps, quantities) without building them.
   */
  private maybeNumber(rs: number, re: number): boolean {
    const src = this.src;
    let dots = 0;
    for (let k = rs; k < re; k++) {
      const c = src[k] as number;
      if (NUMBER_BYTES[c] !== 1) return false;
      if (c === DOT && ++dots > 1) return false;
      if ((c === DASH || c === 43) && src[k - 1] !== 101 && src[k - 1] !== 69) return false;
    }
    return true;
  }

  /** A plain scalar that may be a number, null or a boolean, resolved as the core schema does. */
  private resolved(rs: number, re: number): void {
    const value = plainScalar(this.text(rs, re));
    if (typeof value === 'string') {
      this.put(DQ);
      if (!this.copyEscaped(rs, re)) throw new Unsupported('control character');
      this.put(DQ);
    } else if (typeof value === 'number') {
      if (!Number.isFinite(value)) throw new Unsupported('a number JSON cannot hold');
      this.putAscii(Object.is(value, -0) ? '-0' : String(value));
    } else if (value === null || typeof value === 'boolean') this.putAscii(String(value));
    else this.putValue(value);
  }

  /** Whether a deeper non-blank line follows (blank lines in between), continuing a scalar. */
  private continues(parentColumn: number): boolean {
    const src = this.src;
    let p = this.p;
    while (p < this.end) {
      let k = p;
      while (k < this.end && src[k] === SP) k++;
      if (k >= this.end) return false;
      const c = src[k];
      if (c === NL || (c === CR && src[k + 1] === NL)) {
        p = c === NL ? k + 1 : k + 2;
        continue;
      }
      if (c === TAB) throw new Unsupported('tab indentation');
      if (k - p <= parentColumn) return false;
      if (c === HASH) throw new Unsupported('comment in scalar');
      return true;
    }
    return false;
  }

  /** Lines deeper than the parent that continue a scalar (blank lines inside included). */
  private continuation(parentColumn: number): string[] {
    const lines: string[] = [];
    let resume = this.p;
    while (this.p < this.end) {
      const line = this.lineText();
      if (BLANK.test(line)) {
        lines.push('');
        this.advance();
        continue;
      }
      const indent = line.length - line.replace(LEADING_BLANKS, '').length;
      if (line.charCodeAt(indent) === TAB || line.slice(0, indent).includes('\t'))
        throw new Unsupported('tab indentation');
      if (indent <= parentColumn) break;
      if (line.trimStart().startsWith('#')) throw new Unsupported('comment in scalar');
      lines.push(line);
      this.advance();
      resume = this.p;
    }
    while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
    // Trailing blank lines belong to what follows, not to the scalar.
    this.line(resume);
    return lines;
  }

  private quoted(rs: number, re: number, parentColumn: number): void {
    const src = this.src;
    const q = src[rs] as number;
    let k = rs + 1;
    let escapes = false;
    let jsonEscapes = true;
    for (; k < re; k++) {
      const c = src[k] as number;
      if (q === DQ && c === BSL) {
        escapes = true;
        const e = src[k + 1] as number;
        if (JSON_ESCAPES[e] !== 1) jsonEscapes = false;
        else if (e === 117) {
          for (let h = 2; h <= 5; h++) if (!isHex(src[k + h] as number)) jsonEscapes = false;
        }
        k++;
      } else if (c === q) {
        if (q === SQ && src[k + 1] === SQ) {
          escapes = true;
          k++;
        } else break;
      }
    }
    if (k >= re) {
      this.multiLineQuoted(this.text(rs, re), parentColumn);
      return;
    }
    if (k + 1 !== re) throw new Unsupported('content after a quoted scalar');
    if (q === SQ) {
      if (escapes) this.putValue(this.text(rs + 1, k).replace(/''/g, "'"));
      else {
        this.put(DQ);
        if (!this.copyEscaped(rs + 1, k)) throw new Unsupported('control character');
        this.put(DQ);
      }
      return;
    }
    if (!escapes) {
      this.put(DQ);
      if (!this.copyEscaped(rs + 1, k)) throw new Unsupported('control character');
      this.put(DQ);
      return;
    }
    if (!jsonEscapes) {
      this.putValue(doubleQuoted(this.text(rs + 1, k)));
      return;
    }
    // Every escape reads the same in JSON: copy them as they are.
    this.ensure((k - rs) * 2);
    this.put(DQ);
    for (let j = rs + 1; j < k; j++) {
      const c = src[j] as number;
      if (c === BSL) {
        this.out[this.n++] = c;
        this.out[this.n++] = src[++j] as number;
      } else if (c === TAB) {
        this.out[this.n++] = BSL;
        this.out[this.n++] = 116;
      } else if (c < 32) throw new Unsupported('control character');
      else this.out[this.n++] = c;
    }
    this.put(DQ);
  }

  /** A quoted scalar that goes on past its first line (already consumed): folded like YAML does. */
  private multiLineQuoted(text: string, parentColumn: number): void {
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
    let end = -1;
    while (end < 0) {
      if (this.p >= this.end) throw new Unsupported('unterminated quote');
      const line = this.lineText();
      const indent = line.length - line.replace(LEADING_BLANKS, '').length;
      if (!BLANK.test(line) && indent <= parentColumn) throw new Unsupported('under-indented quoted line');
      if (line.slice(0, indent).includes('\t')) throw new Unsupported('tab indentation');
      this.advance();
      parts.push(line);
      joined = `${text}\n${parts.slice(1).join('\n')}`;
      end = closes(joined);
    }
    if (!BLANK.test(joined.slice(end + 1))) throw new Unsupported('content after a quoted scalar');
    const body = fold(joined.slice(1, end).split('\n'), true);
    if (q === "'") {
      this.putValue(body.replace(/''/g, "'"));
      return;
    }
    if (body.includes('\\')) throw new Unsupported('escapes in a multi-line quoted scalar');
    this.putValue(body);
  }

  private blockScalar(header: string, parentColumn: number): void {
    const m = /^([|>])([+-]?)([1-9]?)([+-]?)( +#.*)?$/.exec(header);
    if (!m) throw new Unsupported(`block scalar header ${header}`);
    const literal = m[1] === '|';
    const chomp = m[2] || m[4] || '';
    if (m[3]) throw new Unsupported('indentation indicator');
    const raw: string[] = [];
    let indent = -1;
    let leadingSpaces = 0;
    for (; this.p < this.end; this.advance()) {
      const line = this.lineText();
      if (BLANK.test(line) && line.includes('\t')) throw new Unsupported('a tab on a blank line');
      if (BLANK.test(line)) {
        // Blank lines with more spaces than the content's indent keep the extra spaces in YAML.
        if (indent >= 0 && line.length > indent) throw new Unsupported('spaces on a blank line');
        if (indent < 0) leadingSpaces = Math.max(leadingSpaces, line.length);
        raw.push('');
        continue;
      }
      let n = 0;
      while (line.charCodeAt(n) === SP) n++;
      if (line.charCodeAt(n) === TAB && (indent < 0 || n < indent)) throw new Unsupported('tab indentation');
      if (indent < 0) {
        indent = n;
        // A leading blank line longer than the content's indent is an error in YAML.
        if (leadingSpaces > indent) throw new Unsupported('long leading blank line');
      }
      if (n < indent || n <= parentColumn) break;
      raw.push(line.slice(indent));
    }
    if (raw.length > 0 && indent < 0) throw new Unsupported('block scalar of blank lines');
    let trailing = 0;
    while (raw.length > 0 && raw[raw.length - 1] === '') {
      raw.pop();
      trailing++;
    }
    let body: string;
    if (literal) body = raw.join('\n');
    else {
      if (raw.some((l) => l.startsWith(' ') || l.startsWith('\t')))
        throw new Unsupported('more-indented folded lines');
      // A break between two lines is a space; n empty lines are n newlines, leading ones too.
      body = '';
      let empty = 0;
      let content = false;
      for (const line of raw) {
        if (line === '') {
          empty++;
          continue;
        }
        body += empty > 0 ? '\n'.repeat(empty) : content ? ' ' : '';
        body += line;
        empty = 0;
        content = true;
      }
    }
    let value: string;
    if (raw.length === 0) value = chomp === '+' ? '\n'.repeat(trailing) : '';
    else if (chomp === '-') value = body;
    else if (chomp === '+') value = `${body}\n${'\n'.repeat(trailing)}`;
    else value = `${body}\n`;
    this.putValue(value);
  }
}

/**
 * Every document of the text through the translator alone, or throws Unsupported: the reference
 * the tests hold against the full parser.
 */
export function readFastYaml(text: string): unknown[] {
  const src = Buffer.from(text, 'utf8');
  const ranges = documentRanges(src);
  if (!ranges) throw new Unsupported('directives or content on a document marker');
  const writer = new YamlToJson(src);
  return ranges.map(([a, b]) => {
    const from = writer.document(a, b);
    return JSON.parse(writer.out.toString('utf8', from, writer.n));
  });
}
