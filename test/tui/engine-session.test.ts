import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeSnapshot } from '../../src/engine/cluster/analysis.js';
import { loadSnapshot } from '../../src/engine/cluster/snapshot-file.js';
import { ClusterSession } from '../../src/tui/session/cluster-session.js';
import { openEngineSession } from '../../src/tui/session/engine-session.js';
import type { CommandView } from '../../src/tui/session/port.js';
import { sessionDeps } from './support/session-deps.js';

/**
 * The TUI's session over the real engine: the broken-shop snapshot, the registry's columns, the
 * analyzers, the advisor, the offline translator and the executor's policy and confirmation.
 */
const fixture = 'fixtures/clusters/broken-shop.yaml';
let home: string;
const saved = { ...process.env };

beforeAll(() => {
  home = mkdtempSync(join(tmpdir(), 'kitten-tui-'));
  process.env.KITTEN_HOME = home;
  process.env.KITTEN_USER = 'dana';
  process.env.KUBECONFIG = join(home, 'no-kubeconfig');
  process.env.KITTEN_AUDIT_FILE = join(home, 'audit.log');
  delete process.env.KITTEN_LLM_BASE_URL;
  delete process.env.KITTEN_LLM_API_KEY;
  delete process.env.OPENAI_API_KEY;
});
afterAll(() => {
  process.env = saved;
  rmSync(home, { recursive: true, force: true });
});

async function open(extra: { namespace?: string } = {}) {
  // No runtime in this suite: the Stack tab is exercised by the end-to-end test.
  const opened = await openEngineSession(
    { snapshot: fixture, ...extra },
    { ...process.env, DOCKER_HOST: 'tcp://127.0.0.1:1' },
  );
  const stop = opened.session.start();
  await opened.session.ready();
  return {
    session: opened.session,
    stop: async () => {
      stop();
      await opened.close();
    },
  };
}

describe('engine session over broken-shop.yaml', () => {
  it('shows every issue the analyzers find, and one tab per kind with kubectl columns', async () => {
    const { session, stop } = await open();
    const state = session.state();
    const expected = analyzeSnapshot(await loadSnapshot(fixture));
    expect(state.issues.map((i) => i.id).sort()).toEqual(expected.map((i) => i.id).sort());
    expect(state.header).toMatchObject({
      target: { type: 'snapshot', name: fixture },
      user: 'dana',
      llm: 'offline',
    });
    const pods = state.kinds.find((k) => k.kind === 'Pod');
    expect(pods?.columns.map((c) => c.header)).toEqual([
      'NAMESPACE',
      'NAME',
      'READY',
      'STATUS',
      'RESTARTS',
      'AGE',
      'IP',
      'NODE',
    ]);
    expect(pods?.loggable).toBe(true);
    const crashing = state.resources.Pod?.find((r) => r.cells.includes('CrashLoopBackOff'));
    expect(crashing?.tone).toBe('critical');
    expect(state.kinds.map((k) => k.title)).toEqual(
      expect.arrayContaining(['Pods', 'Deployments', 'Services', 'Nodes', 'Events']),
    );
    await stop();
  });

  it('narrows to one namespace with :ns and describes an object as YAML', async () => {
    const { session, stop } = await open();
    await session.setNamespace('payments');
    const pods = session.state().resources.Pod ?? [];
    expect(pods.length).toBeGreaterThan(0);
    expect(pods.every((r) => r.namespace === 'payments')).toBe(true);
    expect(session.state().header.namespace).toBe('payments');
    const yaml = await session.describe('Pod', pods[0]!);
    expect(yaml).toContain('kind: Pod');
    expect(yaml).toContain(`name: ${pods[0]!.name}`);
    await stop();
  });

  it('says a snapshot has no logs and no contexts, as errors the status line can show', async () => {
    const { session, stop } = await open();
    const row = session.state().resources.Pod![0]!;
    const lines = session.logs({ kind: 'Pod', row, follow: false, signal: new AbortController().signal });
    await expect(lines[Symbol.asyncIterator]().next()).rejects.toThrow(/holds no logs/);
    await expect(session.setContext('prod')).rejects.toThrow(/a snapshot has no contexts/);
    await stop();
  });

  it('makes an offline remediation plan with the person’s context and runnable kubectl steps', async () => {
    const { session, stop } = await open();
    const issue = session
      .state()
      .issues.find((i) => i.kind === 'Pod' && i.errors[0]?.includes('CrashLoopBackOff'));
    expect(issue).toBeDefined();
    const plan = await session.plan(
      issue!,
      'remediation',
      'deployed 2.4.1 an hour ago',
      new AbortController().signal,
    );
    expect(plan).toMatchObject({
      issueId: issue!.id,
      mode: 'remediation',
      source: 'offline',
      context: 'deployed 2.4.1 an hour ago',
    });
    const commands = [...plan.steps, ...plan.verification, ...plan.rollback].flatMap((s) =>
      s.command ? [s.command] : [],
    );
    expect(commands.length).toBeGreaterThan(0);
    for (const c of commands) expect(c.argv[0]).toBe('kubectl');
    const rca = await session.plan(issue!, 'rca', '', new AbortController().signal);
    expect(rca.mode).toBe('rca');
    await stop();
  });

  it('translates an intent against the names in the cache', async () => {
    const { session, stop } = await open();
    const command = await session.translate(
      'restart deployment cart in namespace shop',
      new AbortController().signal,
    );
    expect(command).toMatchObject({ tool: 'kubectl', risk: 'write', source: 'offline' });
    expect(command.argv.slice(0, 3)).toEqual(['kubectl', 'rollout', 'restart']);
    await expect(session.translate('make it better somehow', new AbortController().signal)).rejects.toThrow();
    await stop();
  });

  it('runs nothing when a destructive command is not confirmed with its name, or the policy refuses', async () => {
    const { session, stop } = await open();
    const destroy: CommandView = {
      tool: 'kubectl',
      argv: ['kubectl', 'delete', 'deployment', 'cart', '-n', 'shop'],
      risk: 'destructive',
      explanation: 'Deletes the deployment.',
      source: 'offline',
    };
    const asked: (string | null)[] = [];
    const wrong = await session.run(
      destroy,
      async (request) => {
        asked.push(request.typeToConfirm);
        return 'car';
      },
      'delete cart',
    );
    expect(asked).toEqual(['cart']);
    expect(wrong).toEqual({ status: 'declined', reason: 'typed "car", not "cart": nothing was run' });
    const backedOut = await session.run(destroy, async () => false, 'delete cart');
    expect(backedOut.status).toBe('declined');
    const shell: CommandView = { ...destroy, argv: ['kubectl', 'get', 'pods;reboot'], risk: 'read' };
    const refused = await session.run(shell, async () => true, 'sneaky');
    expect(refused.status).toBe('refused');
    await stop();
  });
});

describe('access policy', () => {
  it('shows only granted namespaces and refuses :ns for others', async () => {
    mkdirSync(join(home, 'access'), { recursive: true });
    writeFileSync(
      join(home, 'access', 'policy.json'),
      JSON.stringify({
        version: 1,
        admins: ['root-admin'],
        groups: {},
        grants: [{ subject: 'dana', namespace: 'payments', write: false }],
      }),
    );
    try {
      const { session, stop } = await open();
      const state = session.state();
      expect(state.issues.length).toBeGreaterThan(0);
      expect(state.issues.every((i) => i.namespace === 'payments')).toBe(true);
      for (const rows of Object.values(state.resources))
        for (const row of rows) expect(row.namespace).toBe('payments');
      expect(state.kinds.map((k) => k.kind)).not.toContain('Node');
      await expect(session.setNamespace('shop')).rejects.toThrow(/not granted to dana/);
      await stop();
    } finally {
      rmSync(join(home, 'access'), { recursive: true, force: true });
    }
  });
});

describe('live updates', () => {
  it('applies watch events from the cache on a timer and keeps rows keyed by namespace/name', async () => {
    const snapshot = await loadSnapshot(fixture);
    let push: ((event: { type: 'ADDED' | 'MODIFIED' | 'DELETED'; object: never }) => void) | undefined;
    const session = new ClusterSession(
      sessionDeps({
        target: { type: 'context', name: 'test' },
        source: {
          description: 'test',
          mode: 'live',
          list: async (kind) => snapshot.ofKind(kind),
          snapshot: async () => snapshot,
          watch: async (kind, _options, onEvent) => {
            if (kind === 'Pod') push = onEvent as typeof push;
            return { stop: () => {} };
          },
        },
        analyze: (s) => analyzeSnapshot(s),
        runtime: 'native',
        timing: { redrawMs: 10, rowsMs: 20, analyzeMs: 20 },
      }),
    );
    const stop = session.start();
    await session.ready();
    const before = session.state().resources.Pod!.length;
    await new Promise((r) => setTimeout(r, 50));
    expect(push).toBeDefined();
    const template = snapshot.ofKind('Pod')[0]!;
    push!({
      type: 'ADDED',
      object: {
        ...template,
        metadata: { ...template.metadata, name: 'zz-new-pod', namespace: 'shop' },
      } as never,
    });
    const deadline = Date.now() + 2000;
    while (Date.now() < deadline && session.state().resources.Pod!.length === before)
      await new Promise((r) => setTimeout(r, 10));
    const rows = session.state().resources.Pod!;
    expect(rows.length).toBe(before + 1);
    expect(rows.some((r) => r.key === 'shop/zz-new-pod')).toBe(true);
    push!({
      type: 'DELETED',
      object: {
        ...template,
        metadata: { ...template.metadata, name: 'zz-new-pod', namespace: 'shop' },
      } as never,
    });
    while (Date.now() < deadline + 2000 && session.state().resources.Pod!.length !== before)
      await new Promise((r) => setTimeout(r, 10));
    expect(session.state().resources.Pod!.length).toBe(before);
    stop();
  });
});
