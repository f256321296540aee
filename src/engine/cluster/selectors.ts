import type { LabelSelector } from './objects.js';

/** Equality selector (Service.spec.selector): every pair must match; empty matches nothing, as Services do. */
export function matchesEquality(
  selector: Record<string, string> | undefined,
  labels: Record<string, string> = {},
): boolean {
  if (!selector) return false;
  const entries = Object.entries(selector);
  if (entries.length === 0) return false;
  return entries.every(([k, v]) => labels[k] === v);
}

/** metav1.LabelSelector semantics: an empty selector matches everything. */
export function matchesSelector(
  selector: LabelSelector | undefined,
  labels: Record<string, string> = {},
): boolean {
  if (!selector) return false;
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const req of selector.matchExpressions ?? []) {
    const has = Object.hasOwn(labels, req.key);
    const value = labels[req.key];
    switch (req.operator) {
      case 'In':
        if (!has || !(req.values ?? []).includes(value ?? '')) return false;
        break;
      case 'NotIn':
        if (has && (req.values ?? []).includes(value ?? '')) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
    }
  }
  return true;
}

/** `app=cart,tier!=db` as kubectl prints selectors in wide output. */
export function selectorText(selector: LabelSelector | Record<string, string> | undefined): string {
  if (!selector) return '<none>';
  const labels =
    'matchLabels' in selector || 'matchExpressions' in selector ? (selector as LabelSelector) : undefined;
  const pairs = labels ? (labels.matchLabels ?? {}) : (selector as Record<string, string>);
  const parts = Object.entries(pairs).map(([k, v]) => `${k}=${v}`);
  for (const req of labels?.matchExpressions ?? []) {
    if (req.operator === 'Exists') parts.push(req.key);
    else if (req.operator === 'DoesNotExist') parts.push(`!${req.key}`);
    else parts.push(`${req.key} ${req.operator.toLowerCase()} (${(req.values ?? []).join(',')})`);
  }
  return parts.length > 0 ? parts.join(',') : '<none>';
}
