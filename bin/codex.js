#!/usr/bin/env node
import { fastVersion } from './version.js';

if (!fastVersion('codex')) {
  const { run } = await import('../dist/cli/run.js');
  await run(import.meta.url, 'codex');
}
