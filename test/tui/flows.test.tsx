import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../../src/tui/app.js';
import type { CommandView, PlanView } from '../../src/tui/session/port.js';
import { FakeSession, issue, podKind, podRows } from './support/fake-session.js';
import { KEY, type, waitFor } from './support/keys.js';

const size = { columns: 140, rows: 34 };
let cleanup: (() => void) | undefined;
afterEach(() => {
  cleanup?.();
  cleanup = undefined;
});

function start(session: FakeSession) {
  const app = render(<App session={session} size={size} initialTab="issues" />);
  cleanup = app.unmount;
  const frame = () => app.lastFrame() ?? '';
  return {
    ...app,
    until: (predicate: (t: string) => boolean, what: string) => waitFor(frame, predicate, what),
  };
}

const restart: CommandView = {
  tool: 'kubectl',
  argv: ['kubectl', 'rollout', 'restart', 'deployment/cart', '-n', 'shop'],
  risk: 'write',
  explanation: 'Restarts the pods of deployment cart one by one.',
  source: 'offline',
};
const deletePod: CommandView = {
  tool: 'kubectl',
  argv: ['kubectl', 'delete', 'pod', '-n', 'shop', 'cart-7kttc'],
  risk: 'destructive',
  explanation: 'Deletes pod cart-7kttc; its Deployment makes a new one.',
  source: 'offline',
};
const logs: CommandView = {
  tool: 'kubectl',
  argv: ['kubectl', 'logs', 'cart-7kttc', '-n', 'shop', '--previous'],
  risk: 'read',
  explanation: 'Shows the output of the crashed container.',
  source: 'offline',
};

const plan: PlanView = {
  issueId: 'id-cart-7kttc',
  mode: 'remediation',
  summary: 'cart crashes on start: DATABASE_URL points at a host that does not resolve.',
  steps: [
    {
      title: 'Read the crashed container’s last output',
      command: logs,
      risk: 'read',
      why: 'Confirms the cause.',
    },
    {
      title: 'Restart the deployment',
      command: restart,
      risk: 'write',
      why: 'Picks up the corrected secret.',
    },
    {
      title: 'Fix the DATABASE_URL value',
      risk: 'write',
      why: 'The secret holds a stale host.',
      edit: 'secret shop/cart-db: DATABASE_URL=postgres://db.shop:5432/cart',
    },
  ],
  verification: [
    {
      title: 'Watch the rollout',
      command: { ...logs, argv: ['kubectl', 'rollout', 'status', 'deployment/cart', '-n', 'shop'] },
      risk: 'read',
      why: 'Ready when all pods are.',
    },
  ],
  rollback: [
    {
      title: 'Undo the rollout',
      command: { ...restart, argv: ['kubectl', 'rollout', 'undo', 'deployment/cart', '-n', 'shop'] },
      risk: 'write',
      why: 'Back to the last revision.',
    },
  ],
  source: 'offline',
  context: 'we rotated the db password',
};

function cartSession() {
  const session = new FakeSession({
    issues: [
      issue({
        id: 'id-cart-7kttc',
        name: 'cart-7kttc',
        errors: ['back-off 5m0s restarting failed container cart'],
      }),
    ],
    kinds: [podKind],
    resources: { Pod: podRows(3) },
  });
  session.planResult = plan;
  return session;
}

describe('plan dialogs', () => {
  it('asks for context, shows a spinner while the plan is made, then the plan with its sections', async () => {
    const session = cartSession();
    let release!: () => void;
    session.planGate = new Promise((resolve) => {
      release = resolve;
    });
    const app = start(session);
    await app.until((t) => t.includes('cart-7kttc'), 'issues');
    await type(app.stdin, 'p');
    let text = await app.until((t) => t.includes('Remediation plan (fix it now)'), 'context dialog');
    expect(text).toContain('back-off 5m0s restarting failed container cart');
    expect(text).toContain('context>');
    await type(app.stdin, 'we rotated the db password', KEY.enter);
    await app.until((t) => t.includes('making the plan (with your context)'), 'spinner');
    await waitFor(
      () => String(session.calls.plan.length),
      (n) => n === '1',
      'the advisor called',
    );
    expect(session.calls.plan).toEqual([
      expect.objectContaining({ mode: 'remediation', context: 'we rotated the db password' }),
    ]);
    release();
    text = await app.until((t) => t.includes('DATABASE_URL points at a host'), 'plan');
    expect(text).toContain('your context: we rotated the db password');
    expect(text).toContain('$ kubectl rollout restart deployment/cart -n shop');
    expect(text).toContain('edit: secret shop/cart-db');
    expect(text).toContain('Verify');
    expect(text).toContain('Roll back');
    expect(text).toContain('source: offline');
  });

  it('r opens the root-cause dialog and Esc cancels without asking the advisor', async () => {
    const session = cartSession();
    const app = start(session);
    await type(app.stdin, 'r');
    await app.until((t) => t.includes('Root-cause analysis (stop it coming back)'), 'rca dialog');
    await type(app.stdin, KEY.escape);
    await app.until((t) => t.includes('SEVERITY'), 'back to issues');
    expect(session.calls.plan).toEqual([]);
  });

  it('runs a read step at once, asks y/N for a write step, and a no runs nothing', async () => {
    const session = cartSession();
    const app = start(session);
    await type(app.stdin, 'p', KEY.enter);
    await app.until((t) => t.includes('Enter run this step'), 'plan ready');
    await type(app.stdin, KEY.enter);
    await app.until((t) => t.includes('ran kubectl logs cart-7kttc'), 'read step output');
    expect(session.calls.run).toEqual([logs]);
    await type(app.stdin, KEY.escape, 'j', KEY.enter);
    await app.until((t) => t.includes('Run this write command? y/N'), 'y/N prompt');
    await type(app.stdin, 'n');
    await app.until((t) => t.includes('Not run: you declined'), 'declined');
    expect(session.calls.run).toEqual([logs]);
    await type(app.stdin, KEY.escape, KEY.enter);
    await app.until((t) => t.includes('Run this write command? y/N'), 'asked again');
    await type(app.stdin, 'y');
    await app.until((t) => t.includes('ran kubectl rollout restart'), 'write step ran');
    expect(session.calls.run).toEqual([logs, restart]);
    expect(session.calls.purposes[1]).toBe('remediation plan for Pod shop/cart-7kttc, step 2');
  });

  it('says a hand-edit step has no command and shows a plan failure in place', async () => {
    const session = cartSession();
    const app = start(session);
    await type(app.stdin, 'p', KEY.enter);
    await app.until((t) => t.includes('Enter run this step'), 'plan ready');
    await type(app.stdin, 'j', 'j');
    await app.until((t) => t.includes('this step is a change by hand'), 'hand edit');
    await type(app.stdin, KEY.escape);
    session.planResult = new Error('the model answered with a plan that failed validation');
    await type(app.stdin, 'p', KEY.enter);
    await app.until(
      (t) => t.includes('✖ the model answered with a plan that failed validation'),
      'failure shown',
    );
  });
});

describe('ask bar', () => {
  function askSession() {
    const session = cartSession();
    session.commands.set('restart cart', restart);
    session.commands.set('delete pod cart-7kttc', deletePod);
    return session;
  }

  it('shows the proposed command with its risk and explanation, and y runs a write', async () => {
    const session = askSession();
    const app = start(session);
    await type(app.stdin, 'a');
    await app.until((t) => t.includes('ask>'), 'ask bar');
    await type(app.stdin, 'restart cart', KEY.enter);
    const text = await app.until(
      (t) => t.includes('[write] kubectl rollout restart deployment/cart -n shop'),
      'proposal',
    );
    expect(text).toContain('Restarts the pods of deployment cart one by one.');
    await type(app.stdin, 'y');
    await app.until(
      (t) => t.includes('✔ done (exit 0)') && t.includes('ran kubectl rollout restart'),
      'output pane',
    );
    expect(session.calls.run).toEqual([restart]);
    expect(session.calls.purposes).toEqual(['restart cart']);
  });

  it('refusing a destructive command leaves nothing run', async () => {
    const session = askSession();
    const app = start(session);
    await type(app.stdin, 'a', 'delete pod cart-7kttc', KEY.enter);
    await app.until((t) => t.includes('[destructive] kubectl delete pod -n shop cart-7kttc'), 'proposal');
    await type(app.stdin, 'y');
    await app.until((t) => t.includes('Type cart-7kttc and Enter to run it'), 'type-the-name prompt');
    await type(app.stdin, 'cart', KEY.enter);
    await app.until(
      (t) => t.includes('typed "cart", not "cart-7kttc": nothing was run'),
      'wrong name refused',
    );
    expect(session.calls.run).toEqual([]);
    await type(app.stdin, KEY.enter, KEY.enter);
    await app.until((t) => t.includes('[destructive]'), 'proposed again');
    await type(app.stdin, 'y');
    await app.until((t) => t.includes('Esc cancels'), 'prompt again');
    await type(app.stdin, KEY.escape);
    await app.until((t) => t.includes('you declined'), 'declined with Esc');
    expect(session.calls.run).toEqual([]);
  });

  it('typing the name runs the destructive command', async () => {
    const session = askSession();
    const app = start(session);
    await type(app.stdin, 'a', 'delete pod cart-7kttc', KEY.enter, 'y');
    await app.until((t) => t.includes('Esc cancels'), 'type-the-name prompt');
    await type(app.stdin, 'cart-7kttc', KEY.enter);
    await app.until((t) => t.includes('ran kubectl delete pod'), 'ran');
    expect(session.calls.run).toEqual([deletePod]);
  });

  it('any key but y drops the proposal, and an untranslatable intent is one line', async () => {
    const session = askSession();
    const app = start(session);
    await type(app.stdin, 'a', 'restart cart', KEY.enter);
    await app.until((t) => t.includes('[write]'), 'proposal');
    await type(app.stdin, 'n');
    await app.until((t) => !t.includes('[write]') && t.includes('ask>'), 'back to the intent');
    expect(session.calls.run).toEqual([]);
    await type(app.stdin, KEY.backspace.repeat(1), 'x', KEY.enter);
    await app.until((t) => t.includes('✖ cannot translate "restart carx"'), 'translation error');
    await type(app.stdin, KEY.enter, KEY.escape);
    await app.until((t) => t.includes('SEVERITY'), 'closed');
  });
});
