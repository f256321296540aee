import { createHash } from 'node:crypto';

/**
 * Kubernetes names: objects and containers are RFC 1123 labels (≤ 63, [a-z0-9-], alphanumeric at
 * both ends); Services are RFC 1035 labels (must also start with a letter). Stack names allow
 * `_` and upper case, so they are sanitized, and names that collide after sanitizing get a short
 * hash of the original so each stays distinct and stable across runs.
 */
export const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
export const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const MAX_LABEL = 63;

export function shortHash(text: string, length = 6): string {
  return createHash('sha256').update(text).digest('hex').slice(0, length);
}

function trimTo(text: string, max: number): string {
  return text.slice(0, max).replace(/-+$/, '');
}

/** A DNS-1035 label (which is also a valid DNS-1123 label) made from any stack name. */
export function dnsLabel(name: string, max = MAX_LABEL): string {
  let label = name
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^-+|-+$/g, '');
  if (!/^[a-z]/.test(label)) label = `s-${label}`.replace(/-+$/, '');
  if (label.length > max) label = `${trimTo(label, max - 7)}-${shortHash(name)}`;
  return label || `s-${shortHash(name)}`;
}

/**
 * Sanitized names for a set of stack names: an exact-valid name is kept; names whose sanitized
 * form collides with another get `-<hash>` so the mapping is one-to-one and deterministic.
 */
export function assignNames(names: readonly string[], max = MAX_LABEL): Map<string, string> {
  const base = new Map(names.map((n) => [n, dnsLabel(n, max)]));
  const groups = new Map<string, string[]>();
  for (const [original, label] of base) groups.set(label, [...(groups.get(label) ?? []), original]);
  const out = new Map<string, string>();
  for (const [label, members] of groups) {
    for (const original of members) {
      const unique = members.length === 1 || original === label;
      out.set(original, unique ? label : `${trimTo(label, max - 7)}-${shortHash(original)}`);
    }
  }
  return out;
}

/** A label value: ≤ 63 of [A-Za-z0-9-_.], alphanumeric at both ends (empty is allowed). */
export function labelValue(text: string): string {
  const cleaned = text.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '');
  if (cleaned.length <= MAX_LABEL) return cleaned;
  return `${cleaned.slice(0, MAX_LABEL - 7).replace(/[^A-Za-z0-9]+$/, '')}-${shortHash(text)}`;
}

const LABEL_KEY_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export function isValidLabelKey(key: string): boolean {
  const slash = key.lastIndexOf('/');
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  const prefix = slash >= 0 ? key.slice(0, slash) : '';
  if (name.length === 0 || name.length > MAX_LABEL || !LABEL_KEY_NAME.test(name)) return false;
  return prefix === '' || (prefix.length <= 253 && DNS1123_SUBDOMAIN.test(prefix));
}

export function isValidLabelValue(value: string): boolean {
  return value.length <= MAX_LABEL && /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/.test(value);
}

/** IANA service names for ports: ≤ 15, lower case alphanumerics and '-', at least one letter. */
export function portName(protocol: string, port: number): string {
  return `${protocol.toLowerCase()}-${port}`;
}
