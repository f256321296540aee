import { appendFile, open, readFile, rename, stat } from 'node:fs/promises';
import type { LogLine, LogOptions } from '../types.js';

/**
 * Per-container logs, one JSON object per line ({time, stream, text}), as Docker's json-file
 * driver keeps them: timestamps come from the moment the supervisor read the line. The file is
 * capped; when it passes the cap it becomes `container.log.1` (the previous `.1` is dropped).
 */
export const LOG_FILE = 'container.log';
export const DEFAULT_LOG_CAP_BYTES = 10 * 1024 * 1024;

export interface StoredLine {
  time: string;
  stream: 'stdout' | 'stderr';
  text: string;
}

export class LogWriter {
  private size = -1;
  private pending: string[] = [];
  private queue: Promise<void> = Promise.resolve();
  private scheduled = false;

  constructor(
    private readonly path: string,
    private readonly capBytes = DEFAULT_LOG_CAP_BYTES,
  ) {}

  /**
   * Lines are gathered and appended in one write per turn of the event loop: a container
   * printing thousands of lines a second costs a few appends, not thousands.
   */
  write(stream: 'stdout' | 'stderr', text: string, time = new Date()): Promise<void> {
    this.pending.push(`${JSON.stringify({ time: time.toISOString(), stream, text } satisfies StoredLine)}\n`);
    if (!this.scheduled) {
      this.scheduled = true;
      // Appends are serialized so rotation never interleaves with a write.
      this.queue = this.queue
        .then(() => new Promise<void>((resolve) => setImmediate(resolve)))
        .then(() => {
          this.scheduled = false;
          return this.appendPending();
        })
        .catch(() => undefined);
    }
    return this.queue;
  }

  flush(): Promise<void> {
    return this.queue;
  }

  private async appendPending(): Promise<void> {
    const lines = this.pending;
    this.pending = [];
    if (lines.length === 0) return;
    if (this.size < 0) {
      this.size = await stat(this.path).then(
        (s) => s.size,
        () => 0,
      );
    }
    // Rotate between lines: the cap may be passed by the lines of one batch, never split within one.
    let chunk = '';
    for (const line of lines) {
      const bytes = Buffer.byteLength(line);
      if (this.size > 0 && this.size + bytes > this.capBytes) {
        if (chunk) await appendFile(this.path, chunk);
        chunk = '';
        await rename(this.path, `${this.path}.1`).catch(() => undefined);
        this.size = 0;
      }
      chunk += line;
      this.size += bytes;
    }
    if (chunk) await appendFile(this.path, chunk);
  }
}

/** Splits a byte stream into lines; a trailing partial line waits for the rest (or `end`). */
export class LineSplitter {
  private pending = '';
  constructor(private readonly onLine: (line: string) => void) {}
  push(chunk: string): void {
    const parts = (this.pending + chunk).split('\n');
    this.pending = parts.pop() ?? '';
    for (const part of parts) this.onLine(part.endsWith('\r') ? part.slice(0, -1) : part);
  }
  end(): void {
    if (this.pending) this.onLine(this.pending);
    this.pending = '';
  }
}

export function parseStoredLines(text: string): StoredLine[] {
  const lines: StoredLine[] = [];
  for (const raw of text.split('\n')) {
    if (!raw) continue;
    try {
      const parsed = JSON.parse(raw) as StoredLine;
      if (typeof parsed.time === 'string' && typeof parsed.text === 'string') lines.push(parsed);
    } catch {
      // a line torn by a crash mid-append is skipped, not fatal
    }
  }
  return lines;
}

/** Applies --since and --tail to stored lines (pure). */
export function selectLines(
  lines: readonly StoredLine[],
  options: Pick<LogOptions, 'since' | 'tail'>,
): StoredLine[] {
  const since = options.since?.getTime();
  const kept = since === undefined ? [...lines] : lines.filter((l) => Date.parse(l.time) >= since);
  if (options.tail === undefined || options.tail < 0) return kept;
  return options.tail === 0 ? [] : kept.slice(-options.tail);
}

async function readIfExists(path: string): Promise<string> {
  return readFile(path, 'utf8').catch(() => '');
}

const FOLLOW_POLL_MS = 150;

export async function* readLogs(
  path: string,
  container: string,
  service: string,
  options: LogOptions,
): AsyncIterable<LogLine> {
  const toLine = (l: StoredLine): LogLine => ({
    container,
    service,
    stream: l.stream,
    time: l.time,
    text: l.text,
  });
  const current = await readIfExists(path);
  const text = (await readIfExists(`${path}.1`)) + current;
  for (const line of selectLines(parseStoredLines(text), options)) yield toLine(line);
  if (!options.follow) return;
  // Follow from exactly what was read, so no line falls between the read and the first poll.
  let offset = Buffer.byteLength(current);
  let pending = '';
  while (!options.signal?.aborted) {
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, FOLLOW_POLL_MS);
      options.signal?.addEventListener('abort', done, { once: true });
    });
    if (options.signal?.aborted) return;
    const size = await stat(path).then(
      (s) => s.size,
      () => 0,
    );
    // Rotated (or truncated): the new file starts from the beginning.
    if (size < offset) {
      offset = 0;
      pending = '';
    }
    if (size === offset) continue;
    const handle = await open(path, 'r');
    try {
      const buffer = Buffer.alloc(size - offset);
      await handle.read(buffer, 0, buffer.length, offset);
      offset = size;
      const chunk = pending + buffer.toString('utf8');
      const cut = chunk.lastIndexOf('\n');
      pending = chunk.slice(cut + 1);
      for (const line of parseStoredLines(chunk.slice(0, cut + 1))) yield toLine(line);
    } finally {
      await handle.close();
    }
  }
}
