import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isKittenError } from '../../src/engine/errors.js';
import { parseDockerHost, resolveDockerEndpoint } from '../../src/engine/runtime/docker/endpoint.js';

const configDir = '/home/ada/.docker';

function files(entries: Record<string, string>) {
  return (path: string) => entries[path] ?? null;
}

function contextMeta(name: string, host: string): [string, string] {
  const id = createHash('sha256').update(name).digest('hex');
  return [
    join(configDir, 'contexts', 'meta', id, 'meta.json'),
    JSON.stringify({ Name: name, Metadata: {}, Endpoints: { docker: { Host: host, SkipTLSVerify: false } } }),
  ];
}

describe('parseDockerHost', () => {
  it.each([
    ['unix:///var/run/docker.sock', { kind: 'unix', socketPath: '/var/run/docker.sock' }],
    ['unix://', { kind: 'unix', socketPath: '/var/run/docker.sock' }],
    ['/run/user/1000/docker.sock', { kind: 'unix', socketPath: '/run/user/1000/docker.sock' }],
    ['tcp://10.0.0.5:2375', { kind: 'tcp', host: '10.0.0.5', port: 2375, tls: false }],
    ['tcp://10.0.0.5:2376', { kind: 'tcp', host: '10.0.0.5', port: 2376, tls: true }],
    ['10.0.0.5:2375', { kind: 'tcp', host: '10.0.0.5', port: 2375 }],
    ['ssh://deploy@build.example.com', { kind: 'ssh', user: 'deploy', host: 'build.example.com', port: 22 }],
    [
      'ssh://root@127.0.0.1:2222',
      { kind: 'ssh', user: 'root', host: '127.0.0.1', port: 2222, url: 'ssh://root@127.0.0.1:2222' },
    ],
    ['ssh://host.example', { kind: 'ssh', user: null, host: 'host.example', port: 22 }],
  ])('reads %s', (text, expected) => {
    expect(parseDockerHost(text, 'DOCKER_HOST')).toMatchObject({ ...expected, source: 'DOCKER_HOST' });
  });

  it.each([['npipe:////./pipe/docker_engine'], ['ssh://'], ['fd://']])(
    'rejects %s with a usage error',
    (text) => {
      try {
        parseDockerHost(text, '--host');
        expect.unreachable();
      } catch (error) {
        expect(isKittenError(error) && error.code).toBe('DOCKER_HOST_INVALID');
        expect(isKittenError(error) && error.kind).toBe('usage');
      }
    },
  );
});

describe('resolveDockerEndpoint', () => {
  it('prefers an explicit host over DOCKER_HOST', () => {
    const endpoint = resolveDockerEndpoint({ DOCKER_HOST: 'tcp://a:2375' }, { host: 'ssh://u@b:2200' });
    expect(endpoint).toMatchObject({ kind: 'ssh', host: 'b', port: 2200, source: '--host' });
  });

  it('takes DOCKER_HOST over the current context', () => {
    const [metaPath, meta] = contextMeta('remote', 'ssh://ops@remote');
    const readText = files({
      [join(configDir, 'config.json')]: '{"currentContext":"remote"}',
      [metaPath]: meta,
    });
    const endpoint = resolveDockerEndpoint({ DOCKER_HOST: 'unix:///tmp/d.sock' }, { configDir, readText });
    expect(endpoint).toMatchObject({ kind: 'unix', socketPath: '/tmp/d.sock', source: 'DOCKER_HOST' });
  });

  it('follows the current context in config.json to its endpoint', () => {
    const [metaPath, meta] = contextMeta('remote', 'ssh://ops@remote:2022');
    const readText = files({
      [join(configDir, 'config.json')]: '{"currentContext":"remote"}',
      [metaPath]: meta,
    });
    const endpoint = resolveDockerEndpoint({}, { configDir, readText });
    expect(endpoint).toMatchObject({
      kind: 'ssh',
      user: 'ops',
      host: 'remote',
      port: 2022,
      source: 'docker context remote',
    });
  });

  it('lets DOCKER_CONTEXT choose the context', () => {
    const [metaPath, meta] = contextMeta('colima', 'unix:///home/ada/.colima/default/docker.sock');
    const readText = files({
      [join(configDir, 'config.json')]: '{"currentContext":"remote"}',
      [metaPath]: meta,
    });
    const endpoint = resolveDockerEndpoint({ DOCKER_CONTEXT: 'colima' }, { configDir, readText });
    expect(endpoint).toMatchObject({ kind: 'unix', socketPath: '/home/ada/.colima/default/docker.sock' });
  });

  it('uses the default socket when there is no context or it is "default"', () => {
    const readText = files({ [join(configDir, 'config.json')]: '{"currentContext":"default"}' });
    expect(resolveDockerEndpoint({}, { configDir, readText })).toMatchObject({
      kind: 'unix',
      socketPath: '/var/run/docker.sock',
      source: 'default socket',
    });
    expect(resolveDockerEndpoint({}, { configDir, readText: files({}) }).url).toBe(
      'unix:///var/run/docker.sock',
    );
  });

  it('says which context has no endpoint', () => {
    const readText = files({ [join(configDir, 'config.json')]: '{"currentContext":"gone"}' });
    expect(() => resolveDockerEndpoint({}, { configDir, readText })).toThrow(
      /docker context "gone" has no endpoint/,
    );
  });
});
