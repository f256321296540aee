#!/usr/bin/env node
// Builds the CLI (src/cli/run.ts and every command) into a few ESM files under dist/, with its
// dependencies inlined. A command then loads in one pass instead of resolving and reading some
// 400 modules (oclif, zod, semver, ...), which is most of a short command's wall time. Shared code
// lands once in dist/chunks/, and code a command only imports on demand stays in its own chunk.
//
// Paths match the per-file layout (dist/cli/run.js, dist/commands/<id>.js), so bin/ and the oclif
// manifest are unchanged. The library face (dist/engine) is compiled file by file by tsc.
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const src = join(root, 'src');

const commands = readdirSync(join(src, 'commands'), { recursive: true, encoding: 'utf8' })
  .filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'))
  .map((file) => join(src, 'commands', file));

await build({
  absWorkingDir: root,
  entryPoints: [join(src, 'cli', 'run.ts'), ...commands],
  outbase: src,
  outdir: join(root, 'dist'),
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  tsconfig: join(root, 'tsconfig.json'),
  // Native addons and packages that find their own files at run time stay in node_modules.
  external: ['ssh2', 'cpu-features', '@kubernetes/client-node', 'react-devtools-core'],
  // CommonJS dependencies inlined into ESM still call require() for Node's built-ins.
  banner: {
    js: "import { createRequire as __kittenRequire } from 'node:module'; const require = __kittenRequire(import.meta.url);",
  },
  logLevel: 'warning',
});
