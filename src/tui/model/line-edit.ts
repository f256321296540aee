/**
 * Editing a one-line input (filter, command, ask bar, dialogs) from Ink key events. Pure, so every
 * text field behaves the same: printable text appends (pastes arrive whole), Backspace deletes a
 * character, Ctrl-U clears, Ctrl-W deletes a word.
 */
export interface KeyLike {
  backspace?: boolean;
  delete?: boolean;
  ctrl?: boolean;
  meta?: boolean;
  return?: boolean;
  escape?: boolean;
  tab?: boolean;
  upArrow?: boolean;
  downArrow?: boolean;
  leftArrow?: boolean;
  rightArrow?: boolean;
  pageUp?: boolean;
  pageDown?: boolean;
}

export function editLine(value: string, input: string, key: KeyLike): string {
  if (key.backspace || key.delete) return value.slice(0, -1);
  if (key.ctrl && input === 'u') return '';
  if (key.ctrl && input === 'w') return value.replace(/\S*\s*$/, '');
  if (key.ctrl || key.meta || key.return || key.escape || key.tab) return value;
  if (key.upArrow || key.downArrow || key.leftArrow || key.rightArrow || key.pageUp || key.pageDown)
    return value;
  // Drop control characters a terminal may still pass through (bracketed paste markers, etc.).
  return value + input.replace(/[\u0000-\u001f\u007f]/g, '');
}
