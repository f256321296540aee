import type { Token } from './tokenize.js';

/**
 * Second stage: numbers written as words become numbers ("twenty-five", "a hundred"), and a
 * number followed by a unit becomes a duration in the form docker and kubectl accept
 * ("ten minutes" → 10m, "an hour" → 1h, "2 days" → 48h, "half an hour" → 30m, "1h30m" as is).
 */
export interface Word extends Token {
  num?: number;
  dur?: string;
  /** Set by the parser once a rule has explained this word. */
  used: boolean;
}

const UNITS: Record<string, number> = {
  zero: 0,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  thirteen: 13,
  fourteen: 14,
  fifteen: 15,
  sixteen: 16,
  seventeen: 17,
  eighteen: 18,
  nineteen: 19,
  dozen: 12,
};
const TENS: Record<string, number> = {
  twenty: 20,
  thirty: 30,
  forty: 40,
  fifty: 50,
  sixty: 60,
  seventy: 70,
  eighty: 80,
  ninety: 90,
};
const SCALES: Record<string, number> = { hundred: 100, thousand: 1000 };

const TIME_UNITS: Record<string, 's' | 'm' | 'h' | 'd' | 'w'> = {
  s: 's',
  sec: 's',
  secs: 's',
  second: 's',
  seconds: 's',
  m: 'm',
  min: 'm',
  mins: 'm',
  minute: 'm',
  minutes: 'm',
  h: 'h',
  hr: 'h',
  hrs: 'h',
  hour: 'h',
  hours: 'h',
  d: 'd',
  day: 'd',
  days: 'd',
  w: 'w',
  week: 'w',
  weeks: 'w',
};

export function timeUnit(lower: string): 's' | 'm' | 'h' | 'd' | 'w' | undefined {
  return Object.hasOwn(TIME_UNITS, lower) ? TIME_UNITS[lower] : undefined;
}

/** docker and kubectl take Go durations, which stop at hours: days and weeks become hours. */
export function formatDuration(amount: number, unit: 's' | 'm' | 'h' | 'd' | 'w'): string {
  if (unit === 'd') return `${amount * 24}h`;
  if (unit === 'w') return `${amount * 24 * 7}h`;
  return `${amount}${unit}`;
}

const COMPACT_DURATION = /^(?:\d+[hms]){1,3}$|^\d+[dw]$/;

function compactDuration(lower: string): string | undefined {
  if (!COMPACT_DURATION.test(lower)) return undefined;
  const dw = /^(\d+)([dw])$/.exec(lower);
  if (dw) return formatDuration(Number(dw[1]), dw[2] as 'd' | 'w');
  return lower;
}

function numberWordValue(lower: string): number | undefined {
  if (/^\d+$/.test(lower)) return Number(lower);
  if (Object.hasOwn(UNITS, lower)) return UNITS[lower];
  if (Object.hasOwn(TENS, lower)) return TENS[lower];
  const hyphen = /^([a-z]+)-([a-z]+)$/.exec(lower);
  if (hyphen?.[1] && hyphen[2] && Object.hasOwn(TENS, hyphen[1]) && Object.hasOwn(UNITS, hyphen[2])) {
    return (TENS[hyphen[1]] ?? 0) + (UNITS[hyphen[2]] ?? 0);
  }
  return undefined;
}

/** Reads a run of number words starting at `i`; returns the value and how many tokens it used. */
function readNumber(tokens: readonly Token[], i: number): { value: number; length: number } | undefined {
  let total = 0;
  let current = 0;
  let j = i;
  let last: 'digits' | 'unit' | 'tens' | 'scale' | undefined;
  // "a hundred", "a dozen"
  if (tokens[j]?.lower === 'a' && (tokens[j + 1]?.lower === 'hundred' || tokens[j + 1]?.lower === 'dozen')) {
    current = 1;
    last = 'unit';
    j++;
  }
  while (j < tokens.length) {
    const t = tokens[j];
    if (!t || t.quoted) break;
    const lower = t.lower;
    if (/^\d+$/.test(lower)) {
      if (last !== undefined) break;
      current = Number(lower);
      last = 'digits';
    } else if (Object.hasOwn(SCALES, lower) && last === undefined) {
      // "the last hundred lines": a bare scale word is one of it.
      current = SCALES[lower] ?? 1;
      last = 'scale';
    } else if (Object.hasOwn(SCALES, lower) && last !== undefined && last !== 'scale') {
      const scale = SCALES[lower] ?? 1;
      current *= scale;
      if (scale >= 1000) {
        total += current;
        current = 0;
      }
      last = 'scale';
    } else if (lower === 'dozen' && last !== undefined) {
      current *= 12;
      last = 'scale';
    } else if (
      lower === 'and' &&
      last === 'scale' &&
      numberWordValue(tokens[j + 1]?.lower ?? '') !== undefined
    ) {
      // "one hundred and fifty"
    } else if (Object.hasOwn(TENS, lower)) {
      if (last !== undefined && last !== 'scale') break;
      current += TENS[lower] ?? 0;
      last = 'tens';
    } else {
      const value = numberWordValue(lower);
      if (value === undefined) break;
      if (last !== undefined && last !== 'scale' && !(last === 'tens' && value < 10)) break;
      current += value;
      last = 'unit';
    }
    j++;
  }
  if (last === undefined) return undefined;
  return { value: total + current, length: j - i };
}

export function normalize(tokens: readonly Token[]): Word[] {
  const words: Word[] = [];
  for (let i = 0; i < tokens.length; ) {
    const t = tokens[i];
    if (!t) break;
    if (t.quoted) {
      words.push({ ...t, used: false });
      i++;
      continue;
    }
    const compact = compactDuration(t.lower);
    if (compact) {
      words.push({ ...t, dur: compact, used: false });
      i++;
      continue;
    }
    // "half an hour"
    if (
      t.lower === 'half' &&
      /^(an?|one)$/.test(tokens[i + 1]?.lower ?? '') &&
      timeUnit(tokens[i + 2]?.lower ?? '') === 'h'
    ) {
      words.push({ ...t, text: '30m', lower: '30m', dur: '30m', used: false });
      i += 3;
      continue;
    }
    // "an hour", "a minute": the article is the number one.
    const unitAfterArticle = timeUnit(tokens[i + 1]?.lower ?? '');
    if ((t.lower === 'a' || t.lower === 'an') && unitAfterArticle && (tokens[i + 1]?.lower.length ?? 0) > 1) {
      const dur = formatDuration(1, unitAfterArticle);
      words.push({ ...t, text: dur, lower: dur, dur, used: false });
      i += 2;
      continue;
    }
    const number = readNumber(tokens, i);
    if (number && !(number.length === 1 && t.lower === 'a')) {
      const next = tokens[i + number.length];
      const unit = next && !next.quoted ? timeUnit(next.lower) : undefined;
      // A lone "m"/"s"/"h"/"d" after a number counts only as a unit when written as one ("10 m").
      if (unit) {
        const dur = formatDuration(number.value, unit);
        words.push({ ...t, text: dur, lower: dur, dur, used: false });
        i += number.length + 1;
        continue;
      }
      const text = String(number.value);
      words.push({
        ...t,
        text,
        lower: text,
        num: number.value,
        possessive: tokens[i + number.length - 1]?.possessive ?? false,
        used: false,
      });
      i += number.length;
      continue;
    }
    words.push({ ...t, used: false });
    i++;
  }
  return words;
}
