/**
 * Virtualisation for tables and text panes: which slice of rows is on screen. Only this slice is
 * rendered, so 10,000 rows cost what 40 do. The selected row is always kept in view with the
 * least scrolling (the window moves only when the selection leaves it).
 */
export interface Viewport {
  /** First row on screen. */
  offset: number;
  /** One past the last row on screen. */
  end: number;
}

export function clamp(value: number, min: number, max: number): number {
  return Math.max(min, Math.min(max, value));
}

export function viewportFor(
  total: number,
  selected: number,
  previousOffset: number,
  height: number,
): Viewport {
  const rows = Math.max(1, height);
  if (total <= rows) return { offset: 0, end: total };
  let offset = clamp(previousOffset, 0, total - rows);
  if (selected < offset) offset = selected;
  else if (selected >= offset + rows) offset = selected - rows + 1;
  offset = clamp(offset, 0, total - rows);
  return { offset, end: offset + rows };
}

export type Motion = 'up' | 'down' | 'pageUp' | 'pageDown' | 'top' | 'bottom';

/** Where the selection lands after a motion key; a page is one screenful less one row of overlap. */
export function move(selected: number, total: number, motion: Motion, height: number): number {
  if (total === 0) return 0;
  const page = Math.max(1, height - 1);
  const next = {
    up: selected - 1,
    down: selected + 1,
    pageUp: selected - page,
    pageDown: selected + page,
    top: 0,
    bottom: total - 1,
  }[motion];
  return clamp(next, 0, total - 1);
}
