import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { down, up } from '../../src/engine/orchestrator/lifecycle.js';
import type { ProgressEvent } from '../../src/engine/progress.js';
import {
  type ContainerStatus,
  containerName,
  type LogLine,
  type Runtime,
} from '../../src/engine/runtime/types.js';
import { loadStack } from '../../src/engine/stack/index.js';
import type { Stack } from '../../src/engine/stack/model.js';
import { eventually as pollEventually } from '../support/poll.js';

/**
 * One set of scenarios every runtime must pass, parametrised by runtime: the stacks come from
 * fixtures/stacks/scenarios, brought up and down through the orchestrator exactly as `kitten up`
 * and `kitten down` do, and every assertion reads back through the Runtime interface only.
 */
export interface ScenarioOptions {
  /** Whether the runtime's real component is here (see componentAvailable in test/support/testbed.ts). */
  available: boolean;
  /** Replaces `image: scenario`: an image with /bin/sh, sleep and busybox (httpd, wget) on its PATH. */
  image: string;
  /** Upper bound for any one wait in a scenario. */
  timeoutMs?: number;
  /**
   * The scenarios that apply to this runtime (default: all). A runtime that deploys whole stacks
   * (kubernetes) has no per-container plan, restart counter or exec into a loopback pod.
   */
  only?: readonly ScenarioName[];
}

export type ScenarioName =
  | 'by-name'
  | 'published-port'
  | 'depends-order'
  | 'restart-policies'
  | 'healthcheck-gating'
  | 'down'
  | 'orphans'
  | 'logs'
  | 'exec'
  | 'convergence';

const SCENARIO_DIR = fileURLToPath(new URL('../../fixtures/stacks/scenarios/', import.meta.url));

export async function loadScenario(name: string, project: string, image: string): Promise<Stack> {
  const stack = await loadStack({ file: `${SCENARIO_DIR}${name}.yaml`, project });
  for (const spec of Object.values(stack.containers)) {
    if (spec.image === 'scenario') spec.image = image;
  }
  return stack;
}

/** A project name no other run on this machine is using. */
export function uniqueProject(scenario: string): string {
  return `kt-${scenario}-${randomBytes(3).toString('hex')}`;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Polls until `check` returns a value other than undefined/false, or throws its last error at the deadline. */
export function eventually<T>(
  check: () => Promise<T | undefined | false>,
  what: string,
  timeoutMs = 30_000,
  intervalMs = 100,
): Promise<T> {
  return pollEventually(check, what, timeoutMs, intervalMs);
}

export async function logTexts(runtime: Runtime, name: string): Promise<string[]> {
  const lines: string[] = [];
  for await (const line of runtime.logs(name, {})) lines.push(line.text);
  return lines;
}

function byService(statuses: ContainerStatus[]): Record<string, ContainerStatus> {
  return Object.fromEntries(statuses.map((s) => [s.service, s]));
}

/** A /24 in 10.213.0.0/16 picked per run, so concurrent runs and other runtimes rarely collide. */
function randomSubnet(): { subnet: string; prefix: string } {
  const octet = 1 + ((randomBytes(1)[0] ?? 0) % 254);
  return { subnet: `10.213.${octet}.0/24`, prefix: `10.213.${octet}` };
}

export function defineRuntimeScenarios(
  name: string,
  makeRuntime: () => Runtime | Promise<Runtime>,
  options: ScenarioOptions,
): void {
  const timeoutMs = options.timeoutMs ?? 30_000;
  // Scenarios that do not apply to a runtime are not registered at all, rather than reported as skipped.
  const scenarioIt = (scenario: ScenarioName, title: string, body: () => Promise<void>) => {
    if (!options.only || options.only.includes(scenario)) it(title, body);
  };

  describe.runIf(options.available)(`${name} runtime scenarios`, () => {
    let runtime: Runtime;
    const projects = new Set<string>();
    const events: ProgressEvent[] = [];
    const progress = (event: ProgressEvent) => events.push(event);

    beforeAll(async () => {
      runtime = await makeRuntime();
    });
    afterEach(async () => {
      for (const project of projects) await down(project, runtime, () => {});
      projects.clear();
      events.length = 0;
    });
    afterAll(async () => {
      await runtime?.close();
    });

    async function bringUp(stack: Stack) {
      projects.add(stack.project);
      return up(stack, runtime, { progress, waitTimeoutMs: timeoutMs, pollMs: 100 });
    }

    async function scenario(file: string): Promise<Stack> {
      return loadScenario(file, uniqueProject(file.replace(/[^a-z]/g, '').slice(0, 10)), options.image);
    }

    scenarioIt(
      'by-name',
      'lets one container reach another by service name and by container name on a network',
      async () => {
        const stack = await scenario('by-name');
        const { subnet, prefix } = randomSubnet();
        const backend = stack.networks.backend;
        if (!backend) throw new Error('by-name.yaml declares network backend');
        backend.subnet = subnet;
        backend.gateway = `${prefix}.1`;
        const api = stack.containers.api;
        if (!api?.networks[0]) throw new Error('by-name.yaml attaches api to backend');
        api.networks[0].ip = `${prefix}.10`;
        await bringUp(stack);

        const client = containerName(stack.project, 'client', 1);
        for (const target of ['api', containerName(stack.project, 'api', 1)]) {
          const body = await eventually(
            async () => {
              const result = await runtime.exec(client, [
                'busybox',
                'wget',
                '-q',
                '-O',
                '-',
                `http://${target}:8080/`,
              ]);
              return result.exitCode === 0 ? result.stdout : undefined;
            },
            `client to reach ${target}:8080`,
            timeoutMs,
          );
          expect(body.trim()).toBe('pong');
        }
        const status = await runtime.inspect(containerName(stack.project, 'api', 1));
        expect(status?.ip).toBe(`${prefix}.10`);
        const networks = await runtime.listNetworks(stack.project);
        expect(networks.map((n) => [n.network, n.subnet])).toEqual([['backend', subnet]]);
      },
    );

    scenarioIt('published-port', 'answers over HTTP from the host on a published port', async () => {
      const stack = await scenario('published-port');
      const port = await freePort();
      const web = stack.containers.web;
      if (!web?.ports[0]) throw new Error('published-port.yaml publishes a port');
      web.ports[0].host = port;
      await bringUp(stack);

      const body = await eventually(
        async () => {
          const response = await fetch(`http://127.0.0.1:${port}/`);
          return response.ok ? response.text() : undefined;
        },
        `HTTP on 127.0.0.1:${port}`,
        timeoutMs,
      );
      expect(body.trim()).toBe('hello from web');
      const status = await runtime.inspect(containerName(stack.project, 'web', 1));
      expect(status?.ports).toContainEqual({ host: port, container: 80, protocol: 'tcp', host_ip: null });
    });

    scenarioIt('depends-order', 'starts containers in depends_on order', async () => {
      const stack = await scenario('depends-order');
      await bringUp(stack);
      const services = byService(await runtime.list(stack.project));
      const started = (service: string) => {
        const at = services[service]?.started_at;
        if (!at) throw new Error(`${service} has no start time`);
        return Date.parse(at);
      };
      expect(Object.keys(services).sort()).toEqual(['first', 'second', 'third']);
      expect(started('first')).toBeLessThanOrEqual(started('second'));
      expect(started('second')).toBeLessThanOrEqual(started('third'));
    });

    scenarioIt(
      'restart-policies',
      'restarts per policy: on-failure:2 runs exactly 3 times, always keeps going, no runs once',
      async () => {
        const stack = await scenario('restart-policies');
        await bringUp(stack);
        const name = (service: string) => containerName(stack.project, service, 1);

        // A restart count can move before that run's output reaches the log: wait for both.
        const runsOf = async (service: string) =>
          (await logTexts(runtime, name(service))).filter((t) => t === 'started').length;
        const flaky = await eventually(
          async () => {
            const s = await runtime.inspect(name('flaky'));
            return s && s.state === 'exited' && s.restarts === 2 && (await runsOf('flaky')) === 3
              ? s
              : undefined;
          },
          'flaky to give up after 2 restarts',
          timeoutMs,
        );
        expect(flaky.exit_code).toBe(1);
        expect(await runsOf('flaky')).toBe(3);

        const forever = await eventually(
          async () => {
            const s = await runtime.inspect(name('forever'));
            return s && s.restarts >= 2 && (await runsOf('forever')) >= 3 ? s : undefined;
          },
          'forever to be restarted at least twice',
          timeoutMs,
        );
        expect(forever.restarts).toBeGreaterThanOrEqual(2);

        const once = await runtime.inspect(name('once'));
        expect(once).toMatchObject({ state: 'exited', restarts: 0, exit_code: 1 });
        expect((await logTexts(runtime, name('once'))).filter((t) => t === 'started')).toHaveLength(1);
      },
    );

    scenarioIt('healthcheck-gating', 'holds a dependant back until its dependency is healthy', async () => {
      const stack = await scenario('healthcheck-gating');
      const db = stack.containers.db;
      if (!db) throw new Error('healthcheck-gating.yaml has db');
      db.environment.MARKER = `/tmp/${stack.project}-ready`;
      await bringUp(stack);
      const services = byService(await runtime.list(stack.project));
      expect(services.db?.health).toBe('healthy');
      expect(services.app?.state).toBe('running');
      const dbStarted = Date.parse(services.db?.started_at ?? '');
      const appStarted = Date.parse(services.app?.started_at ?? '');
      // db cannot be healthy before its one-second sleep is over.
      expect(appStarted - dbStarted).toBeGreaterThanOrEqual(1000);
      expect(
        events.some(
          (e) => e.resource.includes(containerName(stack.project, 'db', 1)) && e.text === 'healthy',
        ),
      ).toBe(true);
    });

    scenarioIt('down', 'leaves no container and no network behind after down', async () => {
      const stack = await scenario('by-name');
      const { subnet, prefix } = randomSubnet();
      const backend = stack.networks.backend;
      const api = stack.containers.api;
      if (!backend || !api?.networks[0]) throw new Error('by-name.yaml shape changed');
      backend.subnet = subnet;
      backend.gateway = `${prefix}.1`;
      api.networks[0].ip = `${prefix}.10`;
      await bringUp(stack);
      const running = await runtime.list(stack.project);
      expect(running.map((c) => c.service).sort()).toEqual(['api', 'client']);

      const removed = await down(stack.project, runtime, () => {});
      projects.delete(stack.project);
      // Each runtime names its containers its own way (compose-style, or pod names): down removes exactly those.
      expect(removed.containers.sort()).toEqual(running.map((c) => c.name).sort());
      expect(await runtime.list(stack.project)).toEqual([]);
      expect(await runtime.listNetworks(stack.project)).toEqual([]);
      expect(await runtime.projects()).not.toContain(stack.project);
      expect(await runtime.inspect(containerName(stack.project, 'api', 1))).toBeNull();
    });

    scenarioIt('orphans', 'keeps a service dropped from the file until asked to remove orphans', async () => {
      const stack = await scenario('convergence');
      await bringUp(stack);
      const dropped = containerName(stack.project, 'changing', 1);
      delete stack.containers.changing;

      const kept = await bringUp(stack);
      expect(kept.plan?.warnings.some((w) => w.includes(dropped))).toBe(true);
      expect((await runtime.list(stack.project)).map((c) => c.service)).toEqual(['changing', 'steady']);

      await up(stack, runtime, { progress, removeOrphans: true, waitTimeoutMs: timeoutMs, pollMs: 100 });
      expect((await runtime.list(stack.project)).map((c) => c.service)).toEqual(['steady']);
      expect(await runtime.inspect(dropped)).toBeNull();
    });

    scenarioIt('logs', 'reads logs by stream, with tail, since and follow until aborted', async () => {
      const stack = await scenario('logs');
      await bringUp(stack);
      const talker = containerName(stack.project, 'talker', 1);
      const all = await eventually(
        async () => {
          const lines: LogLine[] = [];
          for await (const line of runtime.logs(talker, {})) lines.push(line);
          return lines.some((l) => l.text === 'tick 3') ? lines : undefined;
        },
        'three ticks in the log',
        timeoutMs,
      );
      // Order holds within a stream; across stdout and stderr the engine may interleave either way.
      const stdout = all.filter((l) => l.stream === 'stdout').map((l) => l.text);
      expect(stdout.slice(0, 3)).toEqual(['one', 'two', 'tick 1']);
      expect(all.filter((l) => l.stream === 'stderr').map((l) => l.text)).toEqual(['oops']);
      expect(
        all.every(
          (l) => l.container === talker && l.service === 'talker' && !Number.isNaN(Date.parse(l.time)),
        ),
      ).toBe(true);

      const tail: string[] = [];
      for await (const line of runtime.logs(talker, { tail: 2 })) tail.push(line.text);
      expect(tail).toHaveLength(2);
      expect(tail).not.toContain('one');
      expect(tail.at(-1)).toMatch(/^tick \d+$/);

      const since = new Date();
      const recent: string[] = [];
      await eventually(
        async () => {
          recent.length = 0;
          for await (const line of runtime.logs(talker, { since })) recent.push(line.text);
          return recent.length > 0;
        },
        'a line after since',
        timeoutMs,
      );
      expect(recent).not.toContain('one');

      const controller = new AbortController();
      const followed: string[] = [];
      const deadline = setTimeout(() => controller.abort(), timeoutMs);
      for await (const line of runtime.logs(talker, { follow: true, tail: 0, signal: controller.signal })) {
        followed.push(line.text);
        if (followed.length === 2) controller.abort();
      }
      clearTimeout(deadline);
      expect(followed).toHaveLength(2);
      expect(followed.every((t) => t.startsWith('tick '))).toBe(true);
    });

    scenarioIt(
      'exec',
      'runs a command in a container and returns its exit code, stdout and stderr',
      async () => {
        const stack = await scenario('single');
        await bringUp(stack);
        const app = containerName(stack.project, 'app', 1);
        const result = await runtime.exec(app, ['/bin/sh', '-c', 'echo out; echo err >&2; exit 3']);
        expect(result).toEqual({ exitCode: 3, stdout: 'out\n', stderr: 'err\n' });
        expect((await runtime.exec(app, ['/bin/sh', '-c', 'echo $0', 'with spaces'])).stdout).toBe(
          'with spaces\n',
        );
      },
    );

    scenarioIt('convergence', 'recreates only the service whose config changed', async () => {
      const stack = await scenario('convergence');
      await bringUp(stack);
      const before = byService(await runtime.list(stack.project));

      const again = await bringUp(stack);
      expect(again.plan?.steps ?? []).toEqual([]);

      const changing = stack.containers.changing;
      if (!changing) throw new Error('convergence.yaml has changing');
      changing.environment.GENERATION = '2';
      const second = await bringUp(stack);
      expect(second.plan?.unchanged).toEqual([containerName(stack.project, 'steady', 1)]);
      const after = byService(await runtime.list(stack.project));

      expect(after.steady?.started_at).toBe(before.steady?.started_at);
      expect(after.steady?.config_hash).toBe(before.steady?.config_hash);
      expect(after.changing?.config_hash).not.toBe(before.changing?.config_hash);
      expect(after.changing?.state).toBe('running');
      const env = await runtime.exec(containerName(stack.project, 'changing', 1), [
        '/bin/sh',
        '-c',
        'echo $GENERATION',
      ]);
      expect(env.stdout.trim()).toBe('2');
    });
  });
}
