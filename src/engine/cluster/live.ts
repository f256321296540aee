import type { KubeConfig } from '@kubernetes/client-node';
import { KittenError, RefusedError } from '../errors.js';
import { KubeHttp, statusOf } from './kube-http.js';
import { contextNamespace, type KubeconfigOptions, loadKubeConfig } from './kubeconfig.js';
import type { KubeObject } from './objects.js';
import { findKind } from './registry.js';
import { ClusterSnapshot } from './snapshot.js';
import type { ClusterSource, FollowOptions, ListOptions, WatchEvent, WatchHandle } from './source.js';

interface ApiResource {
  kind: string;
  group: string;
  version: string;
  plural: string;
  namespaced: boolean;
}

/** Kinds the analyzers read that the resource registry does not show as tabs. */
const supportKinds: ApiResource[] = [
  {
    kind: 'IngressClass',
    group: 'networking.k8s.io',
    version: 'v1',
    plural: 'ingressclasses',
    namespaced: false,
  },
  {
    kind: 'StorageClass',
    group: 'storage.k8s.io',
    version: 'v1',
    plural: 'storageclasses',
    namespaced: false,
  },
];

/** Everything a snapshot lists: the registry's kinds plus the support kinds. */
export const snapshotKinds = [
  'Namespace',
  'Node',
  'Pod',
  'Deployment',
  'ReplicaSet',
  'StatefulSet',
  'DaemonSet',
  'Service',
  'Endpoints',
  'Ingress',
  'IngressClass',
  'StorageClass',
  'PersistentVolumeClaim',
  'Job',
  'CronJob',
  'HorizontalPodAutoscaler',
  'PodDisruptionBudget',
  'NetworkPolicy',
  'ConfigMap',
  'Secret',
  'Event',
  'Result',
];

export function apiResource(kind: string): ApiResource {
  const known = findKind(kind);
  if (known)
    return {
      kind: known.kind,
      group: known.group,
      version: known.version,
      plural: known.plural,
      namespaced: known.namespaced,
    };
  const support = supportKinds.find((k) => k.kind === kind);
  if (support) return support;
  throw new KittenError('KIND_NOT_LISTABLE', `Kitten does not know the API path of kind ${kind}`);
}

export function collectionPath(resource: ApiResource, namespace?: string): string {
  const base = resource.group ? `/apis/${resource.group}/${resource.version}` : `/api/${resource.version}`;
  return resource.namespaced && namespace
    ? `${base}/namespaces/${namespace}/${resource.plural}`
    : `${base}/${resource.plural}`;
}

interface ListBody {
  items?: KubeObject[];
  metadata?: { continue?: string; resourceVersion?: string };
}

export interface LiveOptions extends KubeconfigOptions {
  /** List only these namespaces (what the access policy grants) instead of cluster-wide. */
  namespaces?: string[];
}

/**
 * A live cluster through the user's kubeconfig. Lists page through large collections; a kind the
 * server does not serve (no K8sGPT operator) or that RBAC forbids is simply absent, and the
 * forbidden ones are remembered so the CLI can say what it could not see.
 */
export class LiveSource implements ClusterSource {
  readonly mode = 'live' as const;
  readonly description: string;
  readonly kc: KubeConfig;
  readonly http: KubeHttp;
  readonly defaultNamespace: string;
  /** `Kind in namespace` the cluster's RBAC refused to list. */
  readonly forbidden = new Set<string>();
  private readonly namespaces: string[] | undefined;

  constructor(kc: KubeConfig, options: { namespaces?: string[] } = {}) {
    this.kc = kc;
    this.http = new KubeHttp(kc);
    this.description = `context ${kc.getCurrentContext()}`;
    this.defaultNamespace = contextNamespace(kc);
    this.namespaces = options.namespaces;
  }

  static async open(options: LiveOptions = {}): Promise<LiveSource> {
    return new LiveSource(
      await loadKubeConfig(options),
      options.namespaces ? { namespaces: options.namespaces } : {},
    );
  }

  async list(kind: string, options: ListOptions = {}): Promise<KubeObject[]> {
    const resource = apiResource(kind);
    const scopes =
      !resource.namespaced || options.namespace !== undefined || !this.namespaces
        ? [options.namespace]
        : this.namespaces;
    const lists = await Promise.all(scopes.map((ns) => this.listScope(resource, ns)));
    return lists.flat();
  }

  private async listScope(resource: ApiResource, namespace: string | undefined): Promise<KubeObject[]> {
    const apiVersion = resource.group ? `${resource.group}/${resource.version}` : resource.version;
    const items: KubeObject[] = [];
    let token: string | undefined;
    do {
      const query = new URLSearchParams({ limit: '500', ...(token ? { continue: token } : {}) });
      let body: ListBody;
      try {
        body = await this.http.get<ListBody>(`${collectionPath(resource, namespace)}?${query}`);
      } catch (error) {
        const status = statusOf(error);
        if (status === 404) return [];
        if (status === 403) {
          this.forbidden.add(`${resource.kind}${namespace ? ` in ${namespace}` : ''}`);
          return [];
        }
        throw error;
      }
      for (const item of body.items ?? []) {
        // List items carry no kind or apiVersion; restore them so objects look as kubectl shows them.
        item.kind = resource.kind;
        item.apiVersion = apiVersion;
        items.push(item);
      }
      token = body.metadata?.continue || undefined;
    } while (token);
    return items;
  }

  async snapshot(options: ListOptions = {}): Promise<ClusterSnapshot> {
    const lists = await mapLimit(snapshotKinds, 6, (kind) => this.list(kind, options));
    return new ClusterSnapshot(lists.flat());
  }

  async watch(
    kind: string,
    options: ListOptions,
    onEvent: (event: WatchEvent) => void,
    onError: (error: Error) => void,
  ): Promise<WatchHandle> {
    const resource = apiResource(kind);
    const apiVersion = resource.group ? `${resource.group}/${resource.version}` : resource.version;
    const { Watch } = await import('@kubernetes/client-node');
    const watch = new Watch(this.kc);
    let stopped = false;
    const controller = await watch.watch(
      collectionPath(resource, options.namespace),
      { allowWatchBookmarks: true },
      (phase, object: KubeObject) => {
        if (phase !== 'ADDED' && phase !== 'MODIFIED' && phase !== 'DELETED') return;
        object.kind = resource.kind;
        object.apiVersion = apiVersion;
        onEvent({ type: phase, object });
      },
      (error: unknown) => {
        if (!stopped && error) onError(error instanceof Error ? error : new Error(String(error)));
      },
    );
    return {
      stop: () => {
        stopped = true;
        controller.abort();
      },
    };
  }

  async logs(
    namespace: string,
    pod: string,
    options: { container?: string; tail?: number } = {},
  ): Promise<string> {
    const query = new URLSearchParams({
      tailLines: String(options.tail ?? 40),
      ...(options.container ? { container: options.container } : {}),
    });
    return this.http.getText(`/api/v1/namespaces/${namespace}/pods/${pod}/log?${query}`);
  }

  /** `follow=true` holds the response open: the API server writes each new line as it is logged. */
  followLogs(namespace: string, pod: string, options: FollowOptions): AsyncIterable<string> {
    const query = new URLSearchParams({
      follow: 'true',
      ...(options.sinceTime ? { sinceTime: options.sinceTime } : { tailLines: String(options.tail ?? 40) }),
      ...(options.timestamps ? { timestamps: 'true' } : {}),
      ...(options.container ? { container: options.container } : {}),
    });
    return this.http.lines(`/api/v1/namespaces/${namespace}/pods/${pod}/log?${query}`, options.signal);
  }

  async get(kind: string, namespace: string, name: string): Promise<KubeObject | null> {
    const resource = apiResource(kind);
    const path = `${collectionPath(resource, resource.namespaced ? namespace : undefined)}/${name}`;
    try {
      return await this.http.get<KubeObject>(path);
    } catch (error) {
      if (statusOf(error) === 404) return null;
      throw error;
    }
  }

  /** SelfSubjectAccessReview: does the cluster's own RBAC allow this? */
  async canI(
    verb: string,
    kind: string,
    namespace: string | undefined,
    name?: string,
    subresource?: string,
  ): Promise<boolean> {
    const resource = apiResource(kind);
    const review = await this.http.post<{ status?: { allowed?: boolean } }>(
      '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews',
      {
        apiVersion: 'authorization.k8s.io/v1',
        kind: 'SelfSubjectAccessReview',
        spec: {
          resourceAttributes: {
            verb,
            group: resource.group,
            resource: resource.plural,
            ...(namespace ? { namespace } : {}),
            ...(name ? { name } : {}),
            ...(subresource ? { subresource } : {}),
          },
        },
      },
    );
    return review.status?.allowed === true;
  }

  /** Refuses before a write that the cluster's RBAC would refuse anyway, with a useful hint. */
  async requireCan(
    verb: string,
    kind: string,
    namespace: string | undefined,
    name?: string,
    subresource?: string,
  ): Promise<void> {
    if (await this.canI(verb, kind, namespace, name, subresource)) return;
    throw new RefusedError(
      'CLUSTER_RBAC_DENIED',
      `the cluster's RBAC does not let you ${verb} ${apiResource(kind).plural}${subresource ? `/${subresource}` : ''}${name ? ` ${name}` : ''}${namespace ? ` in ${namespace}` : ''}`,
      {
        hint: `check with \`kubectl auth can-i ${verb} ${apiResource(kind).plural}${namespace ? ` -n ${namespace}` : ''}\` and ask a cluster admin for a Role`,
      },
    );
  }
}

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i] as T);
    }
  });
  await Promise.all(workers);
  return results;
}
