#!/usr/bin/env node
// `kitten --version` answers without loading the CLI framework: it is run in scripts and prompts.
import { fastVersion } from './version.js';

if (!fastVersion('kitten')) {
  const { run } = await import('../dist/cli/run.js');
  await run(import.meta.url);
}
