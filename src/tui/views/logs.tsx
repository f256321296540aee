import { Box, Text } from 'ink';
import { useEffect, useMemo, useRef, useState } from 'react';
import { maxOffset, TextPane, wrapLines } from '../components/text-pane.js';
import { useKeys } from '../components/use-keys.js';
import { scrollOffset } from './scroll-keys.js';

export interface LogsViewProps {
  title: string;
  /** `container` is one of `containers`, or absent for the first. */
  open: (follow: boolean, signal: AbortSignal, container?: string) => AsyncIterable<string>;
  /** The pod's containers, when there are several to switch between with `c`. */
  containers?: string[];
  height: number;
  width: number;
  onClose: () => void;
  /** How often buffered lines reach the screen: a chatty pod must not redraw per line. */
  flushMs?: number;
}

/** Lines kept in memory; older ones scroll away as in a terminal's scrollback. */
export const LOG_LIMIT = 10_000;

/**
 * `l`: logs, following by default; f toggles follow, w wraps, c moves to the pod's next container,
 * scrolling up pauses the tail.
 */
export function LogsView({
  title,
  open,
  containers = [],
  height,
  width,
  onClose,
  flushMs = 100,
}: LogsViewProps) {
  const [lines, setLines] = useState<string[]>([]);
  const [follow, setFollow] = useState(true);
  const [wrap, setWrap] = useState(false);
  const [offset, setOffset] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [ended, setEnded] = useState(false);
  const [containerAt, setContainerAt] = useState(0);
  const container = containers.length > 1 ? containers[containerAt % containers.length] : undefined;
  const buffer = useRef<string[]>([]);

  useEffect(() => {
    const controller = new AbortController();
    setLines([]);
    setEnded(false);
    setError(null);
    buffer.current = [];
    const flush = () => {
      if (buffer.current.length === 0) return;
      const fresh = buffer.current;
      buffer.current = [];
      setLines((old) => {
        const all = old.concat(fresh);
        return all.length > LOG_LIMIT ? all.slice(all.length - LOG_LIMIT) : all;
      });
    };
    (async () => {
      try {
        for await (const line of open(follow, controller.signal, container)) {
          if (controller.signal.aborted) return;
          buffer.current.push(line);
        }
        // "end of stream" must not show above lines still waiting for the next flush.
        if (!controller.signal.aborted) {
          flush();
          setEnded(true);
        }
      } catch (e) {
        if (!controller.signal.aborted) {
          flush();
          setError(e instanceof Error ? e.message : String(e));
        }
      }
    })();
    const timer = setInterval(flush, flushMs);
    return () => {
      controller.abort();
      clearInterval(timer);
    };
  }, [open, follow, flushMs, container]);

  const paneHeight = Math.max(1, height - 2);
  const shown = useMemo(() => (wrap ? wrapLines(lines, width) : lines), [lines, wrap, width]);
  const bottom = maxOffset(shown.length, paneHeight);
  // null offset means "stuck to the bottom", like `tail -f`.
  const at = offset === null ? bottom : Math.min(offset, bottom);

  useKeys((input, key) => {
    if (key.escape || input === 'q') return onClose();
    if (input === 'f') return setFollow((f) => !f);
    if (input === 'w') return setWrap((w) => !w);
    if (input === 'c' && containers.length > 1) {
      // The new container's lines start from its own tail, at the bottom.
      setOffset(null);
      return setContainerAt((i) => (i + 1) % containers.length);
    }
    const next = scrollOffset(at, input, key, paneHeight, bottom);
    if (next !== null) setOffset(next >= bottom ? null : next);
  });

  const flags = [
    follow ? 'follow' : 'no follow',
    wrap ? 'wrap' : 'no wrap',
    offset === null ? 'tail' : 'paused',
  ];
  return (
    <Box flexDirection="column" height={height}>
      <Text bold color="cyan" wrap="truncate">
        Logs {title}
        <Text color="gray">
          {'  '}
          {flags.join(' · ')} · {lines.length} lines{ended ? ' · end of stream' : ''}
        </Text>
      </Text>
      {error ? <Text color="red">✖ {error}</Text> : null}
      <TextPane lines={shown} offset={at} height={paneHeight - (error ? 1 : 0)} width={width} wrap={false} />
      <Box flexGrow={1} />
      <Text color="gray" wrap="truncate">
        f follow · w wrap{containers.length > 1 ? ' · c next container' : ''} · ↑/↓ PgUp/PgDn scroll (G back
        to tail) · Esc back
      </Text>
    </Box>
  );
}
