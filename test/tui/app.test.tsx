import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../../src/tui/app.js';
import { container, FakeSession, issue, podKind, podRows } from './support/fake-session.js';
import { KEY, type, waitFor } from './support/keys.js';

const size = { columns: 140, rows: 30 };
let cleanup: (() => void) | undefined;
afterEach(() => {
  cleanup?.();
  cleanup = undefined;
});

function start(session: FakeSession, initialTab?: string) {
  const app = render(<App session={session} size={size} initialTab={initialTab} />);
  cleanup = app.unmount;
  const frame = () => app.lastFrame() ?? '';
  return {
    ...app,
    frame,
    until: (predicate: (t: string) => boolean, what: string) => waitFor(frame, predicate, what),
  };
}

function shopSession(pods = 3) {
  return new FakeSession({
    issues: [
      issue({ name: 'checkout-7d9f', errors: ['back-off 5m0s restarting failed container checkout'] }),
      issue({
        name: 'payments',
        kind: 'Deployment',
        analyzer: 'Deployment',
        severity: 'warning',
        errors: ['0/2 replicas available'],
      }),
    ],
    kinds: [podKind],
    resources: { Pod: podRows(pods) },
    stack: [container('shop-web-1'), container('shop-db-1')],
  });
}

describe('app shell', () => {
  it('shows header facts, issue counts, the tab strip and the footer keys', async () => {
    const app = start(shopSession());
    const text = await app.until((t) => t.includes('Issues'), 'first frame');
    expect(text).toContain('snapshot fixtures/clusters/broken-shop.yaml');
    expect(text).toContain('ns all');
    expect(text).toContain('user dev');
    expect(text).toContain('runtime native');
    expect(text).toContain('llm offline');
    expect(text).toContain('1 critical');
    expect(text).toContain('1 warning');
    expect(text).toMatch(/1:Issues\(2\).*2:Stack\(2\).*3:Pods\(3\)/);
    expect(text).toContain('p plan');
    expect(text).toContain('? help');
  });

  it('switches tabs with arrows, digits and : command mode', async () => {
    const app = start(shopSession());
    await app.until((t) => t.includes('SEVERITY'), 'issues table');
    await type(app.stdin, KEY.right);
    await app.until((t) => t.includes('shop-web-1') && t.includes('PROJECT'), 'stack tab');
    await type(app.stdin, '3');
    await app.until((t) => t.includes('pod-00000') && t.includes('READY'), 'pods tab');
    await type(app.stdin, KEY.left, KEY.left);
    await app.until((t) => t.includes('SEVERITY'), 'back on issues');
    await type(app.stdin, ':', 'p', 'o', 'd', 's', KEY.enter);
    await app.until((t) => t.includes('pod-00002'), ':pods');
  });

  it('opens and closes the help overlay with ?', async () => {
    const app = start(shopSession());
    await app.until((t) => t.includes('SEVERITY'), 'issues');
    await type(app.stdin, '?');
    const help = await app.until((t) => t.includes('Keys'), 'help');
    expect(help).toContain('remediation plan for the selected issue');
    expect(help).toContain(':pods  :deploy  :ns shop');
    expect(help).toMatch(/c \(logs\)\s+follow the pod's next container/);
    await type(app.stdin, KEY.escape);
    await app.until((t) => t.includes('SEVERITY') && !t.includes('Keys'), 'help closed');
  });

  it('scrolls the help in a short terminal instead of overflowing it', async () => {
    const app = render(<App session={shopSession()} size={{ columns: 100, rows: 14 }} />);
    cleanup = app.unmount;
    await type(app.stdin, '?');
    const text = await waitFor(app.lastFrame, (t) => t.includes('Keys'), 'help');
    expect(text).toContain('↑/↓ scroll · Esc or ? to close');
    expect(text.split('\n').length).toBeLessThanOrEqual(13);
    await type(app.stdin, 'G');
    await waitFor(app.lastFrame, (t) => t.includes('q  Ctrl-C'), 'scrolled to the end of the help');
  });

  it('opens on Stack and says why Issues is empty when there is no cluster', async () => {
    const session = new FakeSession({
      stack: [container('shop-web-1')],
      problem: 'no cluster: no kubeconfig found',
    });
    const app = start(session, 'Pod');
    let text = await app.until((t) => t.includes('shop-web-1'), 'stack tab');
    expect(text).toContain('no cluster: no kubeconfig found');
    await type(app.stdin, '1');
    text = await app.until((t) => t.includes('No cluster to analyse'), 'issues explains');
  });

  it('reports a bad : command in the status line instead of failing', async () => {
    const app = start(shopSession());
    await type(app.stdin, ':', 'x', 'y', 'z', KEY.enter);
    await app.until((t) => t.includes('unknown command :xyz'), 'status line error');
    await type(app.stdin, ':', 'c', 't', 'x', ' ', 'p', 'r', 'o', 'd', KEY.enter);
    await app.until((t) => t.includes('a snapshot has no contexts'), 'context error in the status line');
  });

  it(':ns asks the session to change namespace', async () => {
    const session = shopSession();
    const app = start(session);
    await type(app.stdin, ':', 'n', 's', ' ', 's', 'h', 'o', 'p', KEY.enter);
    await app.until((t) => t.includes('ns shop'), 'header namespace');
    expect(session.calls.namespace).toEqual(['shop']);
  });
});

describe('virtualised table', () => {
  it('renders only the visible rows of 10,000 and scrolls with j, G, g and PgDn', async () => {
    const app = start(shopSession(10_000), 'Pod');
    let text = await app.until((t) => t.includes('pod-00000'), 'first rows');
    const bodyRows = size.rows - 1 - 4 - 1;
    expect(text).toContain(`pod-${String(bodyRows - 1).padStart(5, '0')}`);
    expect(text).not.toContain(`pod-${String(bodyRows).padStart(5, '0')}`);
    await type(app.stdin, 'G');
    text = await app.until((t) => t.includes('pod-09999'), 'last row');
    expect(text).toContain('10000/10000');
    expect(text).not.toContain('pod-00000');
    await type(app.stdin, 'g', KEY.pageDown);
    text = await app.until((t) => t.includes(`${bodyRows}/10000`), 'one page down');
    await type(app.stdin, 'j', 'k', 'j');
    await app.until((t) => t.includes(`${bodyRows + 1}/10000`), 'j moved one row');
  });

  it('keeps the selected row when rows are added above it', async () => {
    const session = shopSession(50);
    const app = start(session, 'Pod');
    await type(app.stdin, 'j', 'j', 'j');
    await app.until((t) => t.includes('4/50'), 'row 4 selected');
    const rows = podRows(50);
    const extra = podRows(3, 'aaa');
    session.store.update({ resources: { Pod: [...extra, ...rows] } });
    await app.until((t) => t.includes('7/53'), 'selection followed pod-00003 down to 7');
  });

  it('filters live with / and clears with Esc', async () => {
    const app = start(shopSession(200), 'Pod');
    await type(app.stdin, '/', '0', '1', '9', '9');
    let text = await app.until((t) => t.includes('/0199'), 'filter prompt');
    expect(text).toContain('pod-00199');
    expect(text).not.toContain('pod-00000');
    await type(app.stdin, KEY.enter);
    text = await app.until((t) => t.includes('(1 of 200; Esc clears)'), 'filter kept');
    await type(app.stdin, KEY.escape);
    // Clearing the filter is a new filter too: the cursor goes back to the top.
    await app.until(
      (t) => t.includes('Pods: 200 rows · 1/200') && !t.includes('Esc clears'),
      'filter cleared',
    );
  });

  it('says so when nothing matches the filter', async () => {
    const app = start(shopSession(5), 'Pod');
    await type(app.stdin, '/', 'z', 'z', 'z');
    await app.until((t) => t.includes('Nothing matches /zzz'), 'empty filter result');
  });
});

describe('details and logs', () => {
  it('shows the selected object as YAML and scrolls it', async () => {
    const session = shopSession();
    const app = start(session, 'Pod');
    await type(app.stdin, 'j', KEY.enter);
    let text = await app.until((t) => t.includes('kind: Pod'), 'details');
    expect(text).toContain('name: pod-00001');
    expect(session.calls.describe).toEqual(['Pod/shop/pod-00001']);
    await type(app.stdin, 'G');
    text = await app.until((t) => t.includes('line79: 79'), 'scrolled to the end');
    expect(text).not.toContain('kind: Pod');
    await type(app.stdin, KEY.escape);
    await app.until((t) => t.includes('pod-00002'), 'back to the table');
  });

  it('shows an issue as YAML from the issues tab', async () => {
    const app = start(shopSession());
    await type(app.stdin, KEY.enter);
    const text = await app.until((t) => t.includes('analyzer: Pod'), 'issue yaml');
    expect(text).toContain('name: checkout-7d9f');
  });

  it('shows logs with wrap and follow toggles', async () => {
    const session = shopSession();
    session.logLines = ['started', 'x'.repeat(300), 'ready on :8080'];
    const app = start(session, 'Pod');
    await type(app.stdin, 'l');
    let text = await app.until((t) => t.includes('ready on :8080'), 'log lines');
    expect(text).toContain('follow · no wrap');
    await type(app.stdin, 'w');
    text = await app.until((t) => t.includes('· wrap'), 'wrap on');
    await type(app.stdin, 'f');
    await app.until((t) => t.includes('no follow'), 'follow off');
  });

  it('refuses logs on a kind that has none, in the status line', async () => {
    const app = start(shopSession());
    await type(app.stdin, 'l');
    await app.until((t) => t.includes('Issues have no logs'), 'status line');
  });
});
