import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../../src/tui/app.js';
import { actionStatus } from '../../src/tui/model/container-actions.js';
import { type ActionRecord, ClusterSession } from '../../src/tui/session/cluster-session.js';
import { stackOf } from '../../src/tui/session/engine-session.js';
import type { ConfirmRequest, RowView } from '../../src/tui/session/port.js';
import type { Behaviour } from '../support/memory-runtime.js';
import { until as poll } from '../support/poll.js';
import { container as spec } from '../support/stack-builder.js';
import { FollowingRuntime } from './support/following-runtime.js';
import { KEY, type, waitFor } from './support/keys.js';
import { sessionDeps } from './support/session-deps.js';

/**
 * The Stack tab over a runtime (the in-memory one, with followable logs): actions reach the
 * runtime only after a yes and the table shows the new state; logs follow the runtime's stream
 * and Esc ends it.
 */
let cleanup: (() => void) | undefined;
afterEach(() => {
  cleanup?.();
  cleanup = undefined;
});

async function world(script?: (service: string) => Behaviour) {
  const runtime = new FollowingRuntime(script);
  for (const [service, state] of [
    ['web', 'running'],
    ['db', 'exited'],
  ] as const) {
    const name = `shop-${service}-1`;
    await runtime.createContainer({
      project: 'shop',
      spec: spec(service),
      replica: 1,
      name,
      configHash: 'h',
      baseDir: '/srv/shop',
    });
    await runtime.start(name);
    if (state === 'exited') await runtime.stop(name);
  }
  runtime.calls.length = 0;
  const stack = stackOf(async () => runtime);
  const audit: ActionRecord[] = [];
  const session = new ClusterSession(
    sessionDeps({
      sourceProblem: 'no cluster: no kubeconfig found',
      stack,
      run: async () => ({ status: 'refused', reason: 'the executor runs docker and kubectl only' }),
      audit: async (record) => {
        audit.push(record);
      },
      timing: { redrawMs: 5, stackPollMs: 50 },
    }),
  );
  const stop = session.start();
  await until('the stack', () => session.state().stack.length === 2);
  return { runtime, session, stop, audit };
}

function until(what: string, predicate: () => boolean): Promise<true> {
  return poll(() => predicate() || undefined, what, 5000, 5);
}

function row(name: string): RowView {
  return { key: `shop/${name}`, namespace: 'shop', name, cells: [], tone: 'ok' };
}

const stateOf = (session: ClusterSession, name: string) =>
  session.state().stack.find((c) => c.name === name)?.state;

describe('Stack actions through the runtime', () => {
  it('asks first, then stops the container; the stack shows it exited', async () => {
    const { runtime, session, stop, audit } = await world();
    const asked: ConfirmRequest[] = [];
    const outcome = await session.containerAction('stop', row('shop-web-1'), async (request) => {
      asked.push(request);
      return true;
    });
    expect(asked.map((r) => [r.command.argv.join(' '), r.command.risk, r.typeToConfirm])).toEqual([
      ['kitten stop shop-web-1 -p shop --runtime native', 'write', null],
    ]);
    expect(runtime.calls).toEqual(['stop shop-web-1']);
    expect(actionStatus('stop', 'shop-web-1', outcome)).toEqual({ tone: 'ok', text: 'shop-web-1 stopped' });
    expect(stateOf(session, 'shop-web-1')).toBe('exited');
    expect(audit).toEqual([
      {
        intent: 'stop container shop-web-1 from the Stack tab',
        argv: ['kitten', 'stop', 'shop-web-1', '-p', 'shop', '--runtime', 'native'],
        status: 'SUCCESS',
        exitCode: 0,
        reason: null,
      },
    ]);
    stop();
  });

  it('does nothing to the runtime on a no', async () => {
    const { runtime, session, stop, audit } = await world();
    const outcome = await session.containerAction('restart', row('shop-web-1'), async () => false);
    expect(outcome).toEqual({ status: 'declined' });
    expect(runtime.calls).toEqual([]);
    expect(audit.map((a) => [a.argv.join(' '), a.status])).toEqual([
      ['kitten restart shop-web-1 -p shop --runtime native', 'NOT_CONFIRMED'],
    ]);
    expect(stateOf(session, 'shop-web-1')).toBe('running');
    stop();
  });

  it('reports a runtime failure as one error line', async () => {
    let portTaken = false;
    const { session, stop, audit } = await world((service) =>
      service === 'db' && portTaken ? { failStart: 'port 5432 is already allocated' } : {},
    );
    portTaken = true;
    const outcome = await session.containerAction('start', row('shop-db-1'), async () => true);
    expect(actionStatus('start', 'shop-db-1', outcome)).toEqual({
      tone: 'error',
      text: 'start shop-db-1 failed: port 5432 is already allocated',
    });
    expect(audit.map((a) => [a.status, a.reason])).toEqual([['FAILURE', 'port 5432 is already allocated']]);
    stop();
  });

  it('u then y in the TUI starts the exited container, and the table shows it running', async () => {
    const { runtime, session, stop } = await world();
    const app = render(<App session={session} size={{ columns: 120, rows: 24 }} initialTab="stack" />);
    cleanup = () => {
      app.unmount();
      stop();
    };
    const frame = () => app.lastFrame() ?? '';
    await waitFor(frame, (t) => /shop-db-1\s+exited \(0\)/.test(t), 'the exited container');
    await type(app.stdin, 'u');
    await waitFor(frame, (t) => t.includes('kitten start shop-db-1') && t.includes('y/N'), 'the question');
    expect(runtime.calls).toEqual([]);
    await type(app.stdin, 'y');
    await waitFor(frame, (t) => t.includes('✔ shop-db-1 started'), 'the outcome');
    await waitFor(frame, (t) => /shop-db-1\s+running/.test(t), 'the new state in the table');
    expect(runtime.calls).toEqual(['start shop-db-1']);
  });
});

describe('Stack logs', () => {
  it('follow the runtime’s stream line by line, repeats included, and Esc ends the stream', async () => {
    const { runtime, session, stop } = await world();
    runtime.append('shop-web-1', 'listening on :80');
    const app = render(<App session={session} size={{ columns: 120, rows: 24 }} initialTab="stack" />);
    cleanup = () => {
      app.unmount();
      stop();
    };
    const frame = () => app.lastFrame() ?? '';
    const shown = () =>
      frame()
        .split('\n')
        .filter((l) => /listening|GET \//.test(l))
        .map((l) => l.replace(/^\d\d:\d\d:\d\d /, '').trim());
    await waitFor(frame, (t) => t.includes('shop-web-1'), 'the stack table');
    await type(app.stdin, 'j', 'l');
    await waitFor(frame, (t) => t.includes('listening on :80'), 'the history');
    await until('the follow to be open', () => runtime.openFollows === 1);
    const written: [string, 'stdout' | 'stderr'][] = [
      ['GET / 200', 'stdout'],
      ['GET / 200', 'stdout'],
      ['GET /missing 404', 'stderr'],
    ];
    for (const [i, [text, stream]] of written.entries()) {
      runtime.append('shop-web-1', text, stream);
      await waitFor(frame, () => shown().length === i + 2, `line ${i + 1}`);
    }
    expect(shown()).toEqual(['listening on :80', 'GET / 200', 'GET / 200', '! GET /missing 404']);
    await type(app.stdin, KEY.escape);
    await until('the stream to end', () => runtime.openFollows === 0);
    await waitFor(frame, (t) => !t.includes('Logs shop/shop-web-1'), 'the table again');
  });

  it('end when the TUI goes away', async () => {
    const { runtime, session, stop } = await world();
    const app = render(<App session={session} size={{ columns: 120, rows: 24 }} initialTab="stack" />);
    const frame = () => app.lastFrame() ?? '';
    await waitFor(frame, (t) => t.includes('shop-web-1'), 'the stack table');
    await type(app.stdin, 'l');
    await until('the follow to be open', () => runtime.openFollows === 1);
    app.unmount();
    stop();
    await until('the stream to end', () => runtime.openFollows === 0);
  });
});
