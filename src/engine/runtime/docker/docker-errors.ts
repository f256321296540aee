import { KittenError, RuntimeError } from '../../errors.js';
import type { DockerEndpoint } from './endpoint.js';

/**
 * Turns what dockerode throws (an HTTP status with the engine's message, or a socket error) into
 * one line a person can act on. The engine's own wording is matched because the API gives no
 * finer code than 404/409/500 for these cases.
 */
interface DockerLikeError {
  statusCode?: number;
  code?: string;
  message?: string;
  json?: { message?: string } | null;
  reason?: string;
}

export function engineMessage(error: unknown): string {
  const e = error as DockerLikeError;
  const text = e?.json?.message ?? e?.message ?? String(error);
  // dockerode prefixes "(HTTP code 500) server error - " to the engine's message.
  return text.replace(/^\(HTTP code \d+\)\s*[a-z ]*-\s*/i, '').trim();
}

export function statusCode(error: unknown): number | undefined {
  return (error as DockerLikeError)?.statusCode;
}

export function isNotFound(error: unknown): boolean {
  return statusCode(error) === 404;
}

/** The socket-level failures: nothing listening, no socket, not allowed to use it. */
export function connectionError(endpoint: DockerEndpoint, error: unknown): KittenError | null {
  if (error instanceof KittenError) return error;
  const code = (error as DockerLikeError)?.code;
  const where = endpoint.url;
  const from = endpoint.source === 'default socket' ? '' : ` (from ${endpoint.source})`;
  if (code === 'EACCES' || code === 'EPERM') {
    return new RuntimeError('DOCKER_PERMISSION_DENIED', `permission denied on ${where}${from}`, {
      hint: 'add your user to the docker group (`sudo usermod -aG docker $USER`, then log in again), or run as root',
    });
  }
  if (code === 'ENOENT') {
    return new RuntimeError(
      'DOCKER_UNREACHABLE',
      `no Docker engine at ${where}${from}: the socket does not exist`,
      {
        hint: 'start the engine (`sudo systemctl start docker`), point DOCKER_HOST or --host at one, or use --runtime native',
      },
    );
  }
  if (
    code === 'ECONNREFUSED' ||
    code === 'ECONNRESET' ||
    code === 'EHOSTUNREACH' ||
    code === 'ENOTFOUND' ||
    code === 'ETIMEDOUT' ||
    code === 'EAI_AGAIN'
  ) {
    return new RuntimeError('DOCKER_UNREACHABLE', `no Docker engine answers at ${where}${from} (${code})`, {
      hint: 'start the engine, check DOCKER_HOST / --host, or use --runtime native',
    });
  }
  return null;
}

export interface DockerErrorContext {
  endpoint: DockerEndpoint;
  /** What was being done, e.g. `create container shop-web-1`. */
  action: string;
  image?: string;
  network?: string;
  subnet?: string | null;
}

export function translateDockerError(error: unknown, context: DockerErrorContext): KittenError {
  const connection = connectionError(context.endpoint, error);
  if (connection) return connection;
  const message = engineMessage(error);
  const status = statusCode(error);
  if (/port is already allocated|address already in use/i.test(message)) {
    const port = /:(\d+)(?: failed)?:/.exec(message)?.[1] ?? /0\.0\.0\.0:(\d+)/.exec(message)?.[1];
    const what = port ? `host port ${port}` : 'a published host port';
    return new RuntimeError('PORT_ALLOCATED', `${context.action}: ${what} is already in use`, {
      hint: 'stop whatever holds the port (`ss -ltnp`), or publish the service on another host port',
      details: { engine: message },
    });
  }
  if (/pool overlaps|overlaps with other one|invalid pool request|conflicts with network/i.test(message)) {
    return new RuntimeError(
      'NETWORK_SUBNET_CLASH',
      `${context.action}: ${context.subnet ? `subnet ${context.subnet}` : 'its subnet'} overlaps a network that already exists`,
      {
        hint: 'pick a free subnet in the stack file, or remove the other network (`docker network ls`)',
        details: { engine: message },
      },
    );
  }
  if (
    context.image &&
    (/no such image|manifest unknown|not found|repository does not exist|pull access denied/i.test(message) ||
      status === 404)
  ) {
    return new RuntimeError('IMAGE_NOT_FOUND', `image ${context.image} not found`, {
      hint: 'check the name and tag, `docker login` for a private registry, or use --pull missing with a local image',
      details: { engine: message },
    });
  }
  return new RuntimeError('DOCKER_ERROR', `${context.action}: ${message}`, {
    hint: 'the Docker engine refused the request; `docker info` and the engine log say more',
    details: { engine: message, ...(status === undefined ? {} : { status }) },
  });
}
