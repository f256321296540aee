import type { SessionState } from './port.js';

/**
 * The cache the screen is drawn from. Sources write into it as fast as events arrive; listeners
 * hear about it at most once per `redrawMs` (k9s's rule: redraw from the cache on a timer, never
 * per event), so a busy watch cannot make the screen flicker or the keyboard lag.
 */
export class SessionStore {
  private current: SessionState;
  private readonly listeners = new Set<() => void>();
  private timer: NodeJS.Timeout | undefined;
  private lastNotify = 0;

  constructor(
    initial: Omit<SessionState, 'version'>,
    private readonly redrawMs = 100,
  ) {
    this.current = { ...initial, version: 0 };
  }

  readonly state = (): SessionState => this.current;

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  };

  update(patch: Partial<Omit<SessionState, 'version'>>): void {
    this.current = { ...this.current, ...patch, version: this.current.version + 1 };
    if (this.timer) return;
    const since = Date.now() - this.lastNotify;
    // Leading edge: a quiet cache redraws at once; a busy one at most once per redrawMs.
    if (this.redrawMs <= 0 || since >= this.redrawMs) {
      this.notify();
      return;
    }
    this.timer = setTimeout(() => this.notify(), this.redrawMs - since);
  }

  private notify(): void {
    this.timer = undefined;
    this.lastNotify = Date.now();
    for (const listener of [...this.listeners]) listener();
  }

  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.listeners.clear();
  }
}
