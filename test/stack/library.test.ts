import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as kitten from '../../src/engine/index.js';

describe('the engine is importable as a library', () => {
  it('loads, validates and orders a stack through its public face', async () => {
    const stack = await kitten.stack.loadStack({
      file: join(import.meta.dirname, '../../fixtures/stacks/readme-example.json'),
    });
    expect(kitten.stack.startOrder(stack)).toEqual([['db', 'cache'], ['web']]);
    expect(kitten.configHash(stack.containers.web!)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('exposes each area as a namespace and the error types at the top', () => {
    for (const area of ['access', 'advisor', 'cluster', 'intent', 'llm', 'ssh', 'stack'] as const) {
      expect(Object.keys(kitten[area]).length, area).toBeGreaterThan(0);
    }
    expect(new kitten.UsageError('X', 'y')).toBeInstanceOf(kitten.KittenError);
  });
});
