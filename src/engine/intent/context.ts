import type { Target } from './command.js';

/**
 * What the translator may know about the world: names that exist (from the runtimes) and which
 * runtimes answered. Names are data, never instructions: only names shaped like container or
 * Kubernetes object names are kept, so text from a cluster cannot smuggle words into a prompt.
 */
export interface IntentContext {
  containers?: string[];
  deployments?: string[];
  pods?: string[];
  services?: string[];
  nodes?: string[];
  reachable?: Partial<Record<Target, boolean>>;
}

const OBJECT_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,252}$/;

export function sanitizeContext(context: IntentContext): IntentContext {
  const clean = (names: string[] | undefined) =>
    names ? [...new Set(names.filter((n) => OBJECT_NAME.test(n)))].slice(0, 500) : undefined;
  return {
    containers: clean(context.containers),
    deployments: clean(context.deployments),
    pods: clean(context.pods),
    services: clean(context.services),
    nodes: clean(context.nodes),
    reachable: context.reachable,
  };
}

export type NameResolution =
  | { status: 'resolved'; name: string }
  | { status: 'ambiguous'; candidates: string[] }
  | { status: 'none' };

const squash = (text: string) => text.toLowerCase().replace(/[-_.\s]/g, '');

function editDistanceAtMostOne(a: string, b: string): boolean {
  if (a === b) return true;
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  let j = 0;
  let edits = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      i++;
      j++;
      continue;
    }
    if (++edits > 1) return false;
    if (a.length > b.length) i++;
    else if (b.length > a.length) j++;
    else {
      i++;
      j++;
    }
  }
  return edits + (a.length - i) + (b.length - j) <= 1;
}

/**
 * Finds the one existing name a phrase means: exact first, then the same letters with other
 * separators ("my app" → my-app), then one typo away for names long enough that a typo is
 * plausible. Two candidates at the same step is ambiguity, never a coin toss.
 */
export function resolveAgainst(variants: readonly string[], pool: readonly string[]): NameResolution {
  if (pool.length === 0) return { status: 'none' };
  const lowerPool = new Map(pool.map((n) => [n.toLowerCase(), n]));
  for (const v of variants) {
    const exact = lowerPool.get(v.toLowerCase());
    if (exact) return { status: 'resolved', name: exact };
  }
  const steps: Array<(candidate: string, variant: string) => boolean> = [
    (candidate, variant) => squash(candidate) === squash(variant),
    (candidate, variant) =>
      squash(variant).length >= 4 && editDistanceAtMostOne(squash(candidate), squash(variant)),
  ];
  for (const step of steps) {
    const found = new Set<string>();
    for (const v of variants) for (const candidate of pool) if (step(candidate, v)) found.add(candidate);
    if (found.size === 1) return { status: 'resolved', name: [...found][0] as string };
    if (found.size > 1) return { status: 'ambiguous', candidates: [...found].sort() };
  }
  return { status: 'none' };
}
