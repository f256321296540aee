import type { ProgressEvent, ProgressSink } from '../engine/progress.js';
import { errStyle, symbols } from './style.js';

/**
 * Renderers of the engine's progress events, all writing to stderr so stdout stays for results:
 * tty (a live block of spinners), plain (CI logs: one line per change), json (one event per line),
 * quiet (nothing).
 */
export type ProgressMode = 'auto' | 'tty' | 'plain' | 'json' | 'quiet';

export interface ProgressRenderer {
  sink: ProgressSink;
  /** Draws the final state and releases the terminal. */
  stop(): void;
}

export function createProgress(
  mode: ProgressMode,
  stream: NodeJS.WriteStream = process.stderr,
): ProgressRenderer {
  const resolved = mode === 'auto' ? (stream.isTTY && process.env.TERM !== 'dumb' ? 'tty' : 'plain') : mode;
  if (resolved === 'quiet') return { sink: () => {}, stop: () => {} };
  if (resolved === 'json') {
    return {
      sink: (e) => stream.write(`${JSON.stringify({ time: new Date().toISOString(), ...e })}\n`),
      stop: () => {},
    };
  }
  if (resolved === 'plain') {
    // CI logs get one line per image, not one per layer tick: layer events are for live spinners.
    return {
      sink: (e) => (e.resource.startsWith('layer:') ? undefined : stream.write(`${plainLine(e)}\n`)),
      stop: () => {},
    };
  }
  return ttyRenderer(stream);
}

function mark(status: ProgressEvent['status']): string {
  switch (status) {
    case 'done':
      return errStyle.green(symbols.ok);
    case 'warning':
      return errStyle.yellow(symbols.warn);
    case 'error':
      return errStyle.red(symbols.fail);
    default:
      return errStyle.cyan('…');
  }
}

function plainLine(e: ProgressEvent): string {
  const amount = e.total ? ` ${Math.round(((e.current ?? 0) / e.total) * 100)}%` : '';
  return `${mark(e.status)} ${e.resource.padEnd(36)} ${e.text}${amount}`;
}

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

function ttyRenderer(stream: NodeJS.WriteStream): ProgressRenderer {
  const lines = new Map<string, ProgressEvent>();
  const started = new Map<string, number>();
  let drawn = 0;
  let frame = 0;
  const draw = () => {
    frame = (frame + 1) % FRAMES.length;
    const width = stream.columns || 100;
    let out = drawn > 0 ? `\u001b[${drawn}A` : '';
    for (const [resource, e] of lines) {
      const icon = e.status === 'working' ? errStyle.cyan(FRAMES[frame]!) : mark(e.status);
      const secs = ((Date.now() - (started.get(resource) ?? Date.now())) / 1000).toFixed(1);
      const amount = e.total ? ` ${Math.round(((e.current ?? 0) / e.total) * 100)}%` : '';
      const text = ` ${icon} ${resource.padEnd(36)} ${e.text}${amount}`;
      out += `\u001b[2K${text.slice(0, width - 8)}${errStyle.dim(` ${secs}s`)}\n`;
    }
    drawn = lines.size;
    stream.write(out);
  };
  const timer = setInterval(draw, 80);
  timer.unref();
  return {
    sink: (e) => {
      if (!started.has(e.resource)) started.set(e.resource, Date.now());
      lines.set(e.resource, e);
    },
    stop: () => {
      clearInterval(timer);
      if (lines.size > 0) draw();
    },
  };
}
