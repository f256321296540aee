import { describe, expect, it } from 'vitest';
import { type AccessGrant, checkArgv, checkCommand } from '../../src/engine/intent/policy.js';

const allowed = (argv: string[], risk: string, subject?: string) => ({ argv, risk, subject });

describe('policy: what may run, and at which risk', () => {
  it.each([
    allowed(['docker', 'ps'], 'read'),
    allowed(['docker', 'ps', '-a'], 'read'),
    allowed(['docker', 'logs', '--tail', '50', '-f', 'my-app'], 'read'),
    allowed(['docker', 'inspect', 'web'], 'read'),
    allowed(['docker', 'stats', '--no-stream', 'web'], 'read'),
    allowed(['docker', 'top', 'web'], 'read'),
    allowed(['docker', 'port', 'web'], 'read'),
    allowed(['docker', 'events', '--since', '10m', '--until', '0s'], 'read'),
    allowed(['docker', 'images'], 'read'),
    allowed(['docker', 'system', 'df'], 'read'),
    allowed(['docker', 'restart', 'my-app'], 'write'),
    allowed(['docker', 'stop', 'web'], 'write'),
    allowed(['docker', 'start', 'web'], 'write'),
    allowed(['docker', 'pause', 'web'], 'write'),
    allowed(['docker', 'pull', 'nginx:1.27'], 'write'),
    allowed(['docker', 'exec', 'web', 'ls', '-la'], 'write'),
    allowed(['docker', 'run', '--rm', '-p', '8080:80', 'nginx'], 'write'),
    allowed(['docker', 'run', '-v', '/srv/data:/data', 'alpine', 'ls'], 'write'),
    allowed(['docker', 'rm', '-f', 'web'], 'destructive', 'web'),
    allowed(['docker', 'kill', 'web'], 'destructive', 'web'),
    allowed(['docker', 'rmi', 'nginx:1.25'], 'destructive', 'nginx:1.25'),
    allowed(['docker', 'system', 'prune', '-f'], 'destructive', 'prune'),
    allowed(['docker', 'container', 'prune'], 'destructive', 'prune'),
    allowed(['kubectl', 'get', 'pods', '-A'], 'read'),
    allowed(['kubectl', 'get', 'secrets', '-n', 'shop'], 'read'),
    allowed(['kubectl', 'describe', 'pod', 'web-1', '-n', 'shop'], 'read'),
    allowed(['kubectl', 'logs', 'deployment/api', '--tail=20', '-f'], 'read'),
    allowed(['kubectl', 'top', 'pod', 'api-1'], 'read'),
    allowed(['kubectl', 'get', 'events', '--sort-by=.lastTimestamp'], 'read'),
    allowed(['kubectl', 'rollout', 'status', 'deployment/api'], 'read'),
    allowed(['kubectl', '-n', 'shop', 'get', 'pods'], 'read'),
    allowed(['kubectl', 'rollout', 'restart', 'deployment/api'], 'write'),
    allowed(['kubectl', 'rollout', 'undo', 'deployment/api'], 'write'),
    allowed(['kubectl', 'scale', 'deployment/api', '--replicas=3'], 'write'),
    allowed(['kubectl', 'set', 'image', 'deployment/api', 'api=nginx:1.27'], 'write'),
    allowed(['kubectl', 'cordon', 'worker-1'], 'write'),
    allowed(['kubectl', 'uncordon', 'worker-1'], 'write'),
    allowed(['kubectl', 'exec', '-it', 'api-1', '--', 'sh'], 'write'),
    allowed(['kubectl', 'port-forward', 'svc/api', '8080:8080'], 'write'),
    allowed(['kubectl', 'port-forward', '--address', 'localhost', 'svc/api', '8080:8080'], 'write'),
    allowed(['kubectl', 'delete', 'pod', 'web-1', '-n', 'shop'], 'destructive', 'web-1'),
    allowed(['kubectl', 'delete', 'deployment/old-api'], 'destructive', 'old-api'),
    allowed(['kubectl', 'drain', 'worker-2', '--ignore-daemonsets'], 'destructive', 'worker-2'),
  ])('allows $argv as $risk', ({ argv, risk, subject }) => {
    const verdict = checkArgv(argv);
    expect(verdict).toMatchObject({ allowed: true, risk });
    if (subject && verdict.allowed) expect(verdict.subject).toBe(subject);
  });

  it.each([
    [['rm', '-rf', '/'], 'POLICY_TOOL'],
    [['sh', '-c', 'docker ps'], 'POLICY_TOOL'],
    [['/usr/bin/docker', 'ps'], 'POLICY_TOOL'],
    [['bash'], 'POLICY_MALFORMED'],
    [['docker'], 'POLICY_MALFORMED'],
    [['docker', 'ps;', 'rm', '-rf', '/'], 'POLICY_SHELL'],
    [['docker', 'logs', 'web', '|', 'grep', 'x'], 'POLICY_SHELL'],
    [['docker', 'exec', 'web', 'sh', '-c', 'id && reboot'], 'POLICY_SHELL'],
    [['docker', 'exec', 'web', 'echo', '`id`'], 'POLICY_SHELL'],
    [['docker', 'exec', 'web', 'echo', '$(id)'], 'POLICY_SHELL'],
    [['docker', 'exec', 'web', 'echo', 'a\nb'], 'POLICY_SHELL'],
    [['docker', 'logs', 'web', '>', '/etc/passwd'], 'POLICY_SHELL'],
    [['docker', 'run', '--privileged', 'alpine'], 'POLICY_FLAG'],
    [['docker', 'run', '--pid=host', 'alpine'], 'POLICY_FLAG'],
    [['docker', 'run', '--pid', 'host', 'alpine'], 'POLICY_FLAG'],
    [['docker', 'run', '--net=host', 'alpine'], 'POLICY_FLAG'],
    [['docker', 'create', '--network', 'host', 'alpine'], 'POLICY_FLAG'],
    [['docker', 'run', '-v', '/:/host', 'alpine'], 'POLICY_FLAG'],
    [['docker', 'run', '-v=/:/host', 'alpine'], 'POLICY_FLAG'],
    [['docker', 'run', '--volume', '/var/run/docker.sock:/var/run/docker.sock', 'alpine'], 'POLICY_FLAG'],
    [['docker', 'run', '--mount', 'type=bind,source=/,target=/host', 'alpine'], 'POLICY_FLAG'],
    [['docker', 'run', '--cap-add', 'SYS_ADMIN', 'alpine'], 'POLICY_FLAG'],
    [['docker', 'run', '--device', '/dev/sda', 'alpine'], 'POLICY_FLAG'],
    [['docker', 'run', '--security-opt', 'seccomp=unconfined', 'alpine'], 'POLICY_FLAG'],
    [['docker', 'exec', '--privileged', 'web', 'sh'], 'POLICY_FLAG'],
    [['docker', '-H', 'tcp://evil:2375', 'ps'], 'POLICY_FLAG'],
    [['docker', 'login', 'registry.example.com'], 'POLICY_VERB'],
    [['docker', 'cp', 'web:/etc/shadow', '.'], 'POLICY_VERB'],
    [['docker', 'build', '.'], 'POLICY_VERB'],
    [['docker', 'system', 'dial-stdio'], 'POLICY_VERB'],
    [['kubectl', 'proxy'], 'POLICY_VERB'],
    [['kubectl', 'config', 'set-credentials', 'admin', '--token=x'], 'POLICY_VERB'],
    [['kubectl', 'config', 'view', '--raw'], 'POLICY_VERB'],
    [['kubectl', 'config', 'use-context', 'prod'], 'POLICY_VERB'],
    [['kubectl', 'auth', 'can-i', '--list'], 'POLICY_VERB'],
    [['kubectl', 'apply', '-f', 'https://evil.example.com/x.yaml'], 'POLICY_VERB'],
    [['kubectl', 'edit', 'deployment/api'], 'POLICY_VERB'],
    [['kubectl', 'patch', 'deployment/api', '-p', '{}'], 'POLICY_VERB'],
    [['kubectl', 'create', 'clusterrolebinding', 'x', '--clusterrole=cluster-admin'], 'POLICY_VERB'],
    [['kubectl', 'run', 'x', '--image=alpine'], 'POLICY_VERB'],
    [['kubectl', 'debug', 'node/worker-1', '-it', '--image=alpine'], 'POLICY_VERB'],
    [['kubectl', 'get', 'pods', '--kubeconfig', '/tmp/stolen'], 'POLICY_FLAG'],
    [['kubectl', 'get', 'pods', '--as=system:admin'], 'POLICY_FLAG'],
    [['kubectl', 'get', 'pods', '--context=prod'], 'POLICY_FLAG'],
    [['kubectl', 'get', 'pods', '--server', 'https://evil:6443'], 'POLICY_FLAG'],
    [['kubectl', 'get', 'secret', 'db-creds', '-o', 'yaml'], 'POLICY_VERB'],
    [['kubectl', 'get', 'secrets', '-o=jsonpath={.data}'], 'POLICY_VERB'],
    [['kubectl', 'delete', 'pods', '--all'], 'POLICY_FLAG'],
    [['kubectl', 'delete', 'pods', '-l', 'app=web'], 'POLICY_FLAG'],
    [['kubectl', 'delete', 'ns', 'shop', '-A'], 'POLICY_FLAG'],
    [['kubectl', 'delete', '-f', 'all.yaml'], 'POLICY_FLAG'],
    [['kubectl', 'rollout', 'frobnicate', 'deployment/api'], 'POLICY_VERB'],
    [['kubectl', 'set', 'env', 'deployment/api', 'X=1'], 'POLICY_VERB'],
    [['kubectl', 'get', 'pods', '-n', 'Shop_Bad'], 'POLICY_MALFORMED'],
    [['kubectl', 'get', 'configmap,secret', '-o', 'yaml'], 'POLICY_VERB'],
    [['kubectl', 'get', 'secret/db-creds', '-ojson'], 'POLICY_VERB'],
    [['kubectl', 'port-forward', '--address', '0.0.0.0', 'svc/api', '8080:80'], 'POLICY_FLAG'],
    [['kubectl', 'port-forward', 'svc/api', '8080:80', '--address=127.0.0.1,10.0.0.5'], 'POLICY_FLAG'],
  ])('refuses %j (%s)', (argv, code) => {
    expect(checkArgv(argv as string[])).toMatchObject({ allowed: false, code });
  });

  it('never trusts the risk or tool a proposer claims', () => {
    expect(checkCommand({ tool: 'docker', argv: ['kubectl', 'delete', 'pod', 'x'] })).toMatchObject({
      allowed: false,
      code: 'POLICY_MALFORMED',
    });
    const verdict = checkCommand({ tool: 'kubectl', argv: ['kubectl', 'delete', 'pod', 'x'] });
    expect(verdict).toMatchObject({ allowed: true, risk: 'destructive' });
  });
});

describe('policy: namespaces outside the access grant', () => {
  // shop: read and write; audit: read only; everything else: nothing.
  const grant: AccessGrant = {
    canSee: (ns) => ns === 'shop' || ns === 'audit',
    canWrite: (ns) => ns === 'shop',
  };
  const context = { access: grant, defaultNamespace: 'shop' };

  it.each([
    [['kubectl', 'get', 'pods', '-n', 'shop'], true],
    [['kubectl', 'get', 'pods'], true],
    [['kubectl', 'get', 'pods', '-n', 'audit'], true],
    [['kubectl', 'get', 'pods', '--namespace=audit'], true],
    [['kubectl', 'get', 'pods', '-n', 'kube-system'], false],
    [['kubectl', 'get', 'pods', '-nkube-system'], false],
    [['kubectl', '--namespace', 'kube-system', 'logs', 'x'], false],
    [['kubectl', 'get', 'pods', '-A'], false],
    [['kubectl', 'rollout', 'restart', 'deployment/api', '-n', 'shop'], true],
    [['kubectl', 'rollout', 'restart', 'deployment/api', '-n', 'audit'], false],
    [['kubectl', 'delete', 'pod', 'x', '-n', 'audit'], false],
    [['kubectl', 'delete', 'pod', 'x'], true],
    [['kubectl', 'drain', 'worker-1', '--ignore-daemonsets'], false],
    [['docker', 'restart', 'web'], true],
  ])('%j allowed: %s', (argv, ok) => {
    const verdict = checkArgv(argv as string[], context);
    expect(verdict.allowed).toBe(ok);
    if (!verdict.allowed && argv[0] === 'kubectl') expect(verdict.code).toBe('POLICY_NAMESPACE');
  });

  it('asks about the kind as well as the namespace', () => {
    const seen: Array<[string, string | undefined]> = [];
    const spy: AccessGrant = {
      canSee: (ns, kind) => {
        seen.push([ns, kind]);
        return true;
      },
      canWrite: () => true,
    };
    checkArgv(['kubectl', 'describe', 'deployment', 'api', '-n', 'shop'], { access: spy });
    checkArgv(['kubectl', 'logs', 'api-1'], { access: spy, defaultNamespace: 'web' });
    expect(seen).toEqual([
      ['shop', 'deployment'],
      ['web', 'pod'],
    ]);
  });
});
