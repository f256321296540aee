/**
 * Live tables are replaced wholesale on every refresh; the selection follows the row's key, not
 * its index, so a pod appearing above the cursor does not move the person's place. When the
 * selected row is gone, the cursor stays at the same index (clamped), as k9s does.
 */
export function reselect(
  previousKey: string | undefined,
  previousIndex: number,
  keys: readonly string[],
): number {
  if (keys.length === 0) return 0;
  if (previousKey !== undefined) {
    const at = keys.indexOf(previousKey);
    if (at >= 0) return at;
  }
  return Math.max(0, Math.min(previousIndex, keys.length - 1));
}
