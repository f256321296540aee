import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '../../src/engine/runtime/kubernetes/client.js';
import {
  type KubeApiServer,
  type KubeApiServerOptions,
  startKubeApiServer,
  writeKubeconfig,
} from '../support/kube-apiserver.js';
import { until as poll } from '../support/poll.js';

/**
 * Where the driver suite runs: always the loopback API server, and also a real cluster when
 * KITTEN_TEST_KUBECONFIG names a kubeconfig for one (tests that need failure injection or the
 * loopback controller run only on loopback).
 */
export interface ClusterTarget {
  name: string;
  kubeconfig: string;
  kubeConfig: KubeConfig;
  /** Only for the loopback target. */
  server: KubeApiServer | null;
  pollIntervalMs: number;
  close(): Promise<void>;
}

export async function loopbackTarget(
  options: KubeApiServerOptions = { controller: true },
): Promise<ClusterTarget> {
  const server = await startKubeApiServer(options);
  const dir = await mkdtemp(join(tmpdir(), 'kitten-kube-'));
  const kubeconfig = await writeKubeconfig(server, dir);
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromFile(kubeconfig);
  return {
    name: 'loopback API server',
    kubeconfig,
    kubeConfig,
    server,
    pollIntervalMs: 10,
    close: async () => {
      await server.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export function realClusterKubeconfig(): string | undefined {
  return process.env.KITTEN_TEST_KUBECONFIG || undefined;
}

export async function realTarget(kubeconfig: string): Promise<ClusterTarget> {
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromFile(kubeconfig);
  return {
    name: `cluster ${kubeConfig.getCurrentCluster()?.server}`,
    kubeconfig,
    kubeConfig,
    server: null,
    pollIntervalMs: 500,
    close: async () => {},
  };
}

/** Waits for the loopback server or a real cluster: 10 s unless a test says otherwise. */
export function until<T>(
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  what: string,
  ms = 10_000,
): Promise<T> {
  return poll(probe, what, ms);
}
