/** Sizes, CPU counts and durations as people write them in stack and compose files. */

const SIZE_UNITS: Record<string, number> = {
  '': 1,
  b: 1,
  k: 1024,
  kb: 1024,
  kib: 1024,
  m: 1024 ** 2,
  mb: 1024 ** 2,
  mib: 1024 ** 2,
  g: 1024 ** 3,
  gb: 1024 ** 3,
  gib: 1024 ** 3,
  t: 1024 ** 4,
  tb: 1024 ** 4,
  tib: 1024 ** 4,
};

/** Bytes from `512m`, `1g`, `256MiB`, `1.5g` or a plain byte count; null when malformed. */
export function parseMemory(value: string | number): number | null {
  if (typeof value === 'number') return Number.isInteger(value) && value > 0 ? value : null;
  const match = /^\s*([0-9]+(?:\.[0-9]+)?)\s*([a-zA-Z]*)\s*$/.exec(value);
  if (!match) return null;
  const unit = SIZE_UNITS[(match[2] ?? '').toLowerCase()];
  if (unit === undefined) return null;
  const bytes = Math.floor(Number(match[1]) * unit);
  return bytes > 0 ? bytes : null;
}

/** CPU cores from `0.5`, `2` or `"1.5"`; null when malformed or not positive. */
export function parseCpus(value: string | number): number | null {
  const n =
    typeof value === 'number' ? value : /^\s*[0-9]+(\.[0-9]+)?\s*$/.test(value) ? Number(value) : Number.NaN;
  return Number.isFinite(n) && n > 0 ? n : null;
}

const DURATION_UNITS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

/** Milliseconds from Go-style durations (`500ms`, `10s`, `1m30s`); null when malformed. */
export function parseDuration(value: string): number | null {
  const re = /([0-9]+(?:\.[0-9]+)?)(ns|us|ms|s|m|h)/y;
  let total = 0;
  let index = 0;
  while (index < value.length) {
    re.lastIndex = index;
    const match = re.exec(value);
    if (!match) return null;
    total += Number(match[1]) * (DURATION_UNITS[match[2] ?? ''] ?? Number.NaN);
    index = re.lastIndex;
  }
  return value.length > 0 && Number.isFinite(total) ? Math.round(total) : null;
}

/** `1h2m3s` style, for messages and compose output. */
export function formatDuration(ms: number): string {
  if (ms % 3_600_000 === 0 && ms > 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0 && ms > 0) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}
