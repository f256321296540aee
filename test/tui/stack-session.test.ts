import { describe, expect, it } from 'vitest';
import type { ContainerStatus, LogLine } from '../../src/engine/runtime/types.js';
import { ClusterSession, type StackPort } from '../../src/tui/session/cluster-session.js';
import { until as poll } from '../support/poll.js';
import { container } from './support/fake-session.js';
import { sessionDeps } from './support/session-deps.js';

/** The Stack tab over a runtime: polled into the cache, described and logged through the port. */
function stackPort(containers: ContainerStatus[][], lines: LogLine[]): StackPort & { polls: number } {
  const port = {
    polls: 0,
    runtimeName: () => (port.polls > 0 ? 'docker' : null),
    list: async () => containers[Math.min(port.polls++, containers.length - 1)] ?? [],
    inspect: async (name: string) => ({ name, state: 'running' }),
    async *logs(_name: string, options: { follow: boolean; tail: number; signal: AbortSignal }) {
      for (const line of lines) {
        if (options.signal.aborted) return;
        yield line;
      }
    },
  };
  return port;
}

function session(stack: StackPort | null) {
  return new ClusterSession(
    sessionDeps({
      sourceProblem: 'no cluster: no kubeconfig found',
      stack,
      timing: { redrawMs: 5, stackPollMs: 20 },
    }),
  );
}

function until(what: string, predicate: () => boolean): Promise<true> {
  return poll(() => predicate() || undefined, what, 3000, 5);
}

describe('stack tab session', () => {
  it('polls the runtime, follows containers appearing and names the runtime in the header', async () => {
    const port = stackPort(
      [[container('shop-web-1')], [container('shop-web-1'), container('shop-db-1')]],
      [],
    );
    const s = session(port);
    const stop = s.start();
    await until('two containers', () => s.state().stack.length === 2);
    expect(s.state().header.runtime).toBe('docker');
    expect(s.state().problem).toBe('no cluster: no kubeconfig found');
    expect(s.state().kinds).toEqual([]);
    stop();
  });

  it('says why the Stack tab is empty when no runtime is reachable', async () => {
    const s = session({
      runtimeName: () => null,
      list: async () => {
        throw new Error('connect ECONNREFUSED /var/run/docker.sock');
      },
      inspect: async () => null,
      logs: async function* () {},
    });
    const stop = s.start();
    await until('a stack problem', () => s.state().stackProblem !== null);
    expect(s.state().stackProblem).toBe(
      'cannot list local containers: connect ECONNREFUSED /var/run/docker.sock',
    );
    stop();
  });

  it('shows container logs with time and stream, and the container as YAML', async () => {
    const lines: LogLine[] = [
      {
        container: 'shop-web-1',
        service: 'web',
        stream: 'stdout',
        time: '2026-11-21T10:00:01.000Z',
        text: 'listening on :80',
      },
      {
        container: 'shop-web-1',
        service: 'web',
        stream: 'stderr',
        time: '2026-11-21T10:00:02.000Z',
        text: 'GET /favicon.ico 404',
      },
    ];
    const s = session(stackPort([[container('shop-web-1')]], lines));
    const row = {
      key: 'shop/shop-web-1',
      namespace: 'shop',
      name: 'shop-web-1',
      cells: [],
      tone: 'ok' as const,
    };
    const out: string[] = [];
    for await (const line of s.logs({
      kind: 'stack',
      row,
      follow: false,
      signal: new AbortController().signal,
    }))
      out.push(line);
    expect(out).toEqual(['10:00:01   listening on :80', '10:00:02 ! GET /favicon.ico 404']);
    expect(await s.describe('stack', row)).toBe('name: shop-web-1\nstate: running\n');
  });
});
