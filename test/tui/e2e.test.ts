import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { componentAvailable, hasCommand } from '../support/testbed.js';

/**
 * The built CLI in a real terminal: tmux runs `codex tui` on the broken-shop snapshot, keys go in
 * with send-keys, the screen comes back with capture-pane. Proves the whole path a person takes
 * and that the terminal is handed back (alternate screen left) when they quit.
 */
const available = componentAvailable(
  'tmux',
  hasCommand('tmux') ? null : 'tmux is not installed (apt-get install -y tmux)',
);
const root = process.cwd();
const session = `kitten-e2e-${process.pid}`;
let home: string;

function tmux(...args: string[]): string {
  return execFileSync('tmux', args, { encoding: 'utf8' });
}

function screen(): string {
  return tmux('capture-pane', '-p', '-t', session);
}

function alternateScreenOn(): boolean {
  return tmux('display-message', '-p', '-t', session, '#{alternate_on}').trim() === '1';
}

function keys(...k: string[]): void {
  for (const key of k) tmux('send-keys', '-t', session, key);
}

function typeText(text: string): void {
  tmux('send-keys', '-t', session, '-l', text);
}

async function until(
  what: string,
  predicate: (text: string) => boolean,
  timeoutMs = 30_000,
): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = screen();
    if (predicate(text)) return text;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; screen:\n${text}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** Builds once when dist is missing or older than the sources, so the test runs what ships. */
function ensureBuilt(): void {
  const built = join(root, 'dist', 'commands', 'codex', 'tui.js');
  if (existsSync(built) && statSync(built).mtimeMs >= newestMtime(join(root, 'src'))) return;
  const result = spawnSync('npm', ['run', 'build', '--silent'], { cwd: root, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`npm run build failed:\n${result.stdout}\n${result.stderr}`);
}

describe('kitten tui without a terminal', () => {
  beforeAll(() => ensureBuilt(), 180_000);

  const run = (...args: string[]) =>
    spawnSync(process.execPath, [join(root, 'bin', 'kitten.js'), ...args], {
      cwd: root,
      encoding: 'utf8',
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, NO_COLOR: '1' },
    });

  it('fails with exit 2, one line and a hint pointing at codex issues', () => {
    const result = run('tui', '--snapshot', 'fixtures/clusters/broken-shop.yaml');
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('kitten tui is a full-screen app and needs a terminal');
    expect(result.stderr).toContain('hint: in scripts and pipes use `kitten codex issues`');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('codex tui says the same under its own name', () => {
    const result = spawnSync(process.execPath, [join(root, 'bin', 'codex.js'), 'tui'], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('codex tui is a full-screen app and needs a terminal');
  });

  it('refuses --json with a JSON error and exit 2', () => {
    const result = run('tui', '--json');
    expect(result.status).toBe(2);
    expect(JSON.parse(result.stdout)).toMatchObject({ error: { code: 'TUI_NO_JSON' } });
  });

  it('refuses a snapshot together with a context', () => {
    const result = run('tui', '--snapshot', 'x.yaml', '--context', 'prod');
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('--snapshot cannot be combined with --context or --kubeconfig');
  });
});

describe.runIf(available)('codex tui in tmux', { timeout: 120_000 }, () => {
  beforeAll(() => {
    ensureBuilt();
    home = mkdtempSync(join(tmpdir(), 'kitten-e2e-'));
    // CI unset: Ink draws nothing under CI, and a person running the TUI is never a CI job.
    const command = [
      `cd ${root}`,
      `env -u CI KITTEN_HOME=${home} KITTEN_USER=e2e KUBECONFIG=${home}/none DOCKER_HOST=tcp://127.0.0.1:1 TERM=xterm-256color node bin/codex.js tui --snapshot fixtures/clusters/broken-shop.yaml`,
      'echo KITTEN-EXIT=$?',
      'sleep 600',
    ].join('; ');
    tmux('new-session', '-d', '-s', session, '-x', '160', '-y', '45', command);
  }, 180_000);

  afterAll(() => {
    spawnSync('tmux', ['kill-session', '-t', session]);
    if (home) rmSync(home, { recursive: true, force: true });
  });

  it('starts on the issues table in the alternate screen', async () => {
    const text = await until(
      'issues table',
      (t) => t.includes('SEVERITY') && /\d+ critical/.test(t) && !t.includes('0 critical'),
      // Start-up is Node, oclif and the snapshot: allow for a loaded CI machine.
      90_000,
    );
    expect(alternateScreenOn()).toBe(true);
    expect(text).toContain('snapshot fixtures/clusters/broken-shop.yaml');
    expect(text).toContain('user e2e');
    expect(text).toContain('llm offline');
    expect(text).toMatch(/1:Issues\(\d+\)\s+2:Stack\(\d+\)\s+3:Pods\(\d+\)/);
    expect(text).toContain('CrashLoopBackOff');
  });

  it('switches tabs with digits, arrows and : command mode', async () => {
    keys('3');
    let text = await until(
      'pods tab',
      (t) => t.includes('RESTARTS') && t.includes('READY') && t.includes('STATUS'),
    );
    expect(text).toContain('cart-f073d8c476-7kttc');
    keys('Right');
    text = await until('deployments tab', (t) => t.includes('UP-TO-DATE') && t.includes('AVAILABLE'));
    keys(':');
    typeText('svc');
    keys('Enter');
    text = await until('services tab', (t) => t.includes('CLUSTER-IP') && t.includes('PORT(S)'));
  });

  it('filters the pods table live', async () => {
    keys(':');
    typeText('pods');
    keys('Enter');
    await until('pods tab', (t) => t.includes('RESTARTS'));
    keys('/');
    typeText('cart');
    const text = await until(
      'filtered to cart pods',
      (t) => t.includes('/cart') && t.includes('cart-f073d8c476-7kttc') && !t.includes('checkout-'),
    );
    expect(text).toMatch(/\(\d+ of \d+; Esc clears\)|\/cart/);
    keys('Enter', 'Escape');
    await until('filter cleared', (t) => t.includes('checkout-'));
  });

  it('opens a remediation plan for an issue with added context', async () => {
    keys('1', '/');
    typeText('crashloop cart');
    keys('Enter');
    await until('the cart crash-loop issue selected', (t) => t.includes('shop/cart-f073d8c476'));
    keys('p');
    await until(
      'context dialog',
      (t) => t.includes('Remediation plan (fix it now)') && t.includes('context>'),
    );
    typeText('deployed cart 2.4.1 an hour ago');
    keys('Enter');
    const text = await until(
      'the plan',
      (t) => t.includes('your context: deployed cart 2.4.1 an hour ago') && t.includes('Steps'),
    );
    expect(text).toMatch(/\$ kubectl /);
    expect(text).toContain('source: offline');
    keys('Escape');
    await until('back on issues', (t) => t.includes('SEVERITY'));
  });

  it('refuses a destructive command from the ask bar and runs nothing', async () => {
    keys('a');
    await until('ask bar', (t) => t.includes('ask>'));
    typeText('delete pod cart-f073d8c476-7kttc in namespace shop');
    keys('Enter');
    await until('proposal', (t) =>
      t.includes('[destructive] kubectl delete pod cart-f073d8c476-7kttc -n shop'),
    );
    keys('y');
    await until('type-the-name prompt', (t) => t.includes('Type cart-f073d8c476-7kttc and Enter to run it'));
    keys('Escape');
    await until('declined', (t) => t.includes('Not run: you declined. Nothing was changed.'));
    keys('Escape');
    await until('back on issues', (t) => t.includes('SEVERITY'));
  });

  it('quits with q and gives the terminal back', async () => {
    keys('q');
    const text = await until('the shell again', (t) => t.includes('KITTEN-EXIT=0'));
    expect(alternateScreenOn()).toBe(false);
    expect(text).not.toContain('SEVERITY');
  });
});
