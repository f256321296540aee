import type { Runtime } from '../types.js';
import { openDocker, type PingResult, pingConnection } from './connection.js';
import { resolveDockerEndpoint } from './endpoint.js';
import { DockerRuntime, type DockerRuntimeOptions } from './runtime.js';

export type { ConnectOptions, PingResult } from './connection.js';
export { type DockerEndpoint, parseDockerHost, resolveDockerEndpoint } from './endpoint.js';
export { PULL_POLICIES, type PullPolicy } from './images.js';
export { DockerRuntime, type DockerRuntimeOptions } from './runtime.js';

export function createDockerRuntime(options: DockerRuntimeOptions = {}): DockerRuntime & Runtime {
  return new DockerRuntime(options);
}

/**
 * Whether an engine answers where Kitten would look (for `--runtime auto`). Resolves with the
 * engine's version; rejects with a KittenError naming the socket or host that was tried.
 */
export async function pingDocker(
  options: Omit<DockerRuntimeOptions, 'pull' | 'progress'> & { timeoutMs?: number } = {},
): Promise<PingResult> {
  const endpoint = resolveDockerEndpoint(
    options.env ?? process.env,
    options.host ? { host: options.host } : {},
  );
  // The SSH handshake counts against the same budget as the engine's answer.
  const connection = await openDocker(endpoint, {
    ...options,
    ...(options.timeoutMs ? { connectTimeoutMs: options.connectTimeoutMs ?? options.timeoutMs } : {}),
  });
  try {
    return await pingConnection(connection, options.timeoutMs);
  } finally {
    await connection.close();
  }
}
