import { readFileSync, rmSync } from 'node:fs';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { createNativeRuntime } from '../../src/engine/runtime/native/index.js';
import { isRoot } from '../support/testbed.js';
import { bridge, container, removeTempHomes, request, tempHome, until } from './stack-builders.js';

afterAll(removeTempHomes);

describe('native runtime errors a person can act on', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('says what needs root, and what to use instead, before touching anything', async () => {
    vi.spyOn(process, 'getuid').mockReturnValue(1000);
    const runtime = createNativeRuntime({ home: tempHome() });
    const error = await runtime.createContainer(request('p', container('web'))).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'NATIVE_NEEDS_ROOT',
      message: 'the native runtime needs root to create container p-web-1',
      hint: expect.stringContaining('--runtime docker'),
    });
    await expect(runtime.ensureNetwork('p', bridge())).rejects.toMatchObject({ code: 'NATIVE_NEEDS_ROOT' });
    expect(await runtime.projects()).toEqual([]);
  });

  it('reads an empty home as empty: no containers, no networks, no projects', async () => {
    const runtime = createNativeRuntime({ home: tempHome() });
    expect(await runtime.list('nothing')).toEqual([]);
    expect(await runtime.listNetworks('nothing')).toEqual([]);
    expect(await runtime.inspect('nothing-web-1')).toBeNull();
    await expect(runtime.remove('nothing-web-1')).resolves.toBeUndefined();
  });

  it.runIf(isRoot())('names the container it cannot find, with a hint', async () => {
    const runtime = createNativeRuntime({ home: tempHome() });
    await expect(runtime.start('ghost-web-1')).rejects.toMatchObject({
      code: 'CONTAINER_NOT_FOUND',
      hint: expect.any(String),
    });
    await expect(runtime.exec('ghost-web-1', ['true'])).rejects.toMatchObject({
      code: 'CONTAINER_NOT_FOUND',
    });
  });

  it.runIf(isRoot())(
    'refuses a network the stack never declared, and exec in a container that is not running',
    async () => {
      const home = tempHome();
      const runtime = createNativeRuntime({ home });
      await expect(
        runtime.createContainer(
          request('errs', container('web', { networks: [{ name: 'undeclared', ip: null }] })),
        ),
      ).rejects.toMatchObject({ code: 'NETWORK_NOT_FOUND' });
      const req = request('errs', container('idle', { networks: [{ name: 'none', ip: null }] }));
      await runtime.createContainer(req);
      await expect(runtime.exec(req.name, ['true'])).rejects.toMatchObject({ code: 'CONTAINER_NOT_RUNNING' });
      await runtime.remove(req.name);
      await runtime.removeNetwork('errs', 'none');
      expect(await runtime.projects()).toEqual([]);
    },
  );

  it.runIf(isRoot())(
    'ends a supervisor whose state was deleted from under it, instead of leaving it orphaned',
    async () => {
      const home = tempHome();
      const runtime = createNativeRuntime({ home });
      await runtime.ensureNetwork('orphan', {
        name: 'quiet',
        driver: 'none',
        subnet: null,
        gateway: null,
        implicit: false,
      });
      const { pid } = JSON.parse(readFileSync(runtime.paths.supervisorFile('orphan'), 'utf8')) as {
        pid: number;
      };
      rmSync(home, { recursive: true, force: true });
      await until(
        'the supervisor to exit',
        async () => {
          try {
            process.kill(pid, 0);
            return false;
          } catch {
            return true;
          }
        },
        20_000,
      );
    },
  );
});
