import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { down, up } from '../../src/engine/orchestrator/lifecycle.js';
import { createDockerRuntime } from '../../src/engine/runtime/docker/index.js';
import type { Runtime } from '../../src/engine/runtime/types.js';
import { actionStatus } from '../../src/tui/model/container-actions.js';
import type { ClusterSession } from '../../src/tui/session/cluster-session.js';
import { openEngineSession } from '../../src/tui/session/engine-session.js';
import type { ConfirmRequest, RowView } from '../../src/tui/session/port.js';
import { dockerProblem } from '../runtime/docker-testbed.js';
import { until as poll } from '../support/poll.js';
import { container, stack } from '../support/stack-builder.js';
import { componentAvailable, loadTestbed } from '../support/testbed.js';

/**
 * Stack actions on a real Docker container: the TUI session hands `docker stop NAME` to the one
 * executor (policy, y/N, audit), the container really stops, and a no leaves it as it was.
 */
const testbed = loadTestbed();
const available = componentAvailable('docker', await dockerProblem(testbed));
const host = testbed.docker?.host ?? '';
const project = `kt-tui-${process.pid}`;
const name = `${project}-web-1`;
const saved = { ...process.env };
let home: string;
let runtime: Runtime;
let session: ClusterSession;
let close: () => Promise<void>;

function until(what: string, predicate: () => boolean): Promise<true> {
  return poll(() => predicate() || undefined, what, 20_000, 50);
}

const stateOf = () => session.state().stack.find((c) => c.name === name)?.state;
const row: RowView = { key: `${project}/${name}`, namespace: project, name, cells: [], tone: 'ok' };

describe.runIf(available)('Stack actions on docker', () => {
  beforeAll(async () => {
    home = mkdtempSync(join(tmpdir(), 'kitten-tui-docker-'));
    runtime = createDockerRuntime({ host });
    const web = container('web', {
      image: testbed.docker?.image ?? '',
      // Exits on SIGTERM at once, so `docker stop` does not wait out its 10 s grace period.
      command: ['sh', '-c', 'trap "exit 0" TERM; while true; do sleep 0.2; done'],
    });
    await up(stack(project, [web]), runtime, { progress: () => {}, waitTimeoutMs: 30_000 });
    const env = {
      ...process.env,
      KITTEN_HOME: home,
      KITTEN_USER: 'dana',
      KUBECONFIG: join(home, 'no-kubeconfig'),
      DOCKER_HOST: host,
    };
    process.env.KITTEN_HOME = home;
    process.env.KITTEN_USER = 'dana';
    const opened = await openEngineSession({}, env);
    session = opened.session;
    const stop = session.start();
    close = async () => {
      stop();
      await opened.close();
    };
    await until('the container running in the Stack tab', () => stateOf() === 'running');
  }, 60_000);

  afterAll(async () => {
    await close?.();
    await down(project, runtime, () => {}).catch(() => {});
    await runtime?.close();
    process.env = saved;
    rmSync(home, { recursive: true, force: true });
  });

  it('stops the container through the executor after a yes, and the audit log records it', async () => {
    const asked: ConfirmRequest[] = [];
    const outcome = await session.containerAction('stop', row, async (request) => {
      asked.push(request);
      return true;
    });
    expect(asked.map((r) => r.command.argv)).toEqual([['docker', 'stop', name]]);
    expect(actionStatus('stop', name, outcome)).toEqual({ tone: 'ok', text: `${name} stopped` });
    expect(stateOf()).toBe('exited');
    expect((await runtime.inspect(name))?.state).toBe('exited');
    const audit = readFileSync(join(home, 'audit', 'commands.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { argv: string[]; origin: string; status: string; user: string });
    expect(audit.map((a) => [a.argv.join(' '), a.origin, a.status, a.user])).toEqual([
      [`docker stop ${name}`, 'tui', 'SUCCESS', 'dana'],
    ]);
  }, 30_000);

  it('leaves the container alone on a no', async () => {
    const outcome = await session.containerAction('start', row, async () => false);
    expect(actionStatus('start', name, outcome)).toEqual({
      tone: 'info',
      text: `${name} not started: you declined`,
    });
    expect((await runtime.inspect(name))?.state).toBe('exited');
  });

  it('starts it again after a yes', async () => {
    const outcome = await session.containerAction('start', row, async () => true);
    expect(actionStatus('start', name, outcome)).toEqual({ tone: 'ok', text: `${name} started` });
    expect(stateOf()).toBe('running');
  }, 30_000);
});
