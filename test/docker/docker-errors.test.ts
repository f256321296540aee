import { describe, expect, it } from 'vitest';
import { translateDockerError } from '../../src/engine/runtime/docker/docker-errors.js';
import type { DockerEndpoint } from '../../src/engine/runtime/docker/endpoint.js';

const socket: DockerEndpoint = {
  kind: 'unix',
  socketPath: '/var/run/docker.sock',
  url: 'unix:///var/run/docker.sock',
  source: 'default socket',
};
const remote: DockerEndpoint = {
  kind: 'ssh',
  user: 'ops',
  host: 'build',
  port: 22,
  url: 'ssh://ops@build',
  source: 'DOCKER_HOST',
};

/** What dockerode throws for an engine reply: the HTTP status and the engine's JSON body. */
function engineReply(statusCode: number, message: string) {
  return Object.assign(new Error(`(HTTP code ${statusCode}) server error - ${message}`), {
    statusCode,
    json: { message },
  });
}

function socketError(code: string) {
  return Object.assign(new Error(`connect ${code} /var/run/docker.sock`), { code });
}

describe('translateDockerError', () => {
  it.each([
    [
      'port already allocated',
      engineReply(
        500,
        'driver failed programming external connectivity on endpoint shop-web-1 (abc): Bind for 0.0.0.0:8080 failed: port is already allocated',
      ),
      { action: 'start shop-web-1' },
      'PORT_ALLOCATED',
      'start shop-web-1: host port 8080 is already in use',
    ],
    [
      'subnet clash',
      engineReply(403, 'Pool overlaps with other one on this address space'),
      { action: 'create network shop_default', subnet: '172.17.0.0/16' },
      'NETWORK_SUBNET_CLASH',
      'create network shop_default: subnet 172.17.0.0/16 overlaps a network that already exists',
    ],
    [
      'image not found on create',
      engineReply(404, 'No such image: nope:latest'),
      { action: 'create container shop-web-1', image: 'nope:latest' },
      'IMAGE_NOT_FOUND',
      'image nope:latest not found',
    ],
    [
      'manifest unknown in a registry',
      engineReply(
        404,
        'manifest for 127.0.0.1:5000/kitten-test/nope:latest not found: manifest unknown: manifest unknown',
      ),
      {
        action: 'pull 127.0.0.1:5000/kitten-test/nope:latest',
        image: '127.0.0.1:5000/kitten-test/nope:latest',
      },
      'IMAGE_NOT_FOUND',
      'image 127.0.0.1:5000/kitten-test/nope:latest not found',
    ],
    [
      'any other engine refusal',
      engineReply(500, 'invalid CapAdd: unknown capability'),
      { action: 'create container shop-web-1' },
      'DOCKER_ERROR',
      'create container shop-web-1: invalid CapAdd: unknown capability',
    ],
  ])('%s', (_name, error, context, code, message) => {
    const translated = translateDockerError(error, { endpoint: socket, ...context });
    expect(translated.code).toBe(code);
    expect(translated.message).toBe(message);
    expect(translated.hint).toBeTruthy();
  });

  it.each([
    [
      'ENOENT',
      'DOCKER_UNREACHABLE',
      'no Docker engine at unix:///var/run/docker.sock: the socket does not exist',
    ],
    [
      'ECONNREFUSED',
      'DOCKER_UNREACHABLE',
      'no Docker engine answers at unix:///var/run/docker.sock (ECONNREFUSED)',
    ],
    ['EACCES', 'DOCKER_PERMISSION_DENIED', 'permission denied on unix:///var/run/docker.sock'],
  ])('names the socket on %s', (code, kittenCode, message) => {
    const translated = translateDockerError(socketError(code), {
      endpoint: socket,
      action: 'list containers',
    });
    expect(translated.code).toBe(kittenCode);
    expect(translated.message).toBe(message);
  });

  it('names the host and where it came from for a remote engine', () => {
    const translated = translateDockerError(socketError('ECONNRESET'), { endpoint: remote, action: 'ping' });
    expect(translated.message).toBe(
      'no Docker engine answers at ssh://ops@build (from DOCKER_HOST) (ECONNRESET)',
    );
  });
});
