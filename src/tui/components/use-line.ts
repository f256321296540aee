import { useCallback, useRef, useState } from 'react';
import { editLine, type KeyLike } from '../model/line-edit.js';

export interface Line {
  /** What is drawn. */
  value: string;
  /** What was typed so far, including keys whose render has not happened yet. */
  current: () => string;
  edit: (input: string, key: KeyLike) => void;
  set: (value: string) => void;
}

/**
 * A text field's value for key handlers: the ref is updated with each key, so Enter submits
 * every character typed before it even when keys arrive faster than renders.
 */
export function useLine(initial = ''): Line {
  const ref = useRef(initial);
  const [value, setValue] = useState(initial);
  const set = useCallback((next: string) => {
    ref.current = next;
    setValue(next);
  }, []);
  const edit = useCallback((input: string, key: KeyLike) => set(editLine(ref.current, input, key)), [set]);
  const current = useCallback(() => ref.current, []);
  return { value, current, edit, set };
}
