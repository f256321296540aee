import { createKubernetesRuntime } from '../../src/engine/runtime/kubernetes/index.js';
import { type ClusterTarget, loopbackTarget } from '../kubernetes/cluster-target.js';
import { defineRuntimeScenarios } from './scenarios.js';

/**
 * The shared scenarios where they apply to a cluster, against the loopback API server (its small
 * controller makes Deployments ready and creates their pods). Container-level scenarios (exec,
 * restart counters, per-container plans) have their cluster-shaped twins in
 * test/kubernetes/driver.test.ts.
 */
let target: ClusterTarget | undefined;

defineRuntimeScenarios(
  'kubernetes',
  async () => {
    target = await loopbackTarget();
    const runtime = createKubernetesRuntime({
      kubeconfig: target.kubeconfig,
      pollIntervalMs: 10,
      removeTimeoutMs: 30_000,
    });
    const close = runtime.close.bind(runtime);
    runtime.close = async () => {
      await close();
      await target?.close();
    };
    return runtime;
  },
  { available: true, image: 'busybox:1.36', only: ['down'] },
);
