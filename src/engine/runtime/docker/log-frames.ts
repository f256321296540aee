/**
 * Docker's multiplexed attach/logs stream: frames of an 8-byte header (stream 1 = stdout,
 * 2 = stderr, then a big-endian uint32 length) followed by the payload. Frames split lines and
 * lines split frames, so the decoder keeps a byte buffer per stream and yields whole lines.
 * A container created with a TTY sends raw bytes instead; `raw` mode treats them as stdout.
 */
export type StreamName = 'stdout' | 'stderr';

export interface DecodedLine {
  stream: StreamName;
  text: string;
}

export class LogFrameDecoder {
  private pending: Buffer = Buffer.alloc(0);
  private readonly partial: Record<StreamName, Buffer> = {
    stdout: Buffer.alloc(0),
    stderr: Buffer.alloc(0),
  };

  constructor(private readonly raw = false) {}

  /** Feeds bytes; returns the complete lines they finish. */
  push(chunk: Buffer): DecodedLine[] {
    if (this.raw) return this.append('stdout', chunk);
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    const lines: DecodedLine[] = [];
    while (this.pending.length >= 8) {
      const size = this.pending.readUInt32BE(4);
      if (this.pending.length < 8 + size) break;
      const kind = this.pending[0];
      const payload = this.pending.subarray(8, 8 + size);
      this.pending = this.pending.subarray(8 + size);
      // 0 is stdin echoed back; it never carries program output.
      if (kind === 1 || kind === 2) lines.push(...this.append(kind === 2 ? 'stderr' : 'stdout', payload));
    }
    return lines;
  }

  /** The unterminated last line of each stream, once the stream has ended. */
  end(): DecodedLine[] {
    const lines: DecodedLine[] = [];
    for (const stream of ['stdout', 'stderr'] as const) {
      if (this.partial[stream].length > 0)
        lines.push({ stream, text: this.partial[stream].toString('utf8') });
      this.partial[stream] = Buffer.alloc(0);
    }
    return lines;
  }

  private append(stream: StreamName, bytes: Buffer): DecodedLine[] {
    let buffer = this.partial[stream].length === 0 ? bytes : Buffer.concat([this.partial[stream], bytes]);
    const lines: DecodedLine[] = [];
    let newline = buffer.indexOf(0x0a);
    while (newline >= 0) {
      const text = buffer.subarray(0, newline).toString('utf8').replace(/\r$/, '');
      lines.push({ stream, text });
      buffer = buffer.subarray(newline + 1);
      newline = buffer.indexOf(0x0a);
    }
    this.partial[stream] = Buffer.from(buffer);
    return lines;
  }
}

/**
 * With `timestamps=true` every line starts with an RFC 3339 nano timestamp and a space; split
 * it off so the line keeps its own text and time.
 */
export function splitTimestamp(text: string): { time: string | null; text: string } {
  const space = text.indexOf(' ');
  if (space <= 0) return { time: null, text };
  const stamp = text.slice(0, space);
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(stamp))
    return { time: null, text };
  const parsed = new Date(stamp.replace(/(\.\d{3})\d+/, '$1'));
  if (Number.isNaN(parsed.getTime())) return { time: null, text };
  return { time: parsed.toISOString(), text: text.slice(space + 1) };
}
