import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { down, up } from '../../src/engine/orchestrator/lifecycle.js';
import { followLogs } from '../../src/engine/orchestrator/logs.js';
import type { ProgressEvent } from '../../src/engine/progress.js';
import {
  createKubernetesRuntime,
  type KubernetesRuntime,
} from '../../src/engine/runtime/kubernetes/index.js';
import { containerName, isStackDeployer, type LogLine } from '../../src/engine/runtime/types.js';
import { container, port, stack } from '../support/stack-builder.js';
import { type ClusterTarget, loopbackTarget, until } from './cluster-target.js';

/**
 * `kitten up` / `ps` / `logs` / `down` go through the orchestrator; it hands a StackDeployer the
 * whole stack. This drives the same entry points with the kubernetes runtime.
 */
let target: ClusterTarget;
let runtime: KubernetesRuntime;

beforeAll(async () => {
  target = await loopbackTarget({ controller: true });
  runtime = createKubernetesRuntime({ kubeconfig: target.kubeconfig, pollIntervalMs: 10 });
});

afterAll(async () => {
  await runtime.close();
  await target.close();
});

describe('the orchestrator with the kubernetes runtime', () => {
  const s = stack('orch', [
    container('api', { ports: [port(8000, 8000)], replicas: 2 }),
    container('worker', { depends_on: { api: { condition: 'started' } } }),
  ]);

  it('is a stack deployer, so up applies the whole stack and waits', async () => {
    expect(isStackDeployer(runtime)).toBe(true);
    const events: ProgressEvent[] = [];
    const result = await up(s, runtime, {
      progress: (e) => events.push(e),
      waitTimeoutMs: 30_000,
      extra: { expose: 'loadbalancer' },
    });
    expect(result.plan).toBeNull();
    expect(events.filter((e) => e.status === 'done').map((e) => e.resource)).toEqual(
      expect.arrayContaining(['deployment:api', 'deployment:worker', 'service:api', 'service:api-public']),
    );
    const rows = await runtime.list('orch');
    expect(rows.map((r) => `${r.service}/${r.replica}`)).toEqual(['api/1', 'api/2', 'worker/1']);
    expect(rows.every((r) => r.state === 'running')).toBe(true);
  });

  it('answers to compose-style names as every runtime does', async () => {
    const rows = await runtime.list('orch');
    const second = rows.find((r) => r.service === 'api' && r.replica === 2)!;
    const fresh = createKubernetesRuntime({ kubeconfig: target.kubeconfig });
    const inspected = await fresh.inspect(containerName('orch', 'api', 2));
    expect(inspected?.name).toBe(second.name);
    target.server!.appendLog('orch', second.name, 'api', 'listening on 8000');
    const lines: LogLine[] = [];
    await followLogs(fresh, [{ ...second, name: containerName('orch', 'api', 2) }], {}, (l) => lines.push(l));
    expect(lines.map((l) => l.text)).toContain('listening on 8000');
    await fresh.close();
  });

  it('follows a pod log until aborted', async () => {
    const [first] = await runtime.list('orch');
    const abort = new AbortController();
    const seen: string[] = [];
    const following = (async () => {
      for await (const line of runtime.logs(first!.name, { follow: true, tail: 0, signal: abort.signal })) {
        seen.push(line.text);
        if (line.text === 'second') abort.abort();
      }
    })();
    // Lines written after the follow began arrive as they are written; history is not replayed (tail 0).
    const deadline = Date.now() + 10_000;
    while (target.server!.openLogFollows === 0 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 5));
    target.server!.appendLog('orch', first!.name, first!.service, 'first');
    target.server!.appendLog('orch', first!.name, first!.service, 'second');
    await following;
    expect(seen).toEqual(['first', 'second']);
    // Aborting closes the stream on the server too (it notices the closed connection).
    await until(() => target.server!.openLogFollows === 0 || undefined, 'the log stream to close');
  });

  it('runs a command in a pod over the exec stream: output and exit code', async () => {
    target.server!.onExec(({ command, container }) =>
      command[0] === 'false'
        ? { stderr: 'nope\n', exitCode: 3 }
        : { stdout: `${container}: ${command.join(' ')}\n`, exitCode: 0 },
    );
    const name = containerName('orch', 'api', 1);
    expect(await runtime.exec(name, ['echo', 'hi'])).toEqual({
      exitCode: 0,
      stdout: 'api: echo hi\n',
      stderr: '',
    });
    expect(await runtime.exec(name, ['false'])).toEqual({ exitCode: 3, stdout: '', stderr: 'nope\n' });
  });

  it('connect reports the load balancer address once the cluster assigns one', async () => {
    const [api] = await runtime.connections('orch', 'api', []);
    expect(api!.load_balancer).toContainEqual({ address: '203.0.113.10', port: 8000, protocol: 'TCP' });
  });

  it('down removes everything the stack made, namespace included', async () => {
    await down('orch', runtime, () => {});
    expect(await runtime.list('orch')).toEqual([]);
    expect(await runtime.projects()).not.toContain('orch');
    expect(target.server!.get('v1', 'Namespace', undefined, 'orch')).toBeUndefined();
  });
});
