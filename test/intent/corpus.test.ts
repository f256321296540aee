import { afterAll, describe, expect, it } from 'vitest';
import { checkCommand } from '../../src/engine/intent/policy.js';
import { translateOffline } from '../../src/engine/intent/translate-offline.js';
import { type IntentCase, loadIntentCases } from './fixture-corpus.js';

const cases = loadIntentCases();
const positive = cases.filter((c) => !c.status);
const refused = cases.filter((c) => c.status);
const results: boolean[] = [];

function outcome(c: IntentCase): string {
  const translation = translateOffline(c.intent, {
    target: c.target,
    namespace: c.namespace,
    context: c.context,
  });
  if (!translation.ok) return 'UNSUPPORTED';
  const verdict = checkCommand(translation.command);
  return verdict.allowed ? JSON.stringify(translation.command.argv) : 'REJECTED';
}

describe('offline translator over fixtures/intents', () => {
  it('has the corpus the issue asks for: at least 150 phrasings and 40 refusals', () => {
    expect(positive.length).toBeGreaterThanOrEqual(150);
    expect(refused.length).toBeGreaterThanOrEqual(40);
  });

  it.each(cases.map((c) => [`${c.file}: ${c.intent || '(empty)'}`, c] as const))('%s', (_label, c) => {
    const got = outcome(c);
    const want = c.status ?? JSON.stringify(c.expect);
    results.push(got === want);
    expect(got).toBe(want);
  });

  afterAll(() => {
    const right = results.filter(Boolean).length;
    console.log(
      `offline translator accuracy: ${right}/${results.length} (${((100 * right) / Math.max(1, results.length)).toFixed(1)}%)`,
    );
  });
});
