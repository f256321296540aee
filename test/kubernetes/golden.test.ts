import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { manifestsYaml } from '../../src/engine/runtime/kubernetes/manifests.js';
import { type TranslateOptions, translateStack } from '../../src/engine/runtime/kubernetes/translate.js';
import { loadStack } from '../../src/engine/stack/index.js';

/**
 * Every valid fixture stack translates to exactly the manifests and plan checked in under
 * fixtures/kubernetes/golden. Set KITTEN_UPDATE_GOLDEN=1 to rewrite them after a deliberate change.
 */
const GOLDEN = 'fixtures/kubernetes/golden';
const update = process.env.KITTEN_UPDATE_GOLDEN === '1';
const PLACE = '/tmp/kitten-golden/stacks';

function fixtureStacks(): string[] {
  const dirs = ['fixtures/stacks', 'fixtures/kubernetes/stacks'];
  return dirs.flatMap((dir) =>
    readdirSync(dir)
      .filter((f) => ['.yaml', '.yml', '.json'].includes(extname(f)))
      .map((f) => join(dir, f)),
  );
}

const variants: { suffix: string; options: Partial<TranslateOptions> }[] = [
  { suffix: '', options: {} },
  { suffix: '.exposed', options: { expose: 'nodeport', expiresAt: new Date('2030-01-01T12:00:00Z') } },
  { suffix: '.loadbalancer', options: { expose: 'loadbalancer' } },
];

function compare(file: string, actual: string): void {
  // A new fixture gets its golden file written on a developer's machine, to be reviewed and
  // committed; under CI a missing golden file is a failure, not a free pass.
  if (!existsSync(file) && process.env.CI)
    throw new Error(
      `${file} is missing: run KITTEN_UPDATE_GOLDEN=1 npx vitest run test/kubernetes and commit it`,
    );
  if (update || !existsSync(file)) writeFileSync(file, actual);
  expect(actual).toBe(readFileSync(file, 'utf8'));
}

describe('golden translations of every fixture stack', () => {
  for (const file of fixtureStacks()) {
    const name = basename(file, extname(file));
    it(file, async () => {
      // Bind mounts resolve against the stack file's directory and feed the config hash, so the
      // stack is read from one fixed place: golden files must not depend on where the checkout is.
      const placed = join(PLACE, basename(file));
      mkdirSync(PLACE, { recursive: true });
      copyFileSync(file, placed);
      const stack = await loadStack({
        file: placed,
        project: name.toLowerCase().replace(/[^a-z0-9-]/g, '-'),
      });
      const published = Object.values(stack.containers).some((c) => c.ports.some((p) => p.host !== null));
      // Exposing only changes stacks that publish ports.
      for (const variant of published ? variants : variants.slice(0, 1)) {
        const translation = translateStack(stack, {
          namespace: stack.project,
          ownNamespace: true,
          ...variant.options,
        });
        compare(join(GOLDEN, `${name}${variant.suffix}.yaml`), manifestsYaml(translation.objects));
        const plan = {
          warnings: translation.warnings,
          services: translation.services,
          levels: translation.levels,
        };
        compare(join(GOLDEN, `${name}${variant.suffix}.plan.json`), `${JSON.stringify(plan, null, 2)}\n`);
      }
    });
  }
});
