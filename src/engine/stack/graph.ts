/**
 * Start order from depends_on: levels of containers whose dependencies are all in earlier levels,
 * declaration order within a level. The original example (web → db, cache) gives [[db, cache], [web]].
 */
export type DependencyMap = ReadonlyMap<string, readonly string[]>;

export function startLevels(deps: DependencyMap): string[][] {
  const placed = new Set<string>();
  const levels: string[][] = [];
  const names = [...deps.keys()];
  while (placed.size < names.length) {
    const level = names.filter(
      (name) => !placed.has(name) && (deps.get(name) ?? []).every((d) => placed.has(d) || !deps.has(d)),
    );
    if (level.length === 0) throw new Error(`dependency cycle: ${(findCycles(deps)[0] ?? []).join(' -> ')}`);
    for (const name of level) placed.add(name);
    levels.push(level);
  }
  return levels;
}

/**
 * Every elementary cycle reachable by depth-first search, each reported once and rotated to start
 * at its first-declared member, closed: ["web", "api", "web"].
 */
export function findCycles(deps: DependencyMap): string[][] {
  const order = new Map([...deps.keys()].map((name, i) => [name, i]));
  const seen = new Set<string>();
  const cycles: string[][] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];

  const visit = (name: string) => {
    state.set(name, 'visiting');
    stack.push(name);
    for (const dep of deps.get(name) ?? []) {
      if (!deps.has(dep)) continue;
      if (state.get(dep) === 'visiting') {
        const cycle = stack.slice(stack.indexOf(dep));
        const start = cycle.reduce(
          (best, n, i) => ((order.get(n) ?? 0) < (order.get(cycle[best]!) ?? 0) ? i : best),
          0,
        );
        const rotated = [...cycle.slice(start), ...cycle.slice(0, start)];
        const key = rotated.join('\u0000');
        if (!seen.has(key)) {
          seen.add(key);
          cycles.push([...rotated, rotated[0]!]);
        }
      } else if (state.get(dep) === undefined) {
        visit(dep);
      }
    }
    stack.pop();
    state.set(name, 'done');
  };
  for (const name of deps.keys()) if (state.get(name) === undefined) visit(name);
  return cycles;
}
