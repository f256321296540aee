import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import type { IntentContext } from '../src/engine/intent/context.js';
import { tokenize } from '../src/engine/intent/tokenize.js';
import { translateOffline } from '../src/engine/intent/translate-offline.js';
import { printFigure, sideBySide, stats, timeProcess } from './harness.js';

/**
 * `kitten ask`: how long the offline grammar takes per intent over the whole fixture corpus
 * (goal: p99 under 2 ms), against just splitting the same text into words; and the whole
 * `kitten ask --dry-run --json` process against an empty node process.
 */
const root = fileURLToPath(new URL('..', import.meta.url));

interface Case {
  intent: string;
  target?: 'docker' | 'kubernetes';
  context?: IntentContext;
}

function corpus(): Case[] {
  const dir = join(root, 'fixtures', 'intents');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .flatMap((f) => {
      const doc = parse(readFileSync(join(dir, f), 'utf8')) as { context?: IntentContext; cases: Case[] };
      return doc.cases.map((c) => ({ ...c, context: c.context ?? doc.context }));
    });
}

function perCall(cases: Case[], rounds: number, fn: (c: Case) => unknown): number[] {
  const samples: number[] = [];
  for (let r = 0; r < rounds; r++) {
    for (const c of cases) {
      const start = performance.now();
      fn(c);
      samples.push(performance.now() - start);
    }
  }
  return samples;
}

export async function run(): Promise<void> {
  const cases = corpus();
  const translate = (c: Case) => translateOffline(c.intent, { target: c.target, context: c.context });
  const words = (c: Case) => tokenize(c.intent);
  perCall(cases, 3, translate);
  perCall(cases, 3, words);
  const rounds = 20;
  const raw = perCall(cases, rounds, translate);
  const rawWords = perCall(cases, rounds, words);
  // Per intent: the median of its rounds, so one scheduler hiccup is not charged to an intent.
  const perIntent = (samples: number[]) =>
    cases.map(
      (_, i) => stats(Array.from({ length: rounds }, (_, r) => samples[r * cases.length + i] ?? 0)).median,
    );
  const subject = stats(perIntent(raw));
  printFigure({
    name: `offline translation, per intent (${cases.length} intents, median of ${rounds})`,
    stats: subject,
    unit: 'ms',
    baseline: { name: 'tokenizing the same text only', stats: stats(perIntent(rawWords)) },
    goal: 'p99 < 2 ms',
    met: subject.p99 < 2,
  });
  printFigure({
    name: 'offline translation, every single call',
    stats: stats(raw),
    unit: 'ms',
    baseline: { name: 'tokenizing only, every call', stats: stats(rawWords) },
  });

  const kitten = join(root, 'bin', 'kitten.js');
  const env = {
    ...process.env,
    NO_COLOR: '1',
    KITTEN_LLM_BASE_URL: '',
    KITTEN_LLM_API_KEY: '',
    OPENAI_API_KEY: '',
  };
  const [cli, node] = sideBySide(
    10,
    () => timeProcess([process.execPath, kitten, 'ask', '--dry-run', '--json', 'restart my-app'], env),
    () => timeProcess([process.execPath, '-e', '0'], env),
  );
  printFigure({
    name: 'kitten ask --dry-run --json "restart my-app" (process)',
    stats: cli,
    unit: 'ms',
    baseline: { name: 'node -e 0', stats: node },
  });
}
