import { ANNOTATIONS, KUBE_LABELS } from './objects.js';

/**
 * TTL environments: `up --ttl 2h` stamps `dev.kitten/expires-at` on every object; a project
 * (a part-of label within one namespace) is expired once the earliest stamp on any of its objects
 * has passed. Objects without a stamp never expire, so a project deployed without --ttl stays.
 */
type Plain = Record<string, unknown>;

export interface ProjectExpiry {
  project: string;
  namespace: string;
  /** ISO-8601; null when no object of the project carries a TTL. */
  expires_at: string | null;
  expired: boolean;
  objects: number;
}

function meta(o: Plain): {
  name: string;
  namespace?: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
} {
  const m = (o.metadata as Plain) ?? {};
  return {
    name: String(m.name ?? ''),
    ...(typeof m.namespace === 'string' ? { namespace: m.namespace } : {}),
    labels: (m.labels as Record<string, string>) ?? {},
    annotations: (m.annotations as Record<string, string>) ?? {},
  };
}

/** Groups Kitten's objects by (namespace, project); a Namespace object belongs to its own name. */
export function projectExpiries(objects: Plain[], now: Date): ProjectExpiry[] {
  const groups = new Map<string, ProjectExpiry & { earliest: number | null }>();
  for (const o of objects) {
    const m = meta(o);
    const project = m.annotations[ANNOTATIONS.project] ?? m.labels[KUBE_LABELS.partOf];
    if (!project) continue;
    const namespace = o.kind === 'Namespace' ? m.name : (m.namespace ?? '');
    const key = `${namespace}\u0000${project}`;
    const group = groups.get(key) ?? {
      project,
      namespace,
      expires_at: null,
      expired: false,
      objects: 0,
      earliest: null,
    };
    group.objects++;
    const stamp = Date.parse(m.annotations[ANNOTATIONS.expiresAt] ?? '');
    if (!Number.isNaN(stamp) && (group.earliest === null || stamp < group.earliest)) group.earliest = stamp;
    groups.set(key, group);
  }
  return [...groups.values()]
    .map(({ earliest, ...g }) => ({
      ...g,
      expires_at: earliest === null ? null : new Date(earliest).toISOString(),
      expired: earliest !== null && earliest <= now.getTime(),
    }))
    .sort((a, b) => a.namespace.localeCompare(b.namespace) || a.project.localeCompare(b.project));
}

/** `2h`, `30m`, `1d`, `90s`, `1h30m` → milliseconds; null when it is not a duration. */
export function parseTtl(text: string): number | null {
  const trimmed = text.trim();
  if (!/^(\d+(ms|s|m|h|d|w))+$/.test(trimmed)) return null;
  const units: Record<string, number> = {
    ms: 1,
    s: 1000,
    m: 60_000,
    h: 3_600_000,
    d: 86_400_000,
    w: 604_800_000,
  };
  let total = 0;
  for (const [, n, unit] of trimmed.matchAll(/(\d+)(ms|s|m|h|d|w)/g)) total += Number(n) * units[unit!]!;
  return total > 0 ? total : null;
}
