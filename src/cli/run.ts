import { execute } from '@oclif/core';

/**
 * Shared body of the bin/ entry points: `codex` and `ask` start inside their topic, so
 * `codex tui` is `kitten codex tui`; `kubectl-kitten` is `kitten` as a kubectl plugin.
 */
export async function run(binUrl: string, topic?: string): Promise<void> {
  const argv = process.argv.slice(2);
  const topLevel = new Set(['--version', '-v', 'version', 'autocomplete']);
  const args = topic && !(argv.length === 1 && topLevel.has(argv[0] ?? '')) ? [topic, ...argv] : argv;
  await execute({ dir: binUrl, args });
}
