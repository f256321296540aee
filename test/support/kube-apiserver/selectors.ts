/**
 * Label and field selectors with the real API server's grammar: equality (`a=b`, `a==b`,
 * `a!=b`), set-based (`a in (x,y)`, `a notin (x)`, `a`, `!a`), comma = AND.
 */
export type Requirement =
  | { key: string; op: 'eq' | 'neq'; values: [string] }
  | { key: string; op: 'in' | 'notin'; values: string[] }
  | { key: string; op: 'exists' | 'notexists'; values: [] };

export class SelectorError extends Error {}

/** Splits on commas that are not inside parentheses. */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of text) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  if (current.trim() !== '') parts.push(current);
  return parts.map((p) => p.trim()).filter((p) => p !== '');
}

export function parseLabelSelector(text: string | null | undefined): Requirement[] {
  if (!text) return [];
  return splitTopLevel(text).map((part) => {
    let m = /^([^\s!=(),]+)\s+(in|notin)\s*\(([^)]*)\)$/.exec(part);
    if (m) {
      const values = m[3]!
        .split(',')
        .map((v) => v.trim())
        .filter((v) => v !== '');
      return { key: m[1]!, op: m[2] as 'in' | 'notin', values };
    }
    m = /^([^\s!=(),]+)\s*(==|=|!=)\s*([^\s!=(),]*)$/.exec(part);
    if (m) return { key: m[1]!, op: m[2] === '!=' ? 'neq' : 'eq', values: [m[3]!] };
    m = /^!\s*([^\s!=(),]+)$/.exec(part);
    if (m) return { key: m[1]!, op: 'notexists', values: [] };
    m = /^([^\s!=(),]+)$/.exec(part);
    if (m) return { key: m[1]!, op: 'exists', values: [] };
    throw new SelectorError(`unable to parse requirement: ${part}`);
  });
}

export function matchesLabels(
  requirements: Requirement[],
  labels: Record<string, string> | undefined,
): boolean {
  const l = labels ?? {};
  return requirements.every((req) => {
    const has = Object.hasOwn(l, req.key);
    const value = l[req.key];
    switch (req.op) {
      case 'eq':
        return has && value === req.values[0];
      case 'neq':
        return !has || value !== req.values[0];
      case 'in':
        return has && req.values.includes(value!);
      case 'notin':
        return !has || !req.values.includes(value!);
      case 'exists':
        return has;
      case 'notexists':
        return !has;
      default:
        return false;
    }
  });
}

export interface FieldRequirement {
  path: string[];
  negate: boolean;
  value: string;
}

export function parseFieldSelector(text: string | null | undefined): FieldRequirement[] {
  if (!text) return [];
  return text
    .split(',')
    .filter((p) => p.trim() !== '')
    .map((part) => {
      const m = /^\s*([A-Za-z0-9.]+)\s*(==|=|!=)\s*(.*?)\s*$/.exec(part);
      if (!m) throw new SelectorError(`invalid selector: '${part}'; can't understand '${part}'`);
      return { path: m[1]!.split('.'), negate: m[2] === '!=', value: m[3]! };
    });
}

export function matchesFields(requirements: FieldRequirement[], object: unknown): boolean {
  return requirements.every((req) => {
    let cursor: unknown = object;
    for (const segment of req.path) {
      cursor =
        cursor && typeof cursor === 'object' ? (cursor as Record<string, unknown>)[segment] : undefined;
    }
    const actual = cursor === undefined || cursor === null ? '' : String(cursor);
    return req.negate ? actual !== req.value : actual === req.value;
  });
}
