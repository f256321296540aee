import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { printFigure, sideBySide, timeProcess } from './harness.js';

/** CLI start-up against `node -e 0`, the floor no Node CLI can go under. */
const kitten = join(import.meta.dirname, '../bin/kitten.js');
const node = process.execPath;
const RUNS = 15;

/** A 200-container stack on four networks with dependencies, ports and health checks. */
export function bigStack(count: number): string {
  const containers: Record<string, unknown> = {};
  for (let i = 0; i < count; i++) {
    containers[`svc-${i}`] = {
      image: i % 2 ? 'nginx:1.27' : 'shop/api:1.4.2',
      command: ['./server', '--port', String(8000 + i)],
      environment: { INDEX: String(i), LOG_LEVEL: 'info' },
      ports: [`${20000 + i}:80`],
      network: `net-${i % 4}`,
      depends_on: i >= 10 ? [`svc-${i % 10}`] : [],
      restart: 'on-failure:3',
      healthcheck: { test: ['CMD', 'true'], interval: '5s', retries: 3 },
      resources: { cpus: 0.25, memory: '128m' },
    };
  }
  const networks = Object.fromEntries(
    [0, 1, 2, 3].map((n) => [`net-${n}`, { driver: 'bridge', subnet: `10.${100 + n}.0.0/16` }]),
  );
  return stringify({ version: '1.0', containers, networks });
}

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'kitten-bench-'));
  try {
    const file = join(dir, 'kitten.yaml');
    writeFileSync(file, bigStack(200));
    const floor = () => timeProcess([node, '-e', '0']);

    const [version, base1] = sideBySide(RUNS, () => timeProcess([node, kitten, '--version']), floor);
    printFigure({
      name: 'kitten --version',
      unit: 'ms',
      stats: version,
      baseline: { name: 'node -e 0', stats: base1 },
      goal: 'median ≤ 2.5× node -e 0',
      met: version.median <= 2.5 * base1.median,
    });

    const [help, base2] = sideBySide(RUNS, () => timeProcess([node, kitten, 'validate', '--help']), floor);
    printFigure({
      name: 'kitten validate --help (loads the CLI framework)',
      unit: 'ms',
      stats: help,
      baseline: { name: 'node -e 0', stats: base2 },
    });

    const [validate, base3] = sideBySide(
      RUNS,
      () => timeProcess([node, kitten, 'validate', '-f', file, '--json']),
      floor,
    );
    printFigure({
      name: 'kitten validate (200-container stack)',
      unit: 'ms',
      stats: validate,
      baseline: { name: 'node -e 0', stats: base3 },
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
