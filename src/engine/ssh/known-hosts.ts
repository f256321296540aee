import { createHash, createHmac } from 'node:crypto';

/**
 * OpenSSH known_hosts, read the way ssh reads it: comma-separated patterns with `*`, `?` and
 * `!negation`, `[host]:port` for non-standard ports, hashed names (`|1|salt|hmac`), and the
 * `@revoked` marker. `@cert-authority` lines are skipped: Kitten checks plain host keys only.
 */
export interface KnownHostEntry {
  marker: 'revoked' | 'cert-authority' | undefined;
  patterns: string;
  keyType: string;
  key: Buffer;
  line: number;
}

export type HostKeyVerdict =
  | { status: 'known'; line: number }
  | { status: 'unknown' }
  | { status: 'mismatch'; line: number }
  | { status: 'revoked'; line: number };

export function parseKnownHosts(text: string): KnownHostEntry[] {
  const entries: KnownHostEntry[] = [];
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const fields = line.split(/\s+/);
    let marker: KnownHostEntry['marker'];
    if (fields[0]?.startsWith('@')) {
      const name = fields.shift();
      if (name === '@revoked') marker = 'revoked';
      else if (name === '@cert-authority') marker = 'cert-authority';
      else return;
    }
    const [patterns, keyType, keyText] = fields;
    if (!patterns || !keyType || !keyText) return;
    const key = Buffer.from(keyText, 'base64');
    if (key.length === 0) return;
    entries.push({ marker, patterns, keyType, key, line: index + 1 });
  });
  return entries;
}

/** The name ssh looks up: `host` on port 22, else `[host]:port`. */
export function hostLookupName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

function globMatch(pattern: string, name: string): boolean {
  let source = '^';
  for (const ch of pattern) {
    if (ch === '*') source += '.*';
    else if (ch === '?') source += '.';
    else source += ch.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`${source}$`, 'i').test(name);
}

function hashedMatch(pattern: string, name: string): boolean {
  const [, magic, salt, hash] = pattern.split('|');
  if (magic !== '1' || !salt || !hash) return false;
  const digest = createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest('base64');
  return digest === hash;
}

/** Whether one entry's host field names `lookup` (ssh's rule: any positive match and no negated one). */
export function patternsMatch(patterns: string, lookup: string): boolean {
  if (patterns.startsWith('|')) return hashedMatch(patterns, lookup);
  let matched = false;
  for (const pattern of patterns.split(',')) {
    if (pattern.startsWith('!')) {
      if (globMatch(pattern.slice(1), lookup)) return false;
    } else if (globMatch(pattern, lookup)) {
      matched = true;
    }
  }
  return matched;
}

/** The key type inside an SSH wire-format public key blob (its first string). */
export function keyTypeOf(blob: Buffer): string {
  if (blob.length < 4) return '';
  const length = blob.readUInt32BE(0);
  return blob.subarray(4, 4 + length).toString('latin1');
}

export function fingerprint(blob: Buffer): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

/**
 * Checks a server's host key blob. A key of the same type listed under a different blob is a
 * mismatch (someone may be in the middle); a host listed only with other key types is unknown.
 */
export function verifyHostKey(
  entries: readonly KnownHostEntry[],
  host: string,
  port: number,
  blob: Buffer,
): HostKeyVerdict {
  const lookup = hostLookupName(host, port);
  const named = entries.filter((e) => e.marker !== 'cert-authority' && patternsMatch(e.patterns, lookup));
  const revoked = named.find((e) => e.marker === 'revoked' && e.key.equals(blob));
  if (revoked) return { status: 'revoked', line: revoked.line };
  const known = named.find((e) => e.marker === undefined && e.key.equals(blob));
  if (known) return { status: 'known', line: known.line };
  const type = keyTypeOf(blob);
  const clash = named.find((e) => e.marker === undefined && e.keyType === type);
  if (clash) return { status: 'mismatch', line: clash.line };
  return { status: 'unknown' };
}
