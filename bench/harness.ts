import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';

/**
 * Benchmarks print figures, never assert. A figure is compared with its baseline measured in the
 * same run, because these machines are noisy: interleave the two so drift hits both alike.
 */
export interface Stats {
  runs: number;
  min: number;
  median: number;
  p99: number;
  max: number;
}

export interface Figure {
  name: string;
  stats: Stats;
  unit: 'ms' | 'MB' | 'ops/s';
  baseline?: { name: string; stats: Stats };
  /** e.g. "median ≤ 2.5× baseline". */
  goal?: string;
  met?: boolean;
}

export function stats(samples: number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
  return { runs: sorted.length, min: sorted[0] ?? Number.NaN, median: at(0.5), p99: at(0.99), max: at(1) };
}

/** Wall time of a whole process, in ms. */
export function timeProcess(argv: string[], env: NodeJS.ProcessEnv = process.env): number {
  const [cmd, ...args] = argv;
  const start = performance.now();
  const result = spawnSync(cmd!, args, { stdio: 'ignore', env });
  const elapsed = performance.now() - start;
  if (result.status !== 0 && result.status !== 1) {
    throw new Error(`${argv.join(' ')} exited ${result.status ?? result.signal}`);
  }
  return elapsed;
}

/** Runs `subject` and `baseline` alternately, `runs` times each, after one warm-up of each. */
export function sideBySide(runs: number, subject: () => number, baseline: () => number): [Stats, Stats] {
  subject();
  baseline();
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < runs; i++) {
    a.push(subject());
    b.push(baseline());
  }
  return [stats(a), stats(b)];
}

/** Times an in-process function `runs` times (after `warmup` calls), in ms. */
export async function timeFunction(runs: number, fn: () => unknown, warmup = 3): Promise<Stats> {
  for (let i = 0; i < warmup; i++) await fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    samples.push(performance.now() - start);
  }
  return stats(samples);
}

const fmt = (n: number) => (n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(2));

export function printFigure(figure: Figure): void {
  const s = figure.stats;
  let line = `${figure.name.padEnd(52)} median ${fmt(s.median)} ${figure.unit}  (min ${fmt(s.min)}, p99 ${fmt(s.p99)}, max ${fmt(s.max)}, n=${s.runs})`;
  if (figure.baseline) {
    const ratio = s.median / figure.baseline.stats.median;
    line += `\n${''.padEnd(4)}vs ${figure.baseline.name}: median ${fmt(figure.baseline.stats.median)} ${figure.unit} → ${ratio.toFixed(2)}×`;
  }
  if (figure.goal) line += `\n${''.padEnd(4)}goal: ${figure.goal} — ${figure.met ? 'met' : 'NOT met'}`;
  process.stdout.write(`${line}\n`);
}
