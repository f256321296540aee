/**
 * The `/` filter: substring first, then fzf-style subsequences within one word. Consecutive runs
 * and matches at word starts score higher, so `cr` ranks `crashloop` above `checkout-rollout`.
 * Space-separated terms must all match (AND), as in k9s and fzf.
 */
export function fuzzyScore(query: string, text: string): number | null {
  const terms = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (terms.length === 0) return 0;
  const haystack = text.toLowerCase();
  let total = 0;
  for (const term of terms) {
    const score = termScore(term, haystack);
    if (score === null) return null;
    total += score;
  }
  return total;
}

function termScore(term: string, haystack: string): number | null {
  // A plain substring is the strongest signal: rank it above any scattered match.
  const direct = haystack.indexOf(term);
  if (direct >= 0)
    return 1000 + term.length * 10 - Math.min(direct, 100) + (isWordStart(haystack, direct) ? 50 : 0);
  // Scattered letters must fall inside one cell-like word (`clb` in `crashloopbackoff`): across a
  // whole row of columns almost any three letters would match.
  let best: number | null = null;
  for (const word of haystack.split(/\s+/)) {
    const score = subsequenceScore(term, word);
    if (score !== null && (best === null || score > best)) best = score;
  }
  return best;
}

function subsequenceScore(term: string, word: string): number | null {
  let score = 0;
  let from = 0;
  let previous = -2;
  for (const ch of term) {
    const at = word.indexOf(ch, from);
    if (at < 0) return null;
    score += at === previous + 1 ? 8 : 1;
    if (isWordStart(word, at)) score += 4;
    previous = at;
    from = at + 1;
  }
  return score;
}

function isWordStart(text: string, at: number): boolean {
  if (at === 0) return true;
  return /[\s/\-_.:]/.test(text[at - 1] ?? '');
}

/**
 * Keeps rows whose text matches, best first; ties keep the original order so a filtered table
 * does not shuffle as the person types.
 */
export function fuzzyFilter<T>(items: readonly T[], query: string, textOf: (item: T) => string): T[] {
  if (query.trim() === '') return [...items];
  const scored: { item: T; score: number; index: number }[] = [];
  items.forEach((item, index) => {
    const score = fuzzyScore(query, textOf(item));
    if (score !== null) scored.push({ item, score, index });
  });
  scored.sort((a, b) => b.score - a.score || a.index - b.index);
  return scored.map((s) => s.item);
}
