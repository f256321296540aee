import type { ContainerStatus, LogLine } from '../engine/runtime/types.js';
import { style } from './style.js';

const COLOURS = [style.cyan, style.yellow, style.green, style.magenta, style.blue, style.red];

/** `web-1  | line`, each container in its own colour, prefixes aligned — the compose look. */
export function printLogLine(containers: ContainerStatus[], options: { timestamps?: boolean } = {}) {
  const width = Math.max(0, ...containers.map((c) => prefixOf(c.name, c.service).length));
  const colourOf = new Map(containers.map((c, i) => [c.name, COLOURS[i % COLOURS.length]!]));
  return (line: LogLine): void => {
    const prefix = prefixOf(line.container, line.service).padEnd(width);
    const colour = colourOf.get(line.container) ?? style.white;
    const time = options.timestamps ? `${style.dim(line.time)} ` : '';
    const stream = line.stream === 'stderr' ? process.stderr : process.stdout;
    stream.write(`${colour(`${prefix} |`)} ${time}${line.text}\n`);
  };
}

function prefixOf(container: string, service: string): string {
  const replica = /-(\d+)$/.exec(container)?.[1];
  return replica ? `${service}-${replica}` : container;
}
