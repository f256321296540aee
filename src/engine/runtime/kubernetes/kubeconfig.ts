import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { UsageError } from '../../errors.js';
import { KubeConfig } from './client.js';

/**
 * Which cluster and namespace: --kubeconfig, else $KUBECONFIG (colon-separated files merge as
 * kubectl merges them), else ~/.kube/config, else the in-cluster service account; then --context
 * picks a context, and its namespace is the one used when -n is not given.
 */
export interface KubeconfigOptions {
  kubeconfig?: string;
  context?: string;
  env?: NodeJS.ProcessEnv;
}

function loadMerged(kc: KubeConfig, list: string): void {
  const files = list.split(':').filter((f) => f && existsSync(f));
  if (files.length === 0) {
    throw new UsageError('KUBECONFIG_NOT_FOUND', `none of the kubeconfig files ${list} exist`, {
      hint: 'fix KUBECONFIG or pass --kubeconfig FILE',
    });
  }
  const [first, ...rest] = files;
  kc.loadFromFile(first!);
  // kubectl's rule: the first file that names a cluster, user or context wins.
  for (const file of rest) {
    const more = new KubeConfig();
    more.loadFromFile(file);
    const add = <T extends { name: string }>(mine: T[], theirs: T[]) => [
      ...mine,
      ...theirs.filter((t) => !mine.some((m) => m.name === t.name)),
    ];
    kc.loadFromOptions({
      clusters: add(kc.getClusters(), more.getClusters()),
      users: add(kc.getUsers(), more.getUsers()),
      contexts: add(kc.getContexts(), more.getContexts()),
      currentContext: kc.getCurrentContext() || more.getCurrentContext(),
    });
  }
}

export function loadKubeConfig(options: KubeconfigOptions = {}): KubeConfig {
  const env = options.env ?? process.env;
  const kc = new KubeConfig();
  try {
    // --kubeconfig also arrives from $KUBECONFIG through the flag's env fallback: a list, too.
    const list =
      options.kubeconfig?.includes(':') && !existsSync(options.kubeconfig) ? options.kubeconfig : undefined;
    if (list) {
      loadMerged(kc, list);
    } else if (options.kubeconfig) {
      if (!existsSync(options.kubeconfig)) {
        throw new UsageError('KUBECONFIG_NOT_FOUND', `kubeconfig ${options.kubeconfig} does not exist`, {
          hint: 'pass the path of an existing kubeconfig file to --kubeconfig',
        });
      }
      kc.loadFromFile(options.kubeconfig);
    } else if (env.KUBECONFIG) {
      loadMerged(kc, env.KUBECONFIG);
    } else if (existsSync(join(homedir(), '.kube', 'config'))) {
      kc.loadFromFile(join(homedir(), '.kube', 'config'));
    } else if (env.KUBERNETES_SERVICE_HOST) {
      kc.loadFromCluster();
    } else {
      throw new UsageError(
        'KUBE_NO_CLUSTER',
        'no Kubernetes cluster is configured (no KUBECONFIG, no ~/.kube/config, not in a cluster)',
        {
          hint: 'set KUBECONFIG, pass --kubeconfig FILE, or run inside a cluster',
        },
      );
    }
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(
      'KUBECONFIG_INVALID',
      `cannot read the kubeconfig: ${(error as Error).message.split('\n')[0]}`,
      {
        hint: 'check the file with `kubectl config view`',
      },
    );
  }
  if (options.context) {
    if (!kc.getContextObject(options.context)) {
      const known = kc.getContexts().map((c) => c.name);
      throw new UsageError('KUBE_CONTEXT_NOT_FOUND', `no context "${options.context}" in the kubeconfig`, {
        hint: known.length ? `known contexts: ${known.join(', ')}` : 'the kubeconfig has no contexts',
      });
    }
    kc.setCurrentContext(options.context);
  }
  if (!kc.getCurrentCluster()) {
    throw new UsageError('KUBE_NO_CLUSTER', 'no Kubernetes cluster is configured', {
      hint: 'set KUBECONFIG, pass --kubeconfig FILE, or run inside a cluster',
    });
  }
  return kc;
}

/** The namespace of the current context, if it names one. */
export function contextNamespace(kc: KubeConfig): string | undefined {
  const context = kc.getContextObject(kc.getCurrentContext());
  return context?.namespace || undefined;
}

export function serverOf(kc: KubeConfig): string {
  return kc.getCurrentCluster()?.server ?? 'unknown server';
}
