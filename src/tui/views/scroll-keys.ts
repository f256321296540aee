import type { KeyLike } from '../model/line-edit.js';
import { clamp } from '../model/viewport.js';

/** Scroll keys shared by the text panes (details, logs, help): returns the new offset or null. */
export function scrollOffset(
  offset: number,
  input: string,
  key: KeyLike,
  height: number,
  max: number,
): number | null {
  const page = Math.max(1, height - 1);
  if (key.downArrow || input === 'j') return clamp(offset + 1, 0, max);
  if (key.upArrow || input === 'k') return clamp(offset - 1, 0, max);
  if (key.pageDown || input === ' ') return clamp(offset + page, 0, max);
  if (key.pageUp) return clamp(offset - page, 0, max);
  if (input === 'g') return 0;
  if (input === 'G') return max;
  return null;
}
