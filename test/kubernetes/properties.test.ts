import { readdirSync } from 'node:fs';
import { extname, join } from 'node:path';
import { describe, it } from 'vitest';
import { translateStack } from '../../src/engine/runtime/kubernetes/translate.js';
import { loadStack } from '../../src/engine/stack/index.js';
import type { ContainerSpec, Stack } from '../../src/engine/stack/model.js';
import { container, network, port, stack } from '../support/stack-builder.js';
import { checkManifestProperties } from './manifest-properties.js';

/**
 * The acceptance properties of translation, over every fixture stack and a few hundred generated
 * ones: names are valid DNS labels, workload selectors match their pod templates, every Service
 * selects the pods of a workload in the same output, and the API server's validation accepts
 * every object.
 */

/** Mulberry32: a small seeded generator, so a failing case can be replayed from its seed. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NAME_PARTS = [
  'web',
  'Api',
  'db_main',
  '9x',
  'cache.v2',
  'a-very-long-service-name-that-goes-on-and-on-and-on-forever',
  'w',
  'WEB',
];

function generated(seed: number): Stack {
  const r = random(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;
  const count = 1 + Math.floor(r() * 7);
  const names = new Set<string>();
  while (names.size < count) names.add(`${pick(NAME_PARTS)}${r() < 0.5 ? '' : Math.floor(r() * 20)}`);
  const list = [...names];
  const networks = [network('default'), network('front'), network('back_end')];
  const specs: ContainerSpec[] = list.map((name, i) => {
    const deps: ContainerSpec['depends_on'] = {};
    for (const earlier of list.slice(0, i)) {
      if (r() < 0.3) deps[earlier] = { condition: pick(['started', 'healthy', 'completed'] as const) };
    }
    const ports =
      r() < 0.6 ? [port(1 + Math.floor(r() * 9000), r() < 0.5 ? 30000 + Math.floor(r() * 2000) : null)] : [];
    return container(name, {
      ports,
      depends_on: deps,
      replicas: 1 + Math.floor(r() * 3),
      restart: { policy: pick(['no', 'always', 'on-failure', 'unless-stopped'] as const), max_retries: null },
      networks: [{ name: pick(networks).name, ip: null }],
      hostname: r() < 0.2 ? 'alias' : name,
      labels: r() < 0.3 ? { tier: pick(['a', 'b']) } : {},
    });
  });
  return stack(r() < 0.5 ? 'shop' : 'my_project-', specs, networks);
}

describe('translation properties', () => {
  const files = ['fixtures/stacks', 'fixtures/kubernetes/stacks'].flatMap((dir) =>
    readdirSync(dir)
      .filter((f) => ['.yaml', '.yml', '.json'].includes(extname(f)))
      .map((f) => join(dir, f)),
  );
  for (const file of files) {
    it(`holds for ${file} with every exposure`, async () => {
      const s = await loadStack({ file });
      for (const expose of ['none', 'nodeport', 'loadbalancer'] as const) {
        const t = translateStack(s, {
          namespace: 'team-a',
          expose,
        });
        checkManifestProperties(t.objects);
      }
    });
  }

  it('holds for 300 generated stacks', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const s = generated(seed);
      // Every other container writes its restart policy out: an explicit "no" becomes a Job.
      Object.values(s.containers).forEach((c, i) => {
        c.restart = { ...c.restart, declared: i % 2 === 0 };
      });
      for (const expose of ['none', 'nodeport', 'loadbalancer'] as const) {
        const t = translateStack(s, {
          namespace: 'ns',
          expose,
          ownNamespace: true,
        });
        try {
          checkManifestProperties(t.objects);
        } catch (error) {
          throw new Error(`seed ${seed}, expose ${expose}: ${(error as Error).message}`);
        }
      }
    }
  });
});
