import { execute } from '@oclif/core';

/**
 * Shared body of the bin/ entry points: `codex` and `ask` start inside their topic, so
 * `codex tui` is `kitten codex tui`; `kubectl-kitten` is `kitten` as a kubectl plugin.
 */
export async function run(binUrl: string, topic?: string): Promise<void> {
  ignoreClosedPipes();
  const argv = process.argv.slice(2);
  const topLevel = new Set(['--version', '-v', 'version', 'autocomplete']);
  const args = topic && !(argv.length === 1 && topLevel.has(argv[0] ?? '')) ? [topic, ...argv] : argv;
  await execute({ dir: binUrl, args });
}

/**
 * `kitten up | head` must not die half-way through an up (or its rollback) because the reader went
 * away: output to a closed pipe is dropped, the work finishes.
 */
function ignoreClosedPipes(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
    });
  }
}
