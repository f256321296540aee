import { createHash } from 'node:crypto';
import type { KubeConfig } from './client.js';

/**
 * @kubernetes/client-node builds a new HTTP agent for every request (`createAgent` in 1.x,
 * `createDispatcher` in 2.x), without keep-alive, so each call opens a fresh connection and, on a
 * real cluster, a fresh TLS handshake. Applying a stack is hundreds of calls; this keeps one
 * keep-alive agent per distinct (server, TLS settings) for the life of the KubeConfig. Tokens
 * travel as headers, not in the agent, so reuse never mixes identities; a rotated client
 * certificate changes the settings and gets its own agent.
 */
interface Closable {
  close?: () => Promise<void> | void;
  destroy?: () => void;
}

type AgentFactory = (cluster: { server?: string } | null, options: Record<string, unknown>) => unknown;

const reused = new WeakMap<KubeConfig, Map<string, unknown>>();

function keyOf(cluster: { server?: string } | null, options: Record<string, unknown>): string {
  const hash = createHash('sha256');
  hash.update(cluster?.server ?? '');
  for (const name of Object.keys(options).sort()) {
    const value = options[name];
    hash.update(`\u0000${name}=`);
    if (Buffer.isBuffer(value)) hash.update(value);
    else hash.update(JSON.stringify(value) ?? 'undefined');
  }
  return hash.digest('hex');
}

export function reuseConnections(kc: KubeConfig): void {
  if (reused.has(kc)) return;
  const target = kc as unknown as Record<'createAgent' | 'createDispatcher', AgentFactory | undefined>;
  const method =
    typeof target.createDispatcher === 'function'
      ? 'createDispatcher'
      : typeof target.createAgent === 'function'
        ? 'createAgent'
        : null;
  if (!method) return;
  const original = target[method]!.bind(kc);
  const cache = new Map<string, unknown>();
  reused.set(kc, cache);
  target[method] = (cluster, options) => {
    const key = keyOf(cluster, options);
    if (!cache.has(key))
      cache.set(key, original(cluster, method === 'createAgent' ? { ...options, keepAlive: true } : options));
    return cache.get(key);
  };
}

/** Closes the kept connections, so a CLI process does not wait for idle sockets to time out. */
export async function closeConnections(kc: KubeConfig): Promise<void> {
  const cache = reused.get(kc);
  if (!cache) return;
  const agents = [...cache.values()] as (Closable | undefined)[];
  cache.clear();
  await Promise.all(
    agents.map(async (agent) => {
      if (typeof agent?.close === 'function') await Promise.resolve(agent.close()).catch(() => undefined);
      else agent?.destroy?.();
    }),
  );
}
