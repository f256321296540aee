import { style } from './style.js';

export interface Column<Row> {
  header: string;
  get: (row: Row) => string | number | undefined | null;
  /** Shown only with `-o wide`, as kubectl does. */
  wide?: boolean;
  colour?: (text: string, row: Row) => string;
}

const ANSI = /\u001b\[[0-9;]*m/g;
export function visibleWidth(text: string): number {
  return [...text.replace(ANSI, '')].length;
}

/** kubectl-style table: upper-case headers, columns separated by three spaces, no borders. */
export function renderTable<Row>(
  rows: readonly Row[],
  columns: readonly Column<Row>[],
  wide = false,
): string {
  const shown = columns.filter((c) => wide || !c.wide);
  const cells = rows.map((row) => shown.map((c) => String(c.get(row) ?? '')));
  const widths = shown.map((c, i) =>
    Math.max(c.header.length, ...cells.map((r) => visibleWidth(r[i] ?? ''))),
  );
  const pad = (text: string, i: number) =>
    text + ' '.repeat(Math.max(0, (widths[i] ?? 0) - visibleWidth(text)));
  const lines = [
    shown
      .map((c, i) => style.bold(pad(c.header.toUpperCase(), i)))
      .join('   ')
      .trimEnd(),
  ];
  rows.forEach((row, r) => {
    lines.push(
      shown
        .map((c, i) => {
          const text = cells[r]?.[i] ?? '';
          const padded = pad(text, i);
          return c.colour ? padded.replace(text, c.colour(text, row)) : padded;
        })
        .join('   ')
        .trimEnd(),
    );
  });
  return `${lines.join('\n')}\n`;
}
