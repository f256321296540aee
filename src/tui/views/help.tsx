import { Box, Text } from 'ink';
import { useState } from 'react';
import { maxOffset, TextPane } from '../components/text-pane.js';
import { useKeys } from '../components/use-keys.js';
import { helpSections } from '../model/keys.js';
import { scrollOffset } from './scroll-keys.js';

/** The help text as lines, from the same list the footer is drawn from. */
export function helpLines(): string[] {
  const lines: string[] = [];
  for (const section of helpSections) {
    if (lines.length > 0) lines.push('');
    lines.push(section.title);
    for (const k of section.keys) lines.push(`  ${k.keys.padEnd(14)} ${k.does}`);
  }
  return lines;
}

/** `?`: every key; scrolls when the terminal is shorter than the list. */
export function HelpOverlay({
  onClose,
  width,
  height,
}: {
  onClose: () => void;
  width: number;
  height: number;
}) {
  const lines = helpLines();
  const [offset, setOffset] = useState(0);
  const paneHeight = Math.max(1, height - 2);
  useKeys((input, key) => {
    if (key.escape || input === '?' || input === 'q' || key.return) return onClose();
    const next = scrollOffset(offset, input, key, paneHeight, maxOffset(lines.length, paneHeight));
    if (next !== null) setOffset(next);
  });
  return (
    <Box flexDirection="column" height={height}>
      <Text bold color="cyan">
        Keys
      </Text>
      <TextPane lines={lines} offset={offset} height={paneHeight} width={width} wrap={false} />
      <Text color="gray">{lines.length > paneHeight ? '↑/↓ scroll · ' : ''}Esc or ? to close</Text>
    </Box>
  );
}
