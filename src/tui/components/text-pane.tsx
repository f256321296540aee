import { Box, Text } from 'ink';
import { useMemo } from 'react';
import { truncate } from '../model/table-layout.js';

export interface TextPaneProps {
  lines: readonly string[];
  /** First line shown. */
  offset: number;
  height: number;
  width: number;
  wrap: boolean;
}

/** Splits long lines into screen-wide pieces when wrapping; otherwise truncates them. */
export function wrapLines(lines: readonly string[], width: number): string[] {
  const out: string[] = [];
  const w = Math.max(1, width);
  for (const line of lines) {
    if (line.length <= w) out.push(line);
    else for (let i = 0; i < line.length; i += w) out.push(line.slice(i, i + w));
  }
  return out;
}

/** A scrollable, virtualised text area (details YAML, logs, command output). */
export function TextPane({ lines, offset, height, width, wrap }: TextPaneProps) {
  const shown = useMemo(() => (wrap ? wrapLines(lines, width) : lines), [lines, wrap, width]);
  const start = Math.max(0, Math.min(offset, Math.max(0, shown.length - height)));
  const visible = shown.slice(start, start + height);
  return (
    <Box flexDirection="column" height={height}>
      {visible.map((line, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: lines have no identity beyond their position
        <Text key={start + i} wrap="truncate">
          {truncate(line.replace(/\t/g, '  '), width) || ' '}
        </Text>
      ))}
    </Box>
  );
}

/** The scroll limit for a pane, so End/G land on the last screenful. */
export function maxOffset(lineCount: number, height: number): number {
  return Math.max(0, lineCount - height);
}
