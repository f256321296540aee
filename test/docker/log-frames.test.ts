import { describe, expect, it } from 'vitest';
import { LogFrameDecoder, splitTimestamp } from '../../src/engine/runtime/docker/log-frames.js';

function frame(stream: 1 | 2, text: string): Buffer {
  const payload = Buffer.from(text, 'utf8');
  const header = Buffer.alloc(8);
  header[0] = stream;
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
}

describe('LogFrameDecoder', () => {
  it('separates stdout and stderr frames into lines', () => {
    const decoder = new LogFrameDecoder();
    const lines = decoder.push(Buffer.concat([frame(1, 'one\ntwo\n'), frame(2, 'oops\n')]));
    expect(lines).toEqual([
      { stream: 'stdout', text: 'one' },
      { stream: 'stdout', text: 'two' },
      { stream: 'stderr', text: 'oops' },
    ]);
  });

  it('joins a frame split across chunks, even inside its header', () => {
    const bytes = Buffer.concat([frame(1, 'hello world\n'), frame(2, 'bye\n')]);
    const decoder = new LogFrameDecoder();
    const lines = [];
    for (let i = 0; i < bytes.length; i += 3) lines.push(...decoder.push(bytes.subarray(i, i + 3)));
    expect(lines).toEqual([
      { stream: 'stdout', text: 'hello world' },
      { stream: 'stderr', text: 'bye' },
    ]);
  });

  it('joins a line split across frames and keeps streams apart', () => {
    const decoder = new LogFrameDecoder();
    expect(decoder.push(Buffer.concat([frame(1, 'par'), frame(2, 'err\n'), frame(1, 'tial\n')]))).toEqual([
      { stream: 'stderr', text: 'err' },
      { stream: 'stdout', text: 'partial' },
    ]);
  });

  it('does not cut a multi-byte character split between frames', () => {
    const euro = Buffer.from('€\n', 'utf8');
    const decoder = new LogFrameDecoder();
    const first = Buffer.concat([Buffer.from([1, 0, 0, 0, 0, 0, 0, 1]), euro.subarray(0, 1)]);
    const second = Buffer.concat([Buffer.from([1, 0, 0, 0, 0, 0, 0, euro.length - 1]), euro.subarray(1)]);
    expect([...decoder.push(first), ...decoder.push(second)]).toEqual([{ stream: 'stdout', text: '€' }]);
  });

  it('hands back an unterminated last line at the end', () => {
    const decoder = new LogFrameDecoder();
    expect(decoder.push(frame(1, 'no newline'))).toEqual([]);
    expect(decoder.end()).toEqual([{ stream: 'stdout', text: 'no newline' }]);
  });

  it('reads a TTY container raw as stdout, dropping carriage returns', () => {
    const decoder = new LogFrameDecoder(true);
    expect(decoder.push(Buffer.from('a\r\nb\r\n'))).toEqual([
      { stream: 'stdout', text: 'a' },
      { stream: 'stdout', text: 'b' },
    ]);
  });
});

describe('splitTimestamp', () => {
  it.each([
    ['2026-11-21T17:28:25.161152489Z hello', '2026-11-21T17:28:25.161Z', 'hello'],
    ['2026-11-21T17:28:25Z  two spaces', '2026-11-21T17:28:25.000Z', ' two spaces'],
    ['2026-11-21T17:28:25.5+01:00 zone', '2026-11-21T16:28:25.500Z', 'zone'],
  ])('splits %j', (input, time, text) => {
    expect(splitTimestamp(input)).toEqual({ time, text });
  });

  it('leaves a line without a timestamp alone', () => {
    expect(splitTimestamp('plain text here')).toEqual({ time: null, text: 'plain text here' });
  });
});
