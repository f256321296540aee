import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Command } from '../../src/engine/intent/command.js';
import { type ConfirmRequest, runCommand, runsUntilStopped } from '../../src/engine/intent/run-command.js';
import { type FakeTools, fakeTools } from './fake-tool.js';

const command = (argv: string[], risk: Command['risk'] = 'read'): Command => ({
  tool: argv[0] as Command['tool'],
  argv,
  risk,
  explanation: 'test',
  source: 'offline',
});

describe('runCommand: policy, confirmation, execution, audit', () => {
  let tools: FakeTools;
  let home: string;
  let audit: string;
  beforeEach(() => {
    tools = fakeTools('ok');
    home = mkdtempSync(join(tmpdir(), 'kitten-home-'));
    audit = join(home, 'audit.jsonl');
  });
  afterEach(() => {
    tools.cleanup();
    rmSync(home, { recursive: true, force: true });
  });
  const auditOpt = () => ({
    intent: 'test intent',
    origin: 'ask',
    file: audit,
    user: 'alice',
    requestId: 'r-1',
  });

  it('runs a read command without asking, with the exact argv and captured output', async () => {
    const chunks: string[] = [];
    const asked: ConfirmRequest[] = [];
    const outcome = await runCommand(command(['docker', 'logs', '--tail', '50', 'my app', "it's"]), {
      env: tools.env,
      onOutput: (_stream, chunk) => chunks.push(chunk),
      confirm: async (r) => {
        asked.push(r);
        return true;
      },
    });
    expect(outcome).toMatchObject({
      status: 'SUCCESS',
      exitCode: 0,
      risk: 'read',
      host: 'local',
      reason: null,
    });
    expect(tools.calls()).toEqual([['logs', '--tail', '50', 'my app', "it's"]]);
    expect(outcome.stdout).toContain('second line');
    expect(chunks.join('')).toBe(outcome.stdout);
    expect(asked).toEqual([]);
  });

  it('does not run a write command without --yes or a prompt (NOT_CONFIRMED)', async () => {
    const outcome = await runCommand(command(['docker', 'restart', 'web']), { env: tools.env });
    expect(outcome).toMatchObject({ status: 'NOT_CONFIRMED', risk: 'write' });
    expect(outcome.reason).toContain('--yes');
    expect(tools.calls()).toEqual([]);
  });

  it('asks y/N for a write command and respects the answer', async () => {
    const questions: ConfirmRequest[] = [];
    const no = await runCommand(command(['docker', 'restart', 'web']), {
      env: tools.env,
      confirm: async (r) => {
        questions.push(r);
        return false;
      },
    });
    expect(no.status).toBe('NOT_CONFIRMED');
    expect(questions[0]).toMatchObject({ kind: 'yes-no', risk: 'write', subject: 'web' });
    const yes = await runCommand(command(['docker', 'restart', 'web']), {
      env: tools.env,
      confirm: async () => true,
    });
    expect(yes.status).toBe('SUCCESS');
    expect(tools.calls()).toEqual([['restart', 'web']]);
  });

  it('runs a write command with --yes and no prompt', async () => {
    const outcome = await runCommand(command(['kubectl', 'scale', 'deployment/api', '--replicas=3']), {
      env: tools.env,
      yes: true,
    });
    expect(outcome.status).toBe('SUCCESS');
    expect(tools.calls()).toEqual([['scale', 'deployment/api', '--replicas=3']]);
  });

  it('needs --yes and --force, or the typed name, for a destructive command', async () => {
    const yesOnly = await runCommand(command(['docker', 'rm', '-f', 'web']), { env: tools.env, yes: true });
    expect(yesOnly.status).toBe('NOT_CONFIRMED');
    const wrongName = await runCommand(command(['docker', 'rm', '-f', 'web']), {
      env: tools.env,
      confirm: async () => 'db',
    });
    expect(wrongName).toMatchObject({ status: 'NOT_CONFIRMED', risk: 'destructive' });
    expect(tools.calls()).toEqual([]);
    const typed = await runCommand(command(['docker', 'rm', '-f', 'web']), {
      env: tools.env,
      confirm: async (r) => (r.kind === 'type-name' ? r.subject : false),
    });
    expect(typed.status).toBe('SUCCESS');
    const forced = await runCommand(command(['kubectl', 'delete', 'pod', 'web-1']), {
      env: tools.env,
      yes: true,
      force: true,
    });
    expect(forced.status).toBe('SUCCESS');
    expect(tools.calls()).toEqual([
      ['rm', '-f', 'web'],
      ['delete', 'pod', 'web-1'],
    ]);
  });

  it('never runs what the policy refuses, whatever the flags', async () => {
    const outcome = await runCommand(command(['docker', 'run', '--privileged', 'alpine']), {
      env: tools.env,
      yes: true,
      force: true,
      confirm: async () => true,
    });
    expect(outcome.status).toBe('REJECTED');
    expect(outcome.reason).toContain('--privileged');
    expect(tools.calls()).toEqual([]);
  });

  it('plans without running or auditing on a dry run', async () => {
    const outcome = await runCommand(command(['docker', 'rm', 'web']), {
      env: tools.env,
      dryRun: true,
      audit: auditOpt(),
    });
    expect(outcome).toMatchObject({ status: 'PLANNED', risk: 'destructive', subject: 'web' });
    expect(tools.calls()).toEqual([]);
    expect(existsSync(audit)).toBe(false);
  });

  it('reports a failing command with its exit code and stderr', async () => {
    const failing = fakeTools('fail');
    try {
      const outcome = await runCommand(command(['docker', 'inspect', 'nope']), { env: failing.env });
      expect(outcome).toMatchObject({ status: 'FAILURE', exitCode: 3 });
      expect(outcome.stderr).toContain('No such container: nope');
    } finally {
      failing.cleanup();
    }
  });

  it('stops a command that runs past its timeout', async () => {
    const hanging = fakeTools('hang');
    try {
      const outcome = await runCommand(command(['docker', 'logs', '-f', 'web']), {
        env: hanging.env,
        timeoutMs: 300,
      });
      expect(outcome.status).toBe('TIMEOUT');
      expect(outcome.reason).toContain('--timeout');
    } finally {
      hanging.cleanup();
    }
  });

  it('lets the caller stop a command that runs until stopped', async () => {
    const hanging = fakeTools('hang');
    try {
      const controller = new AbortController();
      const running = runCommand(command(['docker', 'logs', '-f', 'web']), {
        env: hanging.env,
        signal: controller.signal,
      });
      // Poll until the process has recorded its argv, then cancel it.
      const deadline = Date.now() + 10_000;
      while (hanging.calls().length === 0 && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 20));
      controller.abort();
      const outcome = await running;
      expect(outcome).toMatchObject({ status: 'FAILURE', reason: 'stopped before it finished' });
    } finally {
      hanging.cleanup();
    }
  });

  it('does not start (or ask about) an interactive command without a terminal', async () => {
    const asked: ConfirmRequest[] = [];
    const outcome = await runCommand(command(['docker', 'exec', '-it', 'web', 'sh']), {
      env: tools.env,
      yes: true,
      confirm: async (r) => {
        asked.push(r);
        return true;
      },
    });
    expect(outcome).toMatchObject({ status: 'FAILURE', risk: 'write' });
    expect(outcome.reason).toContain('needs a terminal');
    expect(asked).toEqual([]);
    expect(tools.calls()).toEqual([]);
  });

  it('says so when the tool is not installed', async () => {
    const outcome = await runCommand(command(['docker', 'ps']), { env: { PATH: home } });
    expect(outcome).toMatchObject({ status: 'FAILURE', exitCode: 127 });
    expect(outcome.reason).toContain('not installed');
  });

  it('appends one audit line per run, refused and unconfirmed ones included', async () => {
    await runCommand(command(['docker', 'ps']), { env: tools.env, audit: auditOpt() });
    await runCommand(command(['docker', 'stop', 'web']), { env: tools.env, audit: auditOpt() });
    await runCommand(command(['kubectl', 'proxy']), { env: tools.env, audit: auditOpt() });
    const lines = readFileSync(audit, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatchObject({
      request_id: 'r-1',
      user: 'alice',
      origin: 'ask',
      intent: 'test intent',
      argv: ['docker', 'ps'],
      host: 'local',
      risk: 'read',
      status: 'SUCCESS',
      exit_code: 0,
    });
    expect(typeof lines[0].time).toBe('string');
    expect(lines.map((l) => l.status)).toEqual(['SUCCESS', 'NOT_CONFIRMED', 'REJECTED']);
  });
});

describe('which commands run until stopped (no default timeout)', () => {
  it.each([
    [['docker', 'logs', '-f', 'web'], true],
    [['docker', 'logs', '--tail', '50', 'web'], false],
    [['kubectl', 'logs', 'deployment/api', '-f'], true],
    [['kubectl', '-n', 'shop', 'logs', 'api', '--follow'], true],
    [['kubectl', 'port-forward', 'svc/api', '8080:8080'], true],
    [['kubectl', 'get', 'pods'], false],
    [['docker', 'restart', 'web'], false],
  ])('%j → %s', (argv, expected) => {
    expect(runsUntilStopped(argv)).toBe(expected);
  });
});
