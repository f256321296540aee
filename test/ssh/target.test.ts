import { describe, expect, it } from 'vitest';
import { isKittenError } from '../../src/engine/errors.js';
import { parseKnownHosts, patternsMatch, verifyHostKey } from '../../src/engine/ssh/known-hosts.js';
import { quoteArgv } from '../../src/engine/ssh/shell-quote.js';
import { formatSshTarget, parseSshTarget } from '../../src/engine/ssh/target.js';

describe('parseSshTarget', () => {
  it.each([
    ['deploy@10.0.0.5', { user: 'deploy', host: '10.0.0.5', port: 22 }],
    ['deploy@10.0.0.5:2222', { user: 'deploy', host: '10.0.0.5', port: 2222 }],
    ['ssh://ops@build-01.example.com:2200', { user: 'ops', host: 'build-01.example.com', port: 2200 }],
    ['ops@[::1]:2022', { user: 'ops', host: '::1', port: 2022 }],
    ['ops@fe80::1', { user: 'ops', host: 'fe80::1', port: 22 }],
    ['box', { user: 'me', host: 'box', port: 22 }],
  ])('reads %s', (text, expected) => {
    expect(parseSshTarget(text, 'me')).toEqual(expected);
  });

  it.each([
    '',
    'a@',
    'a@host:0',
    'a@host:99999',
    'a@host:x',
    'bad user@host',
    'a@-host',
    'a@ho st',
    'a@h;rm',
  ])('refuses %j as a usage error', (text) => {
    try {
      parseSshTarget(text, 'me');
      expect.unreachable();
    } catch (error) {
      expect(isKittenError(error) && error.code).toBe('SSH_TARGET_INVALID');
    }
  });

  it('formats back to the short form', () => {
    expect(formatSshTarget({ user: 'a', host: '::1', port: 2022 })).toBe('a@[::1]:2022');
    expect(formatSshTarget({ user: 'a', host: 'h', port: 22 })).toBe('a@h');
  });
});

describe('known_hosts matching', () => {
  const blob = (type: string, fill: number) =>
    Buffer.concat([Buffer.from([0, 0, 0, type.length]), Buffer.from(type), Buffer.alloc(32, fill)]);
  const ed = blob('ssh-ed25519', 1);
  const file = [
    '# comment',
    `web-*.example.com,!web-9.example.com ssh-ed25519 ${ed.toString('base64')}`,
    `[db.example.com]:2222 ssh-ed25519 ${ed.toString('base64')}`,
    `@revoked old.example.com ssh-ed25519 ${ed.toString('base64')}`,
    `@cert-authority *.example.com ssh-ed25519 ${ed.toString('base64')}`,
  ].join('\n');
  const entries = parseKnownHosts(file);

  it.each([
    ['web-1.example.com', 22, ed, 'known'],
    ['web-9.example.com', 22, ed, 'unknown'],
    ['db.example.com', 2222, ed, 'known'],
    ['db.example.com', 22, ed, 'unknown'],
    ['web-1.example.com', 22, blob('ssh-ed25519', 2), 'mismatch'],
    ['web-1.example.com', 22, blob('ssh-rsa', 2), 'unknown'],
    ['old.example.com', 22, ed, 'revoked'],
  ] as const)('%s:%d is %s', (host, port, key, status) => {
    expect(verifyHostKey(entries, host, port, key).status).toBe(status);
  });

  it('matches patterns case-insensitively with ? and *', () => {
    expect(patternsMatch('Host-?', 'host-a')).toBe(true);
    expect(patternsMatch('host-?', 'host-ab')).toBe(false);
  });
});

describe('quoteArgv', () => {
  it.each([
    [['docker', 'ps'], 'docker ps'],
    [['docker', 'logs', '--tail', '50', 'my-app'], 'docker logs --tail 50 my-app'],
    [['echo', 'a b'], "echo 'a b'"],
    [['echo', "it's"], "echo 'it'\\''s'"],
    [['echo', ''], "echo ''"],
    [['echo', '$(id)'], "echo '$(id)'"],
  ])('%j → %s', (argv, line) => {
    expect(quoteArgv(argv)).toBe(line);
  });
});
