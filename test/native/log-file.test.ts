import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  LineSplitter,
  LogWriter,
  parseStoredLines,
  readLogs,
  type StoredLine,
  selectLines,
} from '../../src/engine/runtime/native/log-file.js';
import { removeTempHomes, tempHome } from './stack-builders.js';

afterAll(removeTempHomes);

const line = (text: string, time: string, stream: 'stdout' | 'stderr' = 'stdout'): StoredLine => ({
  time,
  stream,
  text,
});

describe('container log files', () => {
  const lines = [
    line('a', '2026-01-01T00:00:00.000Z'),
    line('b', '2026-01-01T00:00:05.000Z', 'stderr'),
    line('c', '2026-01-01T00:00:10.000Z'),
  ];

  it.each([
    [{}, ['a', 'b', 'c']],
    [{ tail: 2 }, ['b', 'c']],
    [{ tail: 0 }, []],
    [{ tail: 10 }, ['a', 'b', 'c']],
    [{ since: new Date('2026-01-01T00:00:05.000Z') }, ['b', 'c']],
    [{ since: new Date('2026-01-01T00:00:01.000Z'), tail: 1 }, ['c']],
  ])('selects with %o → %o', (options, expected) => {
    expect(selectLines(lines, options).map((l) => l.text)).toEqual(expected);
  });

  it('splits a byte stream into lines, holding a partial line until the rest or the end', () => {
    const seen: string[] = [];
    const splitter = new LineSplitter((l) => seen.push(l));
    splitter.push('one\ntw');
    splitter.push('o\r\nthr');
    expect(seen).toEqual(['one', 'two']);
    splitter.end();
    expect(seen).toEqual(['one', 'two', 'thr']);
  });

  it('skips a line torn by a crash instead of failing the whole read', () => {
    const text = `${JSON.stringify(line('ok', '2026-01-01T00:00:00.000Z'))}\n{"time":"2026-01-01T00:0`;
    expect(parseStoredLines(text).map((l) => l.text)).toEqual(['ok']);
  });

  it('rotates past its cap to .1 and reads both back in order', async () => {
    const dir = tempHome('kitten-logs-');
    const path = join(dir, 'container.log');
    const writer = new LogWriter(path, 300);
    for (let i = 0; i < 10; i++)
      void writer.write('stdout', `line ${i}`, new Date(Date.UTC(2026, 0, 1, 0, 0, i)));
    await writer.flush();
    expect(readFileSync(path, 'utf8').length).toBeLessThanOrEqual(300);
    expect(readFileSync(`${path}.1`, 'utf8').length).toBeGreaterThan(0);
    const read: string[] = [];
    for await (const l of readLogs(path, 'c', 's', {})) read.push(l.text);
    // The oldest lines fell off with the previous .1; what is kept is in order and ends with the newest.
    expect(read.at(-1)).toBe('line 9');
    expect(read).toEqual([...read].sort((x, y) => Number(x.split(' ')[1]) - Number(y.split(' ')[1])));
  });

  it('keeps every line of a burst, in order, in a handful of appends', async () => {
    const path = join(tempHome('kitten-logs-'), 'container.log');
    const writer = new LogWriter(path);
    for (let i = 0; i < 5000; i++) void writer.write(i % 2 ? 'stderr' : 'stdout', `burst ${i}`);
    await writer.flush();
    const stored = parseStoredLines(readFileSync(path, 'utf8'));
    expect(stored).toHaveLength(5000);
    expect(stored.every((l, i) => l.text === `burst ${i}`)).toBe(true);
  });

  it('follows new lines until aborted', async () => {
    const dir = tempHome('kitten-logs-');
    const path = join(dir, 'container.log');
    writeFileSync(path, `${JSON.stringify(line('old', new Date().toISOString()))}\n`);
    const writer = new LogWriter(path);
    const controller = new AbortController();
    const seen: string[] = [];
    const reading = (async () => {
      for await (const l of readLogs(path, 'c', 's', { follow: true, tail: 0, signal: controller.signal })) {
        seen.push(l.text);
        if (seen.length === 2) controller.abort();
      }
    })();
    await new Promise((r) => setTimeout(r, 200));
    await writer.write('stdout', 'new 1');
    await writer.write('stderr', 'new 2');
    await reading;
    expect(seen).toEqual(['new 1', 'new 2']);
  });
});
