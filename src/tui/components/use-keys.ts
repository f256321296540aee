import { type Key, useInput } from 'ink';
import { useCallback, useRef } from 'react';

export type KeyHandler = (input: string, key: Key) => void;

/**
 * Ink's useInput re-subscribes the handler in an effect after each render, so a key that arrives
 * before that effect runs (key repeat, a paste, a busy event loop) reaches the previous render's
 * handler and its stale state. Here the latest handler is kept in a ref assigned during render,
 * and `active` is checked at the moment the key arrives.
 */
export function useKeys(handler: KeyHandler, options: { isActive?: boolean } = {}): void {
  const latest = useRef(handler);
  latest.current = handler;
  const active = useRef(options.isActive ?? true);
  active.current = options.isActive ?? true;
  const dispatch = useCallback((input: string, key: Key) => {
    if (active.current) latest.current(input, key);
  }, []);
  useInput(dispatch);
}
