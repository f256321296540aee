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
    const areas = {
      access: kitten.access,
      advisor: kitten.advisor,
      cluster: kitten.cluster,
      intent: kitten.intent,
      llm: kitten.llm,
      ssh: kitten.ssh,
      stack: kitten.stack,
    };
    for (const [name, area] of Object.entries(areas))
      expect(Object.keys(area).length, name).toBeGreaterThan(0);
    expect(new kitten.UsageError('X', 'y')).toBeInstanceOf(kitten.KittenError);
  });
});
