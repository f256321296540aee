import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { down, planUp, selectContainers, up } from '../../src/engine/orchestrator/lifecycle.js';
import { formatPlan } from '../../src/engine/orchestrator/plan.js';
import { silentProgress } from '../../src/engine/progress.js';
import { configHash } from '../../src/engine/stack/hash.js';
import { loadStack } from '../../src/engine/stack/index.js';
import type { Stack } from '../../src/engine/stack/model.js';
import { MemoryRuntime } from '../support/memory-runtime.js';

const fixture = (name: string) => join(import.meta.dirname, '../../fixtures/stacks', name);
const opts = { progress: silentProgress, pollMs: 1, waitTimeoutMs: 2000 };

async function readme(): Promise<Stack> {
  return loadStack({ file: fixture('readme-example.json'), project: 'shop' });
}

describe('up reconciles, plans and executes', () => {
  it('creates the network first and starts web only after db and cache', async () => {
    const runtime = new MemoryRuntime();
    await up(await readme(), runtime, opts);
    const order = runtime.calls;
    expect(order[0]).toBe('ensureNetwork mynet');
    const webStart = order.indexOf('start shop-web-1');
    expect(webStart).toBeGreaterThan(order.indexOf('start shop-db-1'));
    expect(webStart).toBeGreaterThan(order.indexOf('start shop-cache-1'));
    expect((await runtime.list('shop')).map((c) => c.state)).toEqual(['running', 'running', 'running']);
  });

  it('leaves unchanged running containers alone on a second up', async () => {
    const runtime = new MemoryRuntime();
    const stack = await readme();
    await up(stack, runtime, opts);
    const plan = await planUp(stack, runtime);
    expect(plan.steps).toEqual([]);
    expect(plan.unchanged.sort()).toEqual(['shop-cache-1', 'shop-db-1', 'shop-web-1']);
    expect(formatPlan(plan)).toContain('nothing to do (3 up to date)');
  });

  it('recreates only the container whose config changed', async () => {
    const runtime = new MemoryRuntime();
    const stack = await readme();
    await up(stack, runtime, opts);
    stack.containers.db!.environment.POSTGRES_PASSWORD = 'changed';
    const plan = await planUp(stack, runtime);
    expect(plan.steps.map((s) => `${s.kind} ${s.container}`)).toEqual([
      'stop-container shop-db-1',
      'remove-container shop-db-1',
      'create-container shop-db-1',
      'start-container shop-db-1',
    ]);
    expect(formatPlan(plan)).toContain('[2] -> #1 container:shop-db-1 remove-container (config changed)');
  });

  it('does not recreate for a depends_on or replicas change (left out of the config hash)', async () => {
    const stack = await readme();
    const web = stack.containers.web!;
    const before = configHash(web);
    expect(configHash({ ...web, depends_on: {}, replicas: 3 })).toBe(before);
    expect(configHash({ ...web, image: 'nginx:1.27' })).not.toBe(before);
  });

  it('scales replicas up and down', async () => {
    const runtime = new MemoryRuntime();
    const stack = await readme();
    stack.containers.cache!.replicas = 3;
    await up(stack, runtime, opts);
    expect((await runtime.list('shop')).filter((c) => c.service === 'cache')).toHaveLength(3);
    stack.containers.cache!.replicas = 1;
    const plan = await planUp(stack, runtime);
    expect(plan.steps.filter((s) => s.kind === 'remove-container').map((s) => s.container)).toEqual([
      'shop-cache-2',
      'shop-cache-3',
    ]);
  });

  it('selects containers by service, or one replica by its container name', async () => {
    const runtime = new MemoryRuntime();
    const stack = await readme();
    stack.containers.cache!.replicas = 3;
    await up(stack, runtime, opts);
    const names = async (wanted: string[]) =>
      (await selectContainers(runtime, 'shop', wanted)).map((c) => c.name).sort();
    expect(await names(['cache'])).toEqual(['shop-cache-1', 'shop-cache-2', 'shop-cache-3']);
    expect(await names(['shop-cache-2'])).toEqual(['shop-cache-2']);
    expect(await names(['web', 'shop-cache-3'])).toEqual(['shop-cache-3', 'shop-web-1']);
    await expect(selectContainers(runtime, 'shop', ['shop-cache-9'])).rejects.toMatchObject({
      code: 'UNKNOWN_SERVICE',
      hint: 'services: cache, db, web',
    });
  });

  it('removes orphans only when asked', async () => {
    const runtime = new MemoryRuntime();
    const stack = await readme();
    await up(stack, runtime, opts);
    delete stack.containers.cache;
    delete stack.containers.web!.depends_on.cache;
    const kept = await planUp(stack, runtime);
    expect(kept.steps).toEqual([]);
    expect(kept.warnings[0]).toContain('pass --remove-orphans');
    const removed = await planUp(stack, runtime, { removeOrphans: true });
    expect(removed.steps.map((s) => `${s.kind} ${s.container}`)).toEqual([
      'stop-container shop-cache-1',
      'remove-container shop-cache-1',
    ]);
  });

  it('waits for healthy and completed dependencies before starting dependants', async () => {
    const runtime = new MemoryRuntime((service) =>
      service === 'db' ? { health: 'healthy' } : service === 'migrate' ? { exitWith: 0 } : {},
    );
    const stack = await loadStack({ file: fixture('full.yaml'), project: 'full' });
    const { plan } = await up(stack, runtime, opts);
    const kinds = plan!.steps.map((s) => `${s.kind} ${s.service}`);
    expect(kinds).toContain('wait-healthy db');
    expect(kinds).toContain('wait-completed migrate');
    const apiStart = plan!.steps.find((s) => s.kind === 'start-container' && s.service === 'api')!;
    const waits = plan!.steps.filter((s) => s.kind.startsWith('wait-')).map((s) => s.id);
    expect(apiStart.deps).toEqual(expect.arrayContaining(waits));
  });

  it('fails when a dependency never completes successfully, and rolls back what it created', async () => {
    const runtime = new MemoryRuntime((service) =>
      service === 'db' ? { health: 'healthy' } : service === 'migrate' ? { exitWith: 3 } : {},
    );
    const stack = await loadStack({ file: fixture('full.yaml'), project: 'full' });
    await expect(up(stack, runtime, opts)).rejects.toMatchObject({
      code: 'FAILED_TO_COMPLETE',
      message: 'full-migrate-1 exited with 3',
    });
    expect(await runtime.list('full')).toEqual([]);
    expect(await runtime.listNetworks('full')).toEqual([]);
    expect(runtime.calls).not.toContain('start full-api-1');
  });

  it('keeps what it created on failure when asked', async () => {
    const runtime = new MemoryRuntime((service) =>
      service === 'web' ? { failStart: 'port 8080 already allocated' } : {},
    );
    await expect(up(await readme(), runtime, { ...opts, keepOnFailure: true })).rejects.toThrow(
      'port 8080 already allocated',
    );
    expect((await runtime.list('shop')).length).toBe(3);
  });

  it('reports an unhealthy dependency instead of waiting forever', async () => {
    const runtime = new MemoryRuntime((service) =>
      service === 'db' ? { health: 'unhealthy' } : service === 'migrate' ? { exitWith: 0 } : {},
    );
    const stack = await loadStack({ file: fixture('full.yaml'), project: 'full' });
    await expect(up(stack, runtime, opts)).rejects.toMatchObject({ code: 'UNHEALTHY' });
  });

  it('with wait, returns only once every container with a healthcheck is healthy', async () => {
    const withCheck = async () => {
      const stack = await readme();
      stack.containers.cache!.healthcheck = {
        test: ['true'],
        interval_ms: 10,
        timeout_ms: 10,
        retries: 1,
        start_period_ms: 0,
      };
      return stack;
    };
    const unhealthy = () =>
      new MemoryRuntime((service) => (service === 'cache' ? { health: 'unhealthy' } : {}));
    await expect(up(await withCheck(), unhealthy(), { ...opts, wait: true })).rejects.toMatchObject({
      code: 'UNHEALTHY',
    });
    await expect(up(await withCheck(), unhealthy(), { ...opts, wait: false })).resolves.toBeDefined();
    const healthy = new MemoryRuntime((service) => (service === 'cache' ? { health: 'healthy' } : {}));
    const events: string[] = [];
    await up(await withCheck(), healthy, {
      ...opts,
      wait: true,
      progress: (e) => events.push(`${e.resource} ${e.text}`),
    });
    expect(events).not.toContain('container:shop-cache-1 waiting to be healthy');
  });

  it('brings up only the services asked for, with their dependencies', async () => {
    const runtime = new MemoryRuntime();
    const plan = await planUp(await readme(), runtime, { services: ['cache'] });
    expect(new Set(plan.steps.map((s) => s.service).filter(Boolean))).toEqual(new Set(['cache']));
    await expect(planUp(await readme(), runtime, { services: ['nope'] })).rejects.toMatchObject({
      code: 'UNKNOWN_SERVICE',
    });
  });
});

describe('down', () => {
  it('removes every container and network of the project and nothing else', async () => {
    const runtime = new MemoryRuntime();
    await up(await readme(), runtime, opts);
    await up(await loadStack({ file: fixture('readme-example.json'), project: 'other' }), runtime, opts);
    const removed = await down('shop', runtime, silentProgress);
    expect(removed.containers.sort()).toEqual(['shop-cache-1', 'shop-db-1', 'shop-web-1']);
    expect(removed.networks).toEqual(['mynet']);
    expect(await runtime.list('shop')).toEqual([]);
    expect(await runtime.list('other')).toHaveLength(3);
  });
});
