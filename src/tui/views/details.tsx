import { Box, Text } from 'ink';
import { useEffect, useState } from 'react';
import { Spinner } from '../components/spinner.js';
import { maxOffset, TextPane } from '../components/text-pane.js';
import { useKeys } from '../components/use-keys.js';
import { scrollOffset } from './scroll-keys.js';

export interface DetailsViewProps {
  title: string;
  load: () => Promise<string>;
  height: number;
  width: number;
  onClose: () => void;
}

/** `Enter`: the object as YAML, scrollable. */
export function DetailsView({ title, load, height, width, onClose }: DetailsViewProps) {
  const [text, setText] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [offset, setOffset] = useState(0);
  useEffect(() => {
    let live = true;
    load()
      .then((t) => live && setText(t))
      .catch((e: unknown) => live && setError(e instanceof Error ? e.message : String(e)));
    return () => {
      live = false;
    };
  }, [load]);
  const lines = text === null ? [] : text.replace(/\n$/, '').split('\n');
  const paneHeight = Math.max(1, height - 2);
  useKeys((input, key) => {
    if (key.escape || input === 'q') return onClose();
    const next = scrollOffset(offset, input, key, paneHeight, maxOffset(lines.length, paneHeight));
    if (next !== null) setOffset(next);
  });
  return (
    <Box flexDirection="column" height={height}>
      <Text bold color="cyan" wrap="truncate">
        {title}
        <Text color="gray">
          {'  '}
          {lines.length > 0
            ? `lines ${offset + 1}–${Math.min(lines.length, offset + paneHeight)} of ${lines.length}`
            : ''}
        </Text>
      </Text>
      {error ? <Text color="red">✖ {error}</Text> : null}
      {text === null && !error ? <Spinner label="loading…" /> : null}
      {text !== null ? (
        <TextPane lines={lines} offset={offset} height={paneHeight} width={width} wrap={false} />
      ) : null}
      <Box flexGrow={1} />
      <Text color="gray">↑/↓ PgUp/PgDn g/G scroll · Esc back</Text>
    </Box>
  );
}
