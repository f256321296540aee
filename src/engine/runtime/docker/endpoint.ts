import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { UsageError } from '../../errors.js';

/**
 * Where the Docker engine is, found the way the docker CLI finds it: an explicit --host, then
 * DOCKER_HOST, then DOCKER_CONTEXT or the current context in ~/.docker/config.json (its endpoint
 * in contexts/meta/<sha256(name)>/meta.json), then /var/run/docker.sock.
 */
export type DockerEndpoint =
  | { kind: 'unix'; socketPath: string; url: string; source: string }
  | { kind: 'tcp'; host: string; port: number; tls: boolean; url: string; source: string }
  | { kind: 'ssh'; user: string | null; host: string; port: number; url: string; source: string };

export const DEFAULT_SOCKET = '/var/run/docker.sock';

/** Reads a file as text, or returns null when it is not there; tests pass their own. */
export type ReadText = (path: string) => string | null;

const readTextFile: ReadText = (path) => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
};

export interface EndpointOptions {
  /** An explicit host (`--host`); wins over everything. */
  host?: string;
  /** Directory holding config.json and contexts/ (default $DOCKER_CONFIG or ~/.docker). */
  configDir?: string;
  readText?: ReadText;
}

function invalidHost(text: string, source: string, why: string): UsageError {
  return new UsageError('DOCKER_HOST_INVALID', `invalid Docker host "${text}" (from ${source}): ${why}`, {
    hint: 'write it as unix:///path/to/docker.sock, tcp://host:2375 or ssh://user@host[:port]',
  });
}

/** Parses one host string (`unix://…`, `tcp://…`, `ssh://…`, or a bare socket path). */
export function parseDockerHost(text: string, source: string, tlsVerify = false): DockerEndpoint {
  const value = text.trim();
  if (value.startsWith('/')) return { kind: 'unix', socketPath: value, url: `unix://${value}`, source };
  if (value.startsWith('unix://')) {
    const socketPath = value.slice('unix://'.length) || DEFAULT_SOCKET;
    return { kind: 'unix', socketPath, url: `unix://${socketPath}`, source };
  }
  let url: URL;
  try {
    url = new URL(value.includes('://') ? value : `tcp://${value}`);
  } catch {
    throw invalidHost(text, source, 'not a URL');
  }
  if (url.hostname === '') throw invalidHost(text, source, 'no host name');
  const hostname = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (url.protocol === 'ssh:') {
    const port = url.port ? Number(url.port) : 22;
    const user = url.username ? decodeURIComponent(url.username) : null;
    const shown = `ssh://${user ? `${user}@` : ''}${url.hostname}${url.port ? `:${url.port}` : ''}`;
    return { kind: 'ssh', user, host: hostname, port, url: shown, source };
  }
  if (url.protocol === 'tcp:' || url.protocol === 'http:' || url.protocol === 'https:') {
    const tls = url.protocol === 'https:' || tlsVerify || url.port === '2376';
    const port = url.port ? Number(url.port) : tls ? 2376 : 2375;
    return { kind: 'tcp', host: hostname, port, tls, url: `tcp://${url.hostname}:${port}`, source };
  }
  throw invalidHost(text, source, `unsupported scheme ${url.protocol.replace(/:$/, '')}`);
}

function contextHost(configDir: string, name: string, readText: ReadText): string | null {
  const id = createHash('sha256').update(name).digest('hex');
  const text = readText(join(configDir, 'contexts', 'meta', id, 'meta.json'));
  if (text === null) return null;
  try {
    const meta = JSON.parse(text) as { Endpoints?: { docker?: { Host?: string } } };
    return meta.Endpoints?.docker?.Host ?? null;
  } catch {
    return null;
  }
}

function currentContext(configDir: string, env: NodeJS.ProcessEnv, readText: ReadText): string | null {
  if (env.DOCKER_CONTEXT) return env.DOCKER_CONTEXT;
  const text = readText(join(configDir, 'config.json'));
  if (text === null) return null;
  try {
    return (JSON.parse(text) as { currentContext?: string }).currentContext ?? null;
  } catch {
    return null;
  }
}

export function resolveDockerEndpoint(
  env: NodeJS.ProcessEnv = process.env,
  sources: EndpointOptions = {},
): DockerEndpoint {
  const readText = sources.readText ?? readTextFile;
  const tlsVerify = env.DOCKER_TLS_VERIFY === '1';
  if (sources.host) return parseDockerHost(sources.host, '--host', tlsVerify);
  if (env.DOCKER_HOST) return parseDockerHost(env.DOCKER_HOST, 'DOCKER_HOST', tlsVerify);
  const configDir = sources.configDir ?? env.DOCKER_CONFIG ?? join(env.HOME || homedir(), '.docker');
  const context = currentContext(configDir, env, readText);
  if (context && context !== 'default') {
    const host = contextHost(configDir, context, readText);
    if (host === null) {
      throw new UsageError(
        'DOCKER_CONTEXT_UNKNOWN',
        `docker context "${context}" has no endpoint in ${configDir}`,
        {
          hint: 'run `docker context ls` to see the contexts, or set DOCKER_HOST',
        },
      );
    }
    return parseDockerHost(host, `docker context ${context}`, tlsVerify);
  }
  return {
    kind: 'unix',
    socketPath: DEFAULT_SOCKET,
    url: `unix://${DEFAULT_SOCKET}`,
    source: 'default socket',
  };
}
