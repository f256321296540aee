/**
 * Where a followed log got to, so a reopened follow shows each line once. The kubelet stamps
 * every line with an RFC 3339 time to the nanosecond (`timestamps=true`), but the API server
 * passes `sinceTime` on to the kubelet rounded down to the second: a resumed follow starts with
 * lines already shown. Lines before the last one seen are dropped by time; lines at exactly its
 * time are dropped by count, because several lines can share one stamp.
 */

const STAMP = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/;

/** A point in time as whole seconds and nanoseconds: JavaScript dates stop at milliseconds. */
interface Instant {
  seconds: number;
  nanos: number;
}

function instantOf(stamp: string): Instant | null {
  const match = STAMP.exec(stamp);
  if (!match) return null;
  const ms = Date.parse(`${match[1]}${match[3]}`);
  if (Number.isNaN(ms)) return null;
  return { seconds: ms / 1000, nanos: Number((match[2] ?? '').padEnd(9, '0')) };
}

function compare(a: Instant, b: Instant): number {
  return a.seconds - b.seconds || a.nanos - b.nanos;
}

/** A `timestamps=true` line as its time and its text; a line without a stamp keeps its text. */
export function splitStamp(line: string): { at: Instant | null; text: string } {
  const space = line.indexOf(' ');
  const at = space > 0 ? instantOf(line.slice(0, space)) : null;
  return at ? { at, text: line.slice(space + 1) } : { at: null, text: line };
}

export class ResumePoint {
  private last: Instant | null = null;
  /** Lines shown with exactly the last time. */
  private atLast = 0;
  /** Lines at the last time the reopened follow has yet to repeat. */
  private repeats = 0;

  /** Whether any stamped line has been shown, so a follow can resume from it. */
  get started(): boolean {
    return this.last !== null;
  }

  /** `sinceTime` for reopening: the last line's second, which is what the kubelet will use. */
  sinceTime(): string | undefined {
    if (!this.last) return undefined;
    return new Date(this.last.seconds * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
  }

  /** Call when a follow is reopened: its first lines at the last time are repeats. */
  reopen(): void {
    this.repeats = this.atLast;
  }

  /** The line's text to show, or null when it was shown before the follow was reopened. */
  accept(line: string): string | null {
    const { at, text } = splitStamp(line);
    if (!at) return text;
    const order = this.last ? compare(at, this.last) : 1;
    if (order < 0) return null;
    if (order === 0) {
      if (this.repeats > 0) {
        this.repeats--;
        return null;
      }
      this.atLast++;
      return text;
    }
    this.last = at;
    this.atLast = 1;
    this.repeats = 0;
    return text;
  }
}
