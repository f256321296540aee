import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CreateRequest } from '../../src/engine/runtime/types.js';
import type { ContainerSpec, NetworkSpec } from '../../src/engine/stack/model.js';
import { eventually } from '../support/poll.js';
import { container as baseContainer } from '../support/stack-builder.js';

/** Native tests run the host's own userland by default: a `host` image sleeping until stopped. */
export function container(name: string, overrides: Partial<ContainerSpec> = {}): ContainerSpec {
  return baseContainer(name, { image: 'host', command: ['sleep', '300'], ...overrides });
}

export function bridge(name = 'default', subnet: string | null = null): NetworkSpec {
  return { name, driver: 'bridge', subnet, gateway: null, implicit: name === 'default' };
}

export function request(project: string, spec: ContainerSpec, baseDir = '/'): CreateRequest {
  return {
    project,
    spec,
    replica: 1,
    name: `${project}-${spec.name}-1`,
    configHash: `hash-${spec.name}`,
    baseDir,
  };
}

const homes: string[] = [];

/** A fresh directory under the system temp dir, removed by removeTempHomes (call it in afterAll). */
export function tempHome(prefix = 'kitten-native-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  homes.push(dir);
  return dir;
}

export function removeTempHomes(): void {
  for (const dir of homes.splice(0)) rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
}

/** Polls until `check` returns a value (not undefined/false) or the deadline passes. */
export function until<T>(
  what: string,
  check: () => Promise<T | undefined | false>,
  deadlineMs = 15_000,
): Promise<T> {
  return eventually(check, what, deadlineMs, 50);
}
