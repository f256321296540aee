import { type Key, useInput } from 'ink';
import { createContext, type ReactNode, useContext, useLayoutEffect, useRef } from 'react';

export type KeyHandler = (input: string, key: Key) => void;

interface Entry {
  handler: KeyHandler;
  active: boolean;
}

interface Router {
  registry: Map<number, Entry>;
  next: () => number;
  /** A view that takes keys has just committed a render. */
  committed: () => void;
}

const KeyContext = createContext<Router | null>(null);

/** How long a queued key waits for the previous one's render before it goes anyway. */
const RENDER_WAIT_MS = 25;

/**
 * One subscription to the keyboard for the whole app, and a focus stack above it: the most
 * recently mounted active handler gets each key (a confirm prompt inside the ask bar inside the
 * app). Keys that arrive together (typed faster than the terminal is read, a paste) are split and
 * delivered one at a time, each after the previous one's render has committed, so `:svc⏎` opens
 * command mode before `svc` is typed into it and `a` shows the ask bar before the intent arrives.
 */
export function KeyRouter({ children }: { children: ReactNode }) {
  const router = useRef<(Router & { dispatch: (input: string, key: Key) => void }) | null>(null);
  router.current ??= createRouter();
  const { dispatch } = router.current;
  useInput(dispatch);
  return <KeyContext.Provider value={router.current}>{children}</KeyContext.Provider>;
}

function createRouter(): Router & { dispatch: (input: string, key: Key) => void } {
  const registry = new Map<number, Entry>();
  let counter = 0;
  const queue: [string, Key][] = [];
  let waiting: NodeJS.Timeout | null = null;

  const deliver = (input: string, key: Key) => {
    let chosen: Entry | undefined;
    let best = -1;
    for (const [id, entry] of registry) {
      if (entry.active && id > best) {
        best = id;
        chosen = entry;
      }
    }
    chosen?.handler(input, key);
  };
  const release = () => {
    if (!waiting) return;
    clearTimeout(waiting);
    waiting = null;
    drain();
  };
  const drain = () => {
    if (waiting) return;
    const next = queue.shift();
    if (!next) return;
    deliver(next[0], next[1]);
    if (queue.length === 0) return;
    // Wait for this key's render (a commit releases the next key at once), or give up waiting
    // when the key changed nothing and nothing will render.
    waiting = setTimeout(release, RENDER_WAIT_MS);
  };
  return {
    registry,
    next: () => ++counter,
    committed: () => {
      if (waiting) queueMicrotask(release);
    },
    dispatch: (input: string, key: Key) => {
      if (!input.includes('\u001b') && [...input].length > 1) {
        for (const ch of input) queue.push(keyOf(ch, key));
      } else {
        queue.push([input, key]);
      }
      drain();
    },
  };
}

/** One character of a chunk as the key a terminal would have sent alone; flags come from the character. */
function keyOf(ch: string, chunk: Key): [string, Key] {
  const none = Object.fromEntries(
    Object.entries(chunk).map(([k, v]) => [k, typeof v === 'boolean' ? false : v]),
  ) as Key;
  const code = ch.codePointAt(0) ?? 0;
  if (ch === '\r' || ch === '\n') return ['', { ...none, return: true }];
  if (ch === '\u007f' || ch === '\b') return ['', { ...none, backspace: true }];
  if (ch === '\t') return ['', { ...none, tab: true }];
  if (code >= 1 && code <= 26) return [String.fromCharCode(code + 96), { ...none, ctrl: true }];
  return [ch, { ...none, shift: /[A-Z]/.test(ch) }];
}

/** Registers the view's key handler; `isActive: false` lets keys pass to the view below. */
export function useKeys(handler: KeyHandler, options: { isActive?: boolean } = {}): void {
  const router = useContext(KeyContext);
  if (!router) throw new Error('useKeys needs a KeyRouter above it');
  const id = useRef(0);
  if (id.current === 0) id.current = router.next();
  router.registry.set(id.current, { handler, active: options.isActive ?? true });
  const mine = id.current;
  // Every commit of a view that takes keys may be the one a queued key is waiting for.
  useLayoutEffect(() => {
    router.committed();
  });
  // Layout-effect cleanup runs inside the commit that removes the view, before the next key.
  useLayoutEffect(() => {
    return () => {
      router.registry.delete(mine);
    };
  }, [router, mine]);
}
