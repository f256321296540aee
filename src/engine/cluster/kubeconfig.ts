import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import { parse } from 'yaml';
import { UsageError } from '../errors.js';

export interface KubeconfigOptions {
  /** A kubeconfig file; else KUBECONFIG, else ~/.kube/config, else in-cluster. */
  kubeconfig?: string;
  /** A context name from it; else its current-context. */
  context?: string;
}

/** Whether any kubeconfig could be loaded at all, without reading it. */
export function kubeconfigAvailable(
  options: KubeconfigOptions = {},
  env: NodeJS.ProcessEnv = process.env,
): boolean {
  if (options.kubeconfig) return existsSync(options.kubeconfig);
  if (env.KUBECONFIG) return env.KUBECONFIG.split(':').some((f) => f && existsSync(f));
  if (env.KUBERNETES_SERVICE_HOST && existsSync('/var/run/secrets/kubernetes.io/serviceaccount/token'))
    return true;
  return existsSync(join(env.HOME ?? homedir(), '.kube', 'config'));
}

/**
 * The user's kubeconfig as kubectl would read it (merged KUBECONFIG lists, --context), through the
 * one loader the kubernetes runtime uses too. client-node is loaded here, on first use: a
 * snapshot-only run never pays for it.
 */
export async function loadKubeConfig(options: KubeconfigOptions = {}): Promise<KubeConfig> {
  if (!kubeconfigAvailable(options)) {
    throw new UsageError(
      'KUBECONFIG_MISSING',
      options.kubeconfig
        ? `kubeconfig ${options.kubeconfig} does not exist`
        : 'no kubeconfig found (KUBECONFIG, ~/.kube/config)',
      {
        hint: 'pass --kubeconfig FILE, or work from a snapshot: --snapshot fixtures/clusters/broken-shop.yaml',
      },
    );
  }
  const { loadKubeConfig: load } = await import('../runtime/kubernetes/kubeconfig.js');
  return load(options);
}

/** The namespace the current context points at, as kubectl uses it without -n. */
export function contextNamespace(kc: KubeConfig): string {
  return kc.getContextObject(kc.getCurrentContext())?.namespace ?? 'default';
}

/** The kube context's user name: who Kitten's access policy asks about. */
export function contextUser(kc: KubeConfig): string {
  return kc.getContextObject(kc.getCurrentContext())?.user ?? kc.getCurrentUser()?.name ?? 'unknown';
}

/**
 * The context's user name straight from the kubeconfig file, without client-node: who is asking,
 * for the access policy, even in snapshot mode. Undefined when there is no usable kubeconfig.
 */
export function kubeconfigUser(
  options: KubeconfigOptions = {},
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  const files = options.kubeconfig
    ? [options.kubeconfig]
    : env.KUBECONFIG
      ? env.KUBECONFIG.split(':').filter(Boolean)
      : [join(env.HOME ?? homedir(), '.kube', 'config')];
  let current: string | undefined = options.context;
  const contexts: { name?: string; context?: { user?: string } }[] = [];
  for (const file of files) {
    if (!existsSync(file)) continue;
    try {
      const doc = parse(readFileSync(file, 'utf8')) as {
        'current-context'?: string;
        contexts?: typeof contexts;
      } | null;
      current ??= doc?.['current-context'] || undefined;
      contexts.push(...(doc?.contexts ?? []));
    } catch {
      return undefined;
    }
  }
  return contexts.find((c) => c.name === current)?.context?.user;
}
