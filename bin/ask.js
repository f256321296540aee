#!/usr/bin/env node
import { fastVersion } from './version.js';

if (!fastVersion('ask')) {
  const { run } = await import('../dist/cli/run.js');
  await run(import.meta.url, 'ask');
}
