import { createHash } from 'node:crypto';
import type { ContainerSpec } from '../stack/model.js';

/**
 * The config hash decides whether `up` recreates a container. It leaves out what must not force a
 * recreate: depends_on (start order only) and replicas (scaling adds or removes copies).
 */
export function configHash(spec: ContainerSpec): string {
  const { depends_on: _deps, replicas: _replicas, ...rest } = spec;
  return createHash('sha256').update(canonicalJson(rest)).digest('hex');
}

/** JSON with sorted keys, so equal configs hash equally whatever order their keys came in. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
