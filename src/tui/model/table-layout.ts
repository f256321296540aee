/**
 * Column widths and row lines for the full-screen tables. Widths come from every row (not just
 * the visible ones) so columns do not jump while scrolling; they are computed once per data
 * version by the caller. Cells are plain text: colour is applied per row, never inside a cell.
 */
import type { ColumnView } from '../session/port.js';

export interface TableLayout {
  /** Indices of the columns that fit, in order. */
  shown: number[];
  widths: number[];
}

const GAP = 2;
const MAX_CELL = 64;

export function layoutColumns(
  columns: readonly ColumnView[],
  rows: readonly { cells: string[] }[],
  width: number,
): TableLayout {
  const natural = columns.map((c, i) => {
    let w = c.header.length;
    for (const row of rows) {
      const len = row.cells[i]?.length ?? 0;
      if (len > w) w = len;
      if (w >= MAX_CELL) break;
    }
    return Math.min(w, MAX_CELL);
  });
  const total = (idx: number[]) =>
    idx.reduce((sum, i) => sum + (natural[i] ?? 0), 0) + GAP * Math.max(0, idx.length - 1);
  let shown = columns.map((_, i) => i);
  // Drop wide columns first (kubectl's `-o wide` extras), then trailing ones, until the row fits.
  for (let i = columns.length - 1; i >= 0 && total(shown) > width; i--) {
    if (columns[i]?.wide) shown = shown.filter((s) => s !== i);
  }
  while (shown.length > 1 && total(shown.slice(0, -1)) + GAP + 8 > width && total(shown) > width) {
    shown = shown.slice(0, -1);
  }
  const widths = shown.map((i) => natural[i] ?? 0);
  // The last column takes whatever is left (error messages, images), truncated to the screen.
  const used = total(shown) - (widths[widths.length - 1] ?? 0);
  if (widths.length > 0) widths[widths.length - 1] = Math.max(4, width - used);
  return { shown, widths };
}

export function truncate(text: string, width: number): string {
  if (width <= 0) return '';
  if (text.length <= width) return text;
  if (width === 1) return '…';
  return `${text.slice(0, width - 1)}…`;
}

export function formatLine(cells: readonly string[], layout: TableLayout): string {
  const parts: string[] = [];
  layout.shown.forEach((col, i) => {
    const w = layout.widths[i] ?? 0;
    const text = truncate((cells[col] ?? '').replace(/\s+/g, ' '), w);
    parts.push(i === layout.shown.length - 1 ? text : text.padEnd(w + GAP));
  });
  return parts.join('');
}
