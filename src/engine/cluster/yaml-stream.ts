import { Buffer } from 'node:buffer';
import { CR, DASH, DOT, HASH, NL, PERCENT, SP, TAB } from './yaml-bytes.js';

/**
 * Where the documents of a YAML stream lie, found from `---` and `...` lines without reading what
 * is between them, so each document can be read (or handed to the full parser) on its own.
 */

/** Where each document of a YAML stream lies in its bytes, or undefined when the stream needs the full parser. */
export function documentRanges(bytes: Uint8Array): Array<[number, number]> | undefined {
  const src = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  const bom = src[0] === 0xef && src[1] === 0xbb && src[2] === 0xbf ? 3 : 0;
  // Only lines that start with -, . or % can be markers or directives: find them natively.
  const candidates = [bom];
  for (const needle of ['\n---', '\n...', '\n%']) {
    for (let k = src.indexOf(needle, bom); k >= 0; k = src.indexOf(needle, k + 1)) candidates.push(k + 1);
  }
  candidates.sort((a, b) => a - b);
  const ranges: Array<[number, number]> = [];
  let start = bom;
  /** Whether the current document was opened by `---` (and so exists even when empty). */
  let explicit = false;
  const close = (end: number) => {
    if (explicit || hasContent(src, start, end)) ranges.push([start, end]);
    explicit = false;
  };
  for (const p of candidates) {
    let e = src.indexOf(NL, p);
    if (e < 0) e = src.length;
    const c = src[p];
    if (c === PERCENT) return undefined; // a directive
    const marker =
      (c === DASH && src[p + 1] === DASH && src[p + 2] === DASH) ||
      (c === DOT && src[p + 1] === DOT && src[p + 2] === DOT);
    const afterMarker = src[p + 3];
    if (!marker || !(p + 3 >= e || afterMarker === SP || afterMarker === TAB || afterMarker === CR)) continue;
    for (let k = p + 3; k < e; k++) if (src[k] !== SP && src[k] !== CR) return undefined;
    close(p);
    if (c === DASH) explicit = true;
    start = Math.min(e + 1, src.length);
  }
  close(src.length);
  return ranges;
}

/** Whether bytes [start, end) hold anything but blank and comment lines. */
function hasContent(src: Buffer, start: number, end: number): boolean {
  let p = start;
  while (p < end) {
    let k = p;
    while (k < end && (src[k] === SP || src[k] === CR)) k++;
    if (k < end && src[k] !== NL && src[k] !== HASH) return true;
    const e = src.indexOf(NL, k);
    if (e < 0) return false;
    p = e + 1;
  }
  return false;
}
