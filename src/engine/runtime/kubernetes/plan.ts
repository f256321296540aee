import { UsageError } from '../../errors.js';
import type { Stack } from '../../stack/model.js';
import { dnsLabel } from './names.js';
import { type ExposeMode, type Translation, translateStack } from './translate.js';

/** `StackDeployOptions.extra` for kubernetes, as `up` passes it. */
export interface KubernetesDeployExtra {
  namespace?: string;
  expose?: ExposeMode;
  ttlMs?: number | null;
  strict?: boolean;
}

/**
 * What `up --runtime kubernetes` will apply, without a cluster: `--dry-run -o yaml` prints these
 * objects and `deployStack` applies exactly them. The namespace is -n, else one named after the
 * project (which Kitten then owns and `down` deletes).
 */
export async function planKubernetes(
  stack: Stack,
  extra: KubernetesDeployExtra = {},
  now: Date = new Date(),
): Promise<Translation> {
  return translateStack(stack, {
    namespace: extra.namespace ?? dnsLabel(stack.project),
    ownNamespace: extra.namespace === undefined,
    expose: extra.expose ?? 'none',
    expiresAt: extra.ttlMs ? new Date(now.getTime() + extra.ttlMs) : null,
    strict: extra.strict ?? false,
  });
}

/** The driver-specific part of `StackDeployOptions.extra`, checked: a bad --expose is a usage error. */
export function parseExtra(extra: Record<string, unknown> | undefined): KubernetesDeployExtra {
  const e = extra ?? {};
  const expose = e.expose ?? 'none';
  if (expose !== 'none' && expose !== 'nodeport' && expose !== 'loadbalancer') {
    throw new UsageError(
      'KUBE_EXPOSE_INVALID',
      `--expose must be nodeport or loadbalancer, not ${String(expose)}`,
      {
        hint: 'use --expose nodeport or --expose loadbalancer',
      },
    );
  }
  return {
    ...(typeof e.namespace === 'string' && e.namespace ? { namespace: e.namespace } : {}),
    expose,
    ttlMs: typeof e.ttlMs === 'number' ? e.ttlMs : null,
    strict: e.strict === true,
  };
}
