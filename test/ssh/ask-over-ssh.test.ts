import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ask } from '../../src/engine/intent/ask.js';
import { runCommand } from '../../src/engine/intent/run-command.js';
import { type FakeTools, fakeTools } from '../intent/fake-tool.js';
import { componentAvailable } from '../support/testbed.js';
import { type SshServer, sshdProblem, startSshd } from './sshd-fixture.js';

const available = componentAvailable('sshd', sshdProblem());

describe.runIf(available)('kitten ask --ssh against a real sshd on loopback', () => {
  let server: SshServer;
  let tools: FakeTools;
  let home: string;
  let knownHosts: string;

  beforeAll(async () => {
    tools = fakeTools('ok');
    home = mkdtempSync(join(tmpdir(), 'kitten-ask-ssh-'));
    // The remote side finds the recording docker/kubectl first on its PATH.
    server = await startSshd([
      `SetEnv PATH=${tools.dir}:/usr/local/bin:/usr/bin:/bin FAKE_TOOL_LOG=${tools.env.FAKE_TOOL_LOG} FAKE_TOOL_MODE=ok`,
    ]);
    knownHosts = join(home, 'known_hosts');
    writeFileSync(knownHosts, `[${server.host}]:${server.port} ${server.hostKeyLine}\n`);
  });
  afterAll(async () => {
    await server?.stop();
    tools?.cleanup();
    if (home) rmSync(home, { recursive: true, force: true });
  });

  const sshOf = (knownHostsFile: string, insecure = false) => ({
    target: { user: server.user, host: server.host, port: server.port },
    options: {
      identityFile: server.identityFile,
      knownHostsFile,
      insecureAcceptHostKey: insecure,
      env: { HOME: home },
    },
  });
  const deps = () => ({ audit: { file: join(home, 'audit.jsonl') } });

  it('runs the command on the remote host with its argv intact', async () => {
    const result = await ask(
      { intent: 'run "echo it\'s a b" in web', yes: true, ssh: sshOf(knownHosts) },
      deps(),
    );
    expect(result).toMatchObject({
      overall_status: 'SUCCESS',
      exit_code: 0,
      command: ['docker', 'exec', 'web', 'echo', "it's", 'a', 'b'],
    });
    expect(result.stdout).toContain("ran: exec web echo it's a b");
    expect(tools.calls()).toContainEqual(['exec', 'web', 'echo', "it's", 'a', 'b']);
    const audit = readFileSync(join(home, 'audit.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(audit.at(-1)).toMatchObject({
      host: `${server.user}@${server.host}:${server.port}`,
      status: 'SUCCESS',
    });
  });

  it('resolves names from the remote host', async () => {
    // The fake docker answers `ps --format` with its own output lines; "ran:" is not a name, so
    // the point here is that the lookup ran remotely through the same connection.
    const before = tools.calls().length;
    await ask({ intent: 'what is running', target: 'docker', ssh: sshOf(knownHosts) }, deps());
    const calls = tools.calls().slice(before);
    expect(calls).toContainEqual(['ps', '--format', '{{.Names}}']);
    expect(calls).toContainEqual(['ps']);
  });

  it('refuses a host whose key is not in known_hosts, and runs nothing (exit 3)', async () => {
    const empty = join(home, 'empty_known_hosts');
    writeFileSync(empty, '');
    const before = tools.calls().length;
    const result = await ask({ intent: 'restart web', yes: true, ssh: sshOf(empty) }, deps());
    expect(result.overall_status).toBe('REJECTED');
    expect(result.reason).toContain('known_hosts');
    expect(tools.calls().length).toBe(before);
  });

  it('accepts an unknown host with --insecure-accept-host-key', async () => {
    const empty = join(home, 'empty2_known_hosts');
    writeFileSync(empty, '');
    const result = await ask({ intent: 'restart web', yes: true, ssh: sshOf(empty, true) }, deps());
    expect(result.overall_status).toBe('SUCCESS');
  });

  it('runs a kubectl command on the remote host through runCommand, the same API codex plans use', async () => {
    const outcome = await runCommand(
      {
        tool: 'kubectl',
        argv: ['kubectl', 'version', '--client'],
        risk: 'read',
        explanation: 'client version',
        source: 'offline',
      },
      { ssh: { target: sshOf(knownHosts).target, options: { ...sshOf(knownHosts).options } } },
    );
    // The fake kubectl is first on the remote PATH: it reports the argv it was given.
    expect(outcome).toMatchObject({ status: 'SUCCESS', exitCode: 0 });
    expect(outcome.stdout).toContain('ran: version --client');
  });
});
