import { type Key, useInput } from 'ink';
import { createContext, type ReactNode, useCallback, useContext, useLayoutEffect, useRef } from 'react';

export type KeyHandler = (input: string, key: Key) => void;

interface Entry {
  handler: KeyHandler;
  active: boolean;
}

type Registry = Map<number, Entry>;

const KeyContext = createContext<{ registry: Registry; next: () => number } | null>(null);

/**
 * One subscription to the keyboard for the whole app, and a focus stack above it: the most
 * recently mounted active handler gets each key (a confirm prompt inside the ask bar inside the
 * app). Handlers are registered while rendering, so a view that has just appeared gets the very
 * next key, even one that arrives before React runs effects (fast typing, a paste, key repeat).
 */
export function KeyRouter({ children }: { children: ReactNode }) {
  const registry = useRef<Registry>(new Map());
  const counter = useRef(0);
  const value = useRef({ registry: registry.current, next: () => ++counter.current });
  const dispatch = useCallback((input: string, key: Key) => {
    let chosen: Entry | undefined;
    let best = -1;
    for (const [id, entry] of registry.current) {
      if (entry.active && id > best) {
        best = id;
        chosen = entry;
      }
    }
    chosen?.handler(input, key);
  }, []);
  useInput(dispatch);
  return <KeyContext.Provider value={value.current}>{children}</KeyContext.Provider>;
}

export function useKeys(handler: KeyHandler, options: { isActive?: boolean } = {}): void {
  const router = useContext(KeyContext);
  if (!router) throw new Error('useKeys needs a KeyRouter above it');
  const id = useRef(0);
  if (id.current === 0) id.current = router.next();
  router.registry.set(id.current, { handler, active: options.isActive ?? true });
  const registry = router.registry;
  const mine = id.current;
  // Layout-effect cleanup runs inside the commit that removes the view, before the next key.
  useLayoutEffect(() => {
    return () => {
      registry.delete(mine);
    };
  }, [registry, mine]);
}
