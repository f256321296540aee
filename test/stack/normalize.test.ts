import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadStack } from '../../src/engine/stack/index.js';

const fixture = (name: string) => join(import.meta.dirname, '../../fixtures/stacks', name);

describe('normalization fills defaults and keeps what the file said', () => {
  it('marks a restart policy as declared only when the file writes it out', async () => {
    const stack = await loadStack({ file: fixture('full.yaml') });
    expect(stack.containers.migrate!.restart).toEqual({ policy: 'no', max_retries: null, declared: true });
    expect(stack.containers.api!.restart).toEqual({ policy: 'on-failure', max_retries: 5, declared: true });
    const readme = await loadStack({ file: fixture('readme-example.json') });
    expect(readme.containers.web!.restart).toEqual({ policy: 'no', max_retries: null, declared: false });
  });

  it('resolves relative bind mounts against the stack file and keeps :ro', async () => {
    const stack = await loadStack({ file: fixture('full.yaml') });
    expect(stack.containers.web!.volumes).toEqual([
      { source: fixture('nginx.conf'), target: '/etc/nginx/nginx.conf', read_only: true },
    ]);
  });

  it('turns healthcheck strings and CMD-SHELL into an exec form with Docker defaults filled', async () => {
    const stack = await loadStack({ file: fixture('full.yaml') });
    expect(stack.containers.db!.healthcheck).toEqual({
      test: ['/bin/sh', '-c', 'pg_isready -U postgres'],
      interval_ms: 5000,
      timeout_ms: 3000,
      retries: 5,
      start_period_ms: 10_000,
    });
    expect(stack.containers.db!.resources).toEqual({ cpus: 1.5, memory: 512 * 1024 * 1024 });
  });

  it('gives containers without a network the implicit default bridge', async () => {
    const stack = await loadStack({ file: fixture('hello.yaml') });
    expect(stack.containers.hello!.networks).toEqual([{ name: 'default', ip: null }]);
    expect(stack.networks.default).toEqual({
      name: 'default',
      driver: 'bridge',
      subnet: null,
      gateway: null,
      implicit: true,
    });
  });
});
