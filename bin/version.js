import { readFileSync } from 'node:fs';

/** Prints oclif's version line (`kitten/0.1.0 linux-x64 node-v20.20.2`) when that is all that was asked. */
export function fastVersion(bin) {
  const argv = process.argv.slice(2);
  if (argv.length !== 1 || !['--version', '-v', 'version'].includes(argv[0])) return false;
  const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  process.stdout.write(`${bin}/${version} ${process.platform}-${process.arch} node-${process.version}\n`);
  return true;
}
