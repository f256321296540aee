import { describe, expect, it } from 'vitest';
import { renderHosts } from '../../src/engine/runtime/native/hosts-file.js';

describe('/etc/hosts for a container', () => {
  it('names itself, then every other container by name, hostname and service, without duplicates', () => {
    const text = renderHosts(
      { ip: '10.0.0.2', names: [] },
      ['web', 'shop-web-1', 'web'],
      [
        { ip: '10.0.0.10', names: ['shop-db-1', 'db', 'db'] },
        { ip: '10.0.0.3', names: ['shop-cache-1', 'redis', 'cache'] },
      ],
    );
    expect(text.split('\n')).toEqual([
      '127.0.0.1\tlocalhost',
      '::1\tlocalhost ip6-localhost ip6-loopback',
      '10.0.0.2\tweb shop-web-1',
      '10.0.0.3\tshop-cache-1 redis cache',
      '10.0.0.10\tshop-db-1 db',
      '',
    ]);
  });

  it('puts its names on 127.0.1.1 when it has no address of its own (host or none network)', () => {
    expect(renderHosts(null, ['solo'], [])).toContain('127.0.1.1\tsolo\n');
  });
});
