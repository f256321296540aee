import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../../src/tui/app.js';
import { container, FakeSession, issue } from './support/fake-session.js';
import { KEY, type, waitFor } from './support/keys.js';

/**
 * r/s/u on the Stack tab: the selected container's command goes to the session's executor, which
 * asks y/N here; the outcome is one status line, and nothing runs without a yes.
 */
const size = { columns: 140, rows: 30 };
let cleanup: (() => void) | undefined;
afterEach(() => {
  cleanup?.();
  cleanup = undefined;
});

function start(session: FakeSession) {
  const app = render(<App session={session} size={size} initialTab="stack" />);
  cleanup = app.unmount;
  const frame = () => app.lastFrame() ?? '';
  return {
    ...app,
    frame,
    until: (predicate: (t: string) => boolean, what: string) => waitFor(frame, predicate, what),
  };
}

function stackSession() {
  return new FakeSession({
    issues: [issue({ name: 'checkout-7d9f' })],
    stack: [container('shop-web-1'), container('shop-db-1', 'exited')],
  });
}

describe('Stack tab actions', () => {
  it('restarts the selected container after y, and says so in the status line', async () => {
    const session = stackSession();
    const app = start(session);
    await app.until((t) => t.includes('shop-web-1'), 'the stack table');
    expect(app.frame()).toContain('r restart  s stop  u start');
    // Rows sort by name: shop-db-1 first, so move to shop-web-1.
    await type(app.stdin, 'j', 'r');
    const asked = await app.until((t) => t.includes('y/N'), 'the confirmation');
    expect(asked).toContain('docker restart shop-web-1');
    expect(asked).toContain('[write]');
    expect(session.calls.run).toEqual([]);
    await type(app.stdin, 'y');
    await app.until((t) => t.includes('✔ shop-web-1 restarted'), 'the outcome');
    expect(session.calls.run.map((c) => c.argv)).toEqual([['docker', 'restart', 'shop-web-1']]);
    expect(session.calls.confirms.map((c) => c.answer)).toEqual([true]);
    expect(app.frame()).not.toContain('y/N');
  });

  it('runs nothing when the answer is not y', async () => {
    const session = stackSession();
    const app = start(session);
    await app.until((t) => t.includes('shop-db-1'), 'the stack table');
    await type(app.stdin, 's');
    await app.until((t) => t.includes('docker stop shop-db-1'), 'the confirmation');
    await type(app.stdin, 'n');
    await app.until((t) => t.includes('shop-db-1 not stopped: you declined'), 'the decline');
    await type(app.stdin, 'u');
    await app.until((t) => t.includes('docker start shop-db-1'), 'the second confirmation');
    await type(app.stdin, KEY.escape);
    await app.until((t) => t.includes('shop-db-1 not started: you declined'), 'the second decline');
    expect(session.calls.run).toEqual([]);
  });

  it('turns a failed command into one error line, and an engine error too, without leaving the tab', async () => {
    const session = stackSession();
    session.runResult = {
      status: 'ran',
      result: {
        exitCode: 1,
        stdout: '',
        stderr: 'Error response from daemon: No such container: shop-db-1\n',
        reason: 'docker exited with 1',
      },
    };
    const app = start(session);
    await app.until((t) => t.includes('shop-db-1'), 'the stack table');
    await type(app.stdin, 'u');
    await app.until((t) => t.includes('y/N'), 'the confirmation');
    await type(app.stdin, 'y');
    await app.until(
      (t) => t.includes('✖ start shop-db-1 failed: Error response from daemon: No such container: shop-db-1'),
      'the failure',
    );
    session.containerAction = async () => {
      throw new Error('no container runtime is reachable');
    };
    await type(app.stdin, 'r');
    await app.until((t) => t.includes('✖ restart shop-db-1: no container runtime is reachable'), 'the error');
    expect(app.frame()).toMatch(/2:Stack\(2\)/);
    expect(app.frame()).toContain('shop-web-1');
  });

  it('keeps the row being acted on in view above the question', async () => {
    const names = Array.from({ length: 40 }, (_, i) => `shop-w${String(i).padStart(2, '0')}-1`);
    const session = new FakeSession({ stack: names.map((n) => container(n)) });
    const app = start(session);
    await app.until((t) => t.includes('shop-w00-1'), 'the stack table');
    await type(app.stdin, 'G');
    await app.until((t) => t.includes('shop-w39-1'), 'the last row');
    await type(app.stdin, 's');
    const asked = await app.until((t) => t.includes('y/N'), 'the confirmation');
    expect(asked).toContain('docker stop shop-w39-1');
    expect(asked).toMatch(/^shop\s+shop-w39-1\s+running/m);
  });

  it('keeps r for root-cause analysis on the Issues tab, and lists the Stack keys in help', async () => {
    const session = stackSession();
    const app = start(session);
    await app.until((t) => t.includes('shop-web-1'), 'the stack table');
    await type(app.stdin, '?');
    const help = await app.until((t) => t.includes('Stack tab (the selected container)'), 'the help');
    expect(help).toMatch(/r\s+restart it \(asks y\/N first\)/);
    expect(help).toMatch(/s\s+stop it \(asks y\/N first\)/);
    expect(help).toMatch(/u\s+start it \(asks y\/N first\)/);
    await type(app.stdin, KEY.escape, '1', 'r');
    await app.until((t) => t.includes('Root-cause'), 'the rca context dialog');
    expect(session.calls.run).toEqual([]);
  });
});
