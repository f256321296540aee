import type { LogLine, LogOptions } from '../../../src/engine/runtime/types.js';
import { MemoryRuntime } from '../../support/memory-runtime.js';

/**
 * The in-memory runtime with a log per container that can be followed the way docker's and the
 * native runtime's can: the last `tail` lines, then each appended line until `signal` aborts.
 */
export class FollowingRuntime extends MemoryRuntime {
  private readonly written = new Map<string, LogLine[]>();
  private readonly waiting = new Set<() => void>();
  /** Follows currently open: a closed logs view must bring this back to 0. */
  openFollows = 0;

  append(name: string, text: string, stream: LogLine['stream'] = 'stdout'): void {
    const container = this.containers.get(name);
    if (!container) throw new Error(`no container ${name}`);
    const lines = this.written.get(name) ?? [];
    lines.push({ container: name, service: container.service, stream, time: new Date().toISOString(), text });
    this.written.set(name, lines);
    for (const wake of [...this.waiting]) wake();
  }

  override async *logs(name: string, options: LogOptions = {}): AsyncIterable<LogLine> {
    if (!this.containers.has(name)) throw new Error(`no container ${name}`);
    const lines = () => this.written.get(name) ?? [];
    let next = Math.max(0, lines().length - (options.tail ?? lines().length));
    const signal = options.signal;
    if (options.follow) this.openFollows++;
    try {
      for (;;) {
        while (next < lines().length) {
          if (signal?.aborted) return;
          yield lines()[next++] as LogLine;
        }
        if (!options.follow || signal?.aborted) return;
        await new Promise<void>((resolve) => {
          const wake = () => {
            this.waiting.delete(wake);
            signal?.removeEventListener('abort', wake);
            resolve();
          };
          this.waiting.add(wake);
          signal?.addEventListener('abort', wake, { once: true });
        });
      }
    } finally {
      if (options.follow) this.openFollows--;
    }
  }
}
