import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { largeSnapshotFile } from '../fixtures/clusters/large.js';
import { analyzeSnapshot } from '../src/engine/cluster/analysis.js';
import { loadSnapshot, parseSnapshotBytes, parseSnapshotText } from '../src/engine/cluster/snapshot-file.js';
import { type Figure, printFigure, sideBySide, stats, timeFunction } from './harness.js';

/**
 * `codex issues` on a 10,000-pod snapshot (the generated large fixture, ~14,000 objects):
 * in-process analysis time, whole-process time and peak RSS, each beside a baseline measured in
 * the same run. Goals: ≤ 1 s whole process, ≤ 300 MB peak RSS.
 */
const root = fileURLToPath(new URL('..', import.meta.url));
const now = new Date('2026-11-21T12:00:00Z');

/** Peak RSS of a child node process: a preloaded hook prints it on exit. */
const rssHook = join(tmpdir(), 'kitten-bench-rss.cjs');
writeFileSync(
  rssHook,
  "process.on('exit', () => { const u = process.cpuUsage(); require('node:fs').writeSync(2, '\\nkitten-bench-maxrss=' + process.resourceUsage().maxRSS + ' cpu=' + (u.user + u.system) + '\\n'); });\n",
);

/** Wall time, peak RSS and CPU time (user + system: what the machine's load does not inflate). */
function runNode(args: string[]): { ms: number; rssMb: number; cpuMs: number; status: number | null } {
  const start = performance.now();
  const r = spawnSync(process.execPath, ['--require', rssHook, ...args], {
    cwd: root,
    encoding: 'utf8',
    env: {
      ...process.env,
      KITTEN_HOME: join(tmpdir(), 'kitten-bench-home'),
      KUBECONFIG: '/nonexistent',
      NO_COLOR: '1',
      KITTEN_LLM_BASE_URL: '',
      KITTEN_LLM_API_KEY: '',
      OPENAI_API_KEY: '',
    },
    maxBuffer: 512 * 1024 * 1024,
  });
  const ms = performance.now() - start;
  const m = /kitten-bench-maxrss=(\d+) cpu=(\d+)/.exec(r.stderr);
  const kb = Number(m?.[1] ?? Number.NaN);
  const cpuMs = Number(m?.[2] ?? Number.NaN) / 1000;
  if (r.status !== 0 && r.status !== 1)
    throw new Error(`node ${args.join(' ')} exited ${r.status}: ${r.stderr.slice(0, 300)}`);
  return { ms, rssMb: kb / 1024, cpuMs, status: r.status };
}

export async function run(): Promise<void> {
  const json = largeSnapshotFile(10_000, 'json');
  const yaml = largeSnapshotFile(10_000, 'yaml');
  const snapshot = await loadSnapshot(json);
  process.stdout.write(
    `snapshot: ${snapshot.ofKind('Pod').length} pods, ${snapshot.objects.length} objects\n`,
  );

  // In-process: the analysis alone, beside merely parsing the same file's JSON.
  const text = readFileSync(json, 'utf8');
  const analysis = await timeFunction(10, () => analyzeSnapshot(snapshot, { now }), 2);
  const parseOnly = await timeFunction(10, () => JSON.parse(text), 2);
  const issues = analyzeSnapshot(snapshot, { now });
  printFigure({
    name: `analyze 10,000 pods (${issues.length} issues)`,
    unit: 'ms',
    stats: analysis,
    baseline: { name: 'JSON.parse of the snapshot file', stats: parseOnly },
    goal: 'median ≤ 500 ms',
    met: analysis.median <= 500,
  });
  const load = await timeFunction(5, () => parseSnapshotText(text, json), 1);
  printFigure({ name: 'read snapshot (JSON, 10,000 pods) into objects', unit: 'ms', stats: load });

  // Whole process: `kitten codex issues --snapshot large.json --json`, beside `node -e 0`.
  const cli = ['bin/kitten.js', 'codex', 'issues', '--snapshot', json, '--json'];
  const rss: number[] = [];
  const baseRss: number[] = [];
  const cpu: number[] = [];
  const baseCpu: number[] = [];
  const [whole, bare] = sideBySide(
    5,
    () => {
      const r = runNode(cli);
      rss.push(r.rssMb);
      cpu.push(r.cpuMs);
      return r.ms;
    },
    () => {
      const r = runNode(['-e', '0']);
      baseRss.push(r.rssMb);
      baseCpu.push(r.cpuMs);
      return r.ms;
    },
  );
  const figures: Figure[] = [
    {
      name: 'kitten codex issues --snapshot (10,000 pods, JSON)',
      unit: 'ms',
      stats: whole,
      baseline: { name: 'node -e 0', stats: bare },
      goal: 'median ≤ 1000 ms',
      met: whole.median <= 1000,
    },
    {
      name: 'CPU time (user+sys) of that process',
      unit: 'ms',
      stats: stats(cpu),
      baseline: { name: 'node -e 0', stats: stats(baseCpu) },
      goal: 'median ≤ 1000 ms (the machine’s load inflates wall time, not this)',
      met: stats(cpu).median <= 1000,
    },
    {
      name: 'peak RSS of that process',
      unit: 'MB',
      stats: stats(rss),
      baseline: { name: 'node -e 0', stats: stats(baseRss) },
      goal: 'max ≤ 300 MB',
      met: stats(rss).max <= 300,
    },
  ];
  figures.forEach(printFigure);

  // The same snapshot as YAML, each run beside a run of the JSON file: load moves both alike.
  const yamlCli = ['bin/kitten.js', 'codex', 'issues', '--snapshot', yaml, '--json'];
  const yamlRss: number[] = [];
  const yamlCpu: number[] = [];
  const jsonCpu: number[] = [];
  const [yamlWhole, jsonWhole] = sideBySide(
    5,
    () => {
      const r = runNode(yamlCli);
      yamlRss.push(r.rssMb);
      yamlCpu.push(r.cpuMs);
      return r.ms;
    },
    () => {
      const r = runNode(cli);
      jsonCpu.push(r.cpuMs);
      return r.ms;
    },
  );
  const yamlFigures: Figure[] = [
    {
      name: 'kitten codex issues --snapshot (10,000 pods, YAML)',
      unit: 'ms',
      stats: yamlWhole,
      baseline: { name: 'the same snapshot as JSON', stats: jsonWhole },
      goal: 'median ≤ 1000 ms',
      met: yamlWhole.median <= 1000,
    },
    {
      name: 'CPU time (user+sys) of that process',
      unit: 'ms',
      stats: stats(yamlCpu),
      baseline: { name: 'the same snapshot as JSON', stats: stats(jsonCpu) },
      goal: 'median ≤ 1000 ms',
      met: stats(yamlCpu).median <= 1000,
    },
    {
      name: 'peak RSS of that process',
      unit: 'MB',
      stats: stats(yamlRss),
      goal: 'max ≤ 300 MB',
      met: stats(yamlRss).max <= 300,
    },
  ];
  yamlFigures.forEach(printFigure);

  // In-process: reading the YAML file's bytes into objects, beside reading the JSON file's text.
  const yamlBytes = readFileSync(yaml);
  const yamlLoad = await timeFunction(5, () => parseSnapshotBytes(yamlBytes, yaml), 1);
  printFigure({
    name: 'read snapshot (YAML, 10,000 pods) into objects',
    unit: 'ms',
    stats: yamlLoad,
    baseline: { name: 'the same from JSON', stats: load },
  });
}
