#!/usr/bin/env node
// npm does not link a package's own bins into its node_modules/.bin, so in a checkout
// `npx kitten` would fetch an unrelated registry package of that name, and kubectl would not find
// the `kubectl-kitten` plugin. After install, link them: `npx kitten …` and
// `PATH=node_modules/.bin:$PATH kubectl kitten …` then run this checkout's CLI.
import { existsSync, lstatSync, mkdirSync, readFileSync, symlinkSync, unlinkSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const binDir = join(root, 'node_modules', '.bin');
if (!existsSync(join(root, 'node_modules'))) process.exit(0);
mkdirSync(binDir, { recursive: true });
const { bin } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
for (const [name, target] of Object.entries(bin)) {
  const link = join(binDir, name);
  try {
    if (lstatSync(link)) unlinkSync(link);
  } catch {
    // Not there yet.
  }
  symlinkSync(relative(binDir, join(root, target)), link);
}
