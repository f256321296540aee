import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { Target } from '../../src/engine/intent/command.js';
import type { IntentContext } from '../../src/engine/intent/context.js';

/** One phrasing from fixtures/intents/*.yaml with what it must become. */
export interface IntentCase {
  file: string;
  intent: string;
  target?: Target;
  namespace?: string;
  context?: IntentContext;
  expect?: string[] | null;
  status?: 'UNSUPPORTED' | 'REJECTED';
}

export const fixtureDir = join(import.meta.dirname, '..', '..', 'fixtures', 'intents');

export function loadIntentCases(): IntentCase[] {
  return readdirSync(fixtureDir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .flatMap((file) => {
      const doc = parse(readFileSync(join(fixtureDir, file), 'utf8')) as {
        context?: IntentContext;
        cases: Omit<IntentCase, 'file'>[];
      };
      return doc.cases.map((c) => ({ ...c, file, context: c.context ?? doc.context }));
    });
}
