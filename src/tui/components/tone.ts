import type { Tone } from '../session/port.js';

/** Ink colour names per row tone; `normal` leaves the terminal's own colour. */
export const toneColour: Record<Tone, string | undefined> = {
  critical: 'red',
  warning: 'yellow',
  ok: 'green',
  muted: 'gray',
  normal: undefined,
};
