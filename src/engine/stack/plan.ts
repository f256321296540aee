import { startLevels } from './graph.js';
import type { ContainerSpec, NetworkSpec, Stack } from './model.js';

/** What `kitten up --dry-run` prints before any runtime is touched: the stack as Kitten will run it. */
export interface StackPlan {
  project: string;
  file: string;
  format: Stack['format'];
  order: string[][];
  networks: Record<string, NetworkSpec>;
  containers: Record<string, ContainerSpec>;
}

export function startOrder(stack: Stack): string[][] {
  return startLevels(
    new Map(Object.values(stack.containers).map((c) => [c.name, Object.keys(c.depends_on)])),
  );
}

export function stackPlan(stack: Stack): StackPlan {
  return {
    project: stack.project,
    file: stack.file,
    format: stack.format,
    order: startOrder(stack),
    networks: stack.networks,
    containers: stack.containers,
  };
}
