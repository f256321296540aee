import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ask, EXIT_CODE_OF_STATUS } from '../../src/engine/intent/ask.js';
import type { GatherOptions } from '../../src/engine/intent/context-source.js';
import { gatherContext } from '../../src/engine/intent/context-source.js';
import { runCommand } from '../../src/engine/intent/run-command.js';
import { componentAvailable, hasCommand, loadTestbed } from '../support/testbed.js';
import { type FakeTools, fakeTools } from './fake-tool.js';

describe('ask: the engine flow with the offline translator', () => {
  let tools: FakeTools;
  let home: string;
  beforeEach(() => {
    tools = fakeTools('ok');
    home = mkdtempSync(join(tmpdir(), 'kitten-ask-'));
  });
  afterEach(() => {
    tools.cleanup();
    rmSync(home, { recursive: true, force: true });
  });
  const audit = () => ({ file: join(home, 'audit.jsonl'), user: 'bob' });

  it('targets Kubernetes when only the cluster answers', async () => {
    const result = await ask(
      { intent: 'what is running', dryRun: true },
      { context: { reachable: { docker: false, kubernetes: true } }, audit: false },
    );
    expect(result.command).toEqual(['kubectl', 'get', 'pods']);
  });

  it('resolves "my app" against the names the runtimes reported', async () => {
    const seen: GatherOptions[] = [];
    const result = await ask(
      { intent: 'restart my app', dryRun: true, namespace: 'shop', target: 'kubernetes' },
      {
        context: async (options) => {
          seen.push(options);
          return { deployments: ['my-app', 'web'] };
        },
        audit: false,
      },
    );
    expect(result.command).toEqual(['kubectl', 'rollout', 'restart', 'deployment/my-app', '-n', 'shop']);
    expect(seen).toEqual([{ targets: ['kubernetes'], namespace: 'shop', ssh: undefined, env: undefined }]);
  });

  it('shows the proposal before it asks, and asks only once', async () => {
    const events: string[] = [];
    const result = await ask(
      { intent: 'stop web' },
      {
        context: {},
        env: tools.env,
        audit: audit(),
        onProposal: ({ command, risk }) => events.push(`proposal ${command.argv.join(' ')} ${risk}`),
        confirm: async (request) => {
          events.push(`confirm ${request.kind}`);
          return true;
        },
      },
    );
    expect(events).toEqual(['proposal docker stop web write', 'confirm yes-no']);
    expect(result).toMatchObject({ overall_status: 'SUCCESS', exit_code: 0 });
    expect(EXIT_CODE_OF_STATUS[result.overall_status]).toBe(0);
  });

  it('audits an UNSUPPORTED request but not a dry run', async () => {
    await ask({ intent: 'make me a sandwich' }, { context: {}, audit: audit() });
    await ask({ intent: 'restart web', dryRun: true }, { context: {}, audit: audit() });
    const lines = readFileSync(join(home, 'audit.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      user: 'bob',
      intent: 'make me a sandwich',
      argv: null,
      status: 'UNSUPPORTED',
    });
  });

  it.each([
    ['PLANNED', 0],
    ['SUCCESS', 0],
    ['FAILURE', 1],
    ['TIMEOUT', 1],
    ['UNSUPPORTED', 1],
    ['LLM_ERROR', 1],
    ['CONFIG_ERROR', 2],
    ['REJECTED', 3],
    ['NOT_CONFIRMED', 3],
  ] as const)('%s exits %d', (status, code) => {
    expect(EXIT_CODE_OF_STATUS[status]).toBe(code);
  });
});

describe('gatherContext asks the runtimes through the same tools', () => {
  it('reads container and object names and marks runtimes reachable', async () => {
    const tools = fakeTools('ok');
    const kubeconfig = join(mkdtempSync(join(tmpdir(), 'kitten-kubeconfig-')), 'config');
    writeFileSync(kubeconfig, 'apiVersion: v1\nkind: Config\n');
    try {
      const context = await gatherContext({
        targets: ['docker', 'kubernetes'],
        namespace: 'shop',
        env: { ...tools.env, KUBECONFIG: kubeconfig },
      });
      expect(context.reachable).toEqual({ docker: true, kubernetes: true });
      // The fake prints "ran: ..." lines; only object-shaped names survive sanitising.
      expect(context.containers).toEqual([]);
      expect(tools.calls()).toContainEqual(['ps', '--format', '{{.Names}}']);
      expect(tools.calls()).toContainEqual([
        'get',
        'deployments,pods,services,nodes',
        '-o',
        'name',
        '--request-timeout=2s',
        '-n',
        'shop',
      ]);
    } finally {
      tools.cleanup();
    }
  });

  it('does not ask kubectl when there is no kubeconfig (it would fall back to localhost:8080)', async () => {
    const tools = fakeTools('ok');
    const context = await gatherContext({
      targets: ['kubernetes'],
      env: { ...tools.env, KUBECONFIG: '', HOME: mkdtempSync(join(tmpdir(), 'kitten-home-')) },
    });
    expect(tools.calls()).toEqual([]);
    expect(context.reachable).toEqual({});
  });

  it('marks a runtime whose tool is missing as unreachable', async () => {
    const context = await gatherContext({ targets: ['docker'], env: { PATH: '/nonexistent' } });
    expect(context.reachable).toEqual({ docker: false });
  });
});

describe.runIf(
  componentAvailable('docker engine', loadTestbed().docker ? null : 'no docker in the test bed file'),
)('ask against the real local docker engine', () => {
  it('runs `what is running` as docker ps and returns its table', async () => {
    const result = await ask({ intent: 'what is running', target: 'docker' }, { audit: false });
    expect(result).toMatchObject({ overall_status: 'SUCCESS', exit_code: 0, command: ['docker', 'ps'] });
    expect(result.stdout).toMatch(/^CONTAINER ID\s+IMAGE/);
  });

  it("reports a container that does not exist as FAILURE with docker's message", async () => {
    const result = await ask(
      { intent: 'inspect kitten-no-such-container-4242', target: 'docker' },
      { audit: false },
    );
    expect(result).toMatchObject({ overall_status: 'FAILURE', exit_code: 1 });
    expect(result.stderr).toMatch(/no such (object|container)/i);
  });
});

describe.runIf(hasCommand('kubectl'))('runCommand with the real kubectl', () => {
  it('runs an allowlisted read verb without a cluster', async () => {
    const outcome = await runCommand({
      tool: 'kubectl',
      argv: ['kubectl', 'version', '--client'],
      risk: 'read',
      explanation: 'client version',
      source: 'offline',
    });
    expect(outcome).toMatchObject({ status: 'SUCCESS', exitCode: 0, risk: 'read' });
    expect(outcome.stdout).toContain('Client Version');
  });
});
