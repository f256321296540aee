import { describe, expect, it } from 'vitest';
import { parseReference, registryBaseUrl } from '../../src/engine/runtime/native/image/reference.js';
import { choosePlatform, parseChallenge } from '../../src/engine/runtime/native/image/registry.js';

const DIGEST = `sha256:${'a'.repeat(64)}`;

describe('image references', () => {
  it.each([
    [
      'busybox',
      {
        registry: 'docker.io',
        repository: 'library/busybox',
        tag: 'latest',
        digest: null,
        familiar: 'busybox:latest',
      },
    ],
    [
      'busybox:1.36',
      { registry: 'docker.io', repository: 'library/busybox', tag: '1.36', familiar: 'busybox:1.36' },
    ],
    [
      'team/app',
      { registry: 'docker.io', repository: 'team/app', tag: 'latest', familiar: 'team/app:latest' },
    ],
    [
      'docker.io/library/busybox:1',
      { registry: 'docker.io', repository: 'library/busybox', familiar: 'busybox:1' },
    ],
    [
      '127.0.0.1:5000/kitten-test/busybox:latest',
      {
        registry: '127.0.0.1:5000',
        repository: 'kitten-test/busybox',
        familiar: '127.0.0.1:5000/kitten-test/busybox:latest',
      },
    ],
    ['localhost/app', { registry: 'localhost', repository: 'app', tag: 'latest' }],
    ['ghcr.io/org/app@' + DIGEST, { registry: 'ghcr.io', repository: 'org/app', tag: null, digest: DIGEST }],
    ['registry:5000/app', { registry: 'registry:5000', repository: 'app', tag: 'latest' }],
  ])('reads %s', (text, expected) => {
    expect(parseReference(text)).toMatchObject(expected);
  });

  it.each(['', 'UPPER/case', 'app:', 'app@sha256:123', 'app:tag with space', 'a//b'])(
    'refuses %j with a hint',
    (text) => {
      expect(() => parseReference(text)).toThrow(/is not an image reference/);
    },
  );

  it.each([
    ['docker.io', 'https://registry-1.docker.io'],
    ['127.0.0.1:5000', 'http://127.0.0.1:5000'],
    ['localhost:5000', 'http://localhost:5000'],
    ['ghcr.io', 'https://ghcr.io'],
  ])('talks to %s at %s', (registry, url) => {
    expect(registryBaseUrl(registry)).toBe(url);
  });

  it('uses plain HTTP for a registry listed as insecure', () => {
    expect(registryBaseUrl('build.lan:5000', ['build.lan:5000'])).toBe('http://build.lan:5000');
  });

  it('reads a bearer challenge', () => {
    expect(
      parseChallenge(
        'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/busybox:pull"',
      ),
    ).toEqual({
      scheme: 'bearer',
      params: {
        realm: 'https://auth.docker.io/token',
        service: 'registry.docker.io',
        scope: 'repository:library/busybox:pull',
      },
    });
    expect(parseChallenge('Basic realm="Registry"').scheme).toBe('basic');
  });

  it('picks linux/amd64 from a manifest list, and nothing when the platform is missing', () => {
    const list = [
      { digest: 'sha256:arm', platform: { os: 'linux', architecture: 'arm64' } },
      { digest: 'sha256:win', platform: { os: 'windows', architecture: 'amd64' } },
      { digest: 'sha256:amd', platform: { os: 'linux', architecture: 'amd64' } },
    ];
    expect(choosePlatform(list, 'amd64')?.digest).toBe('sha256:amd');
    expect(choosePlatform(list, 's390x')).toBeNull();
  });
});
