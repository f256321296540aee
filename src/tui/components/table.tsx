import { Box, Text } from 'ink';
import { memo, type ReactElement, useMemo } from 'react';
import { formatLine, layoutColumns, truncate } from '../model/table-layout.js';
import { viewportFor } from '../model/viewport.js';
import type { ColumnView, RowView } from '../session/port.js';
import { toneColour } from './tone.js';

export interface TableProps {
  columns: ColumnView[];
  rows: RowView[];
  /** Rows used for column widths: the unfiltered set, so filtering does not reflow columns. */
  allRows?: RowView[];
  selected: number;
  offset: number;
  /** Lines available for the table, header included. */
  height: number;
  width: number;
  emptyText: string;
}

/**
 * A virtualised table: only the rows inside the viewport become Ink nodes, one `Text` per line,
 * so the cost of a frame does not grow with the table.
 */
export const Table = memo(function Table(props: TableProps) {
  const { columns, rows, selected, height, width } = props;
  const widthRows = props.allRows ?? rows;
  const layout = useMemo(() => layoutColumns(columns, widthRows, width), [columns, widthRows, width]);
  const header = useMemo(
    () =>
      formatLine(
        columns.map((c) => c.header),
        layout,
      ),
    [columns, layout],
  );
  const bodyHeight = Math.max(1, height - 1);
  const view = viewportFor(rows.length, selected, props.offset, bodyHeight);
  const lines: ReactElement[] = [];
  for (let i = view.offset; i < view.end; i++) {
    const row = rows[i]!;
    const isSelected = i === selected;
    // Only the cursor row is padded (its inverse bar spans the screen): every character drawn
    // costs Ink a styled-cell, so unselected rows stop where their text does.
    const line = truncate(formatLine(row.cells, layout), width);
    const text = isSelected ? line.padEnd(width) : line;
    lines.push(
      <Text
        key={row.key}
        color={isSelected ? undefined : toneColour[row.tone]}
        inverse={isSelected}
        wrap="truncate"
      >
        {text}
      </Text>,
    );
  }
  return (
    <Box flexDirection="column" height={height}>
      <Text bold wrap="truncate">
        {truncate(header, width)}
      </Text>
      {rows.length === 0 ? (
        <Text color="gray" wrap="truncate">
          {truncate(props.emptyText, width)}
        </Text>
      ) : (
        lines
      )}
    </Box>
  );
});
