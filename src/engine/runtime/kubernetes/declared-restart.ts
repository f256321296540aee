import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';

/**
 * Which services set `restart` in the stack file itself. The normalized stack cannot tell an
 * absent restart from an explicit "no", and on a cluster they mean different things: absent is a
 * long-running service (a Deployment), an explicit "no" is a run-once task (a Job).
 */
export function declaredRestartsIn(document: unknown): Set<string> {
  const out = new Set<string>();
  if (!document || typeof document !== 'object') return out;
  const root = document as Record<string, unknown>;
  const services = (root.containers ?? root.services) as Record<string, unknown> | undefined;
  if (!services || typeof services !== 'object') return out;
  for (const [name, entry] of Object.entries(services)) {
    if (entry && typeof entry === 'object' && (entry as Record<string, unknown>).restart !== undefined)
      out.add(name);
  }
  return out;
}

export async function declaredRestarts(file: string): Promise<Set<string>> {
  try {
    return declaredRestartsIn(parse(await readFile(file, 'utf8')));
  } catch {
    // The loader has already read and validated this file; if it cannot be re-read, no restart is explicit.
    return new Set();
  }
}
