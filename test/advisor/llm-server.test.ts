import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { brokenShopIssues, fixturePath, NOW } from '../cluster/fixtures.js';
import { root } from '../support/cli.js';
import { type LlmTestServer, startLlmServer } from '../support/llm-server.js';

/**
 * `codex plan` with a model: the real CLI and the real openai client against a loopback
 * OpenAI-compatible server that replays a scripted answer.
 */
let server: LlmTestServer;
let home: string;
const bin = process.env.KITTEN_CLI_ROOT
  ? relative(join(root, 'bin'), join(process.env.KITTEN_CLI_ROOT, 'bin', 'kitten.js'))
  : 'kitten.js';

beforeAll(async () => {
  server = await startLlmServer();
  home = mkdtempSync(join(tmpdir(), 'kitten-codex-llm-'));
});
afterAll(async () => {
  await server?.close();
  rmSync(home, { recursive: true, force: true });
});

function codex(args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(root, 'bin', bin), 'codex', ...args],
      {
        cwd: root,
        env: {
          ...process.env,
          NO_COLOR: '1',
          KITTEN_HOME: home,
          KITTEN_NOW: NOW.toISOString(),
          KUBECONFIG: join(home, 'none'),
          KITTEN_LLM_BASE_URL: server.baseURL,
          KITTEN_LLM_API_KEY: 'test',
          KITTEN_LLM_MODEL: 'test-model',
          OPENAI_API_KEY: '',
        },
        timeout: 60_000,
      },
      (error, stdout, stderr) =>
        resolve({ status: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}

describe('codex plan with a configured model', () => {
  it('sends masked names, checks the answer against the policy, and says the plan came from the model', async () => {
    const issue = (await brokenShopIssues()).find((i) => i.kind === 'Pod' && i.name.startsWith('cart-'));
    server.script({
      json: {
        summary: 'The container cannot reach its cache.',
        steps: [
          {
            title: 'Read the crash',
            command: ['kubectl', 'get', 'events', '-n', 'payments'],
            risk: 'read',
            why: 'other namespace',
          },
          {
            title: 'Restart',
            command: ['kubectl', 'rollout', 'restart', 'deployment/cart', '-n', 'shop'],
            risk: 'read',
            why: 'fresh pods',
          },
        ],
        verification: [
          {
            title: 'Watch it',
            command: ['kubectl', 'rollout', 'status', 'deployment/cart', '-n', 'shop'],
            risk: 'read',
            why: 'done when ready',
          },
        ],
        rollback: [],
      },
    });
    const r = await codex([
      'plan',
      issue?.id ?? '',
      '--snapshot',
      fixturePath('broken-shop.yaml'),
      '--anonymize',
      '--context',
      'cache moved',
      '--json',
    ]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const { plan } = JSON.parse(r.stdout) as {
      plan: { source: string; steps: { title: string; risk: string }[]; refused: { title: string }[] };
    };
    expect(plan.source).toBe('llm');
    expect(plan.steps).toEqual([expect.objectContaining({ title: 'Restart', risk: 'write' })]);
    expect(plan.refused.map((s) => s.title)).toEqual(['Read the crash']);
    const sent = JSON.stringify(server.requests.at(-1));
    expect(sent).toContain('cache moved');
    expect(sent).not.toContain(issue?.name);
    expect(sent).toContain('masked-');
  });

  it('--offline never calls the model', async () => {
    const before = server.requests.length;
    const issue = (await brokenShopIssues()).find((i) => i.kind === 'Pod' && i.name.startsWith('cart-'));
    const r = await codex([
      'rca',
      issue?.id ?? '',
      '--snapshot',
      fixturePath('broken-shop.yaml'),
      '--offline',
      '--json',
    ]);
    expect(r.status).toBe(0);
    expect((JSON.parse(r.stdout) as { plan: { source: string } }).plan.source).toBe('offline');
    expect(server.requests.length).toBe(before);
  });

  it('a model that answers nonsense fails the command in one line', async () => {
    server.script({ content: 'not json at all' }, { content: 'still not json' }, { content: 'nope' });
    const issue = (await brokenShopIssues()).find((i) => i.kind === 'Service');
    const r = await codex(['plan', issue?.id ?? '', '--snapshot', fixturePath('broken-shop.yaml')]);
    expect(r.status).not.toBe(0);
    expect(r.stderr.trim().split('\n').length).toBeLessThanOrEqual(2);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
