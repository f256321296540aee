import { PassThrough } from 'node:stream';
import { apiError, isNotFound } from './api-errors.js';
import {
  type KubeConfig,
  type KubernetesObject,
  KubernetesObjectApi,
  Log,
  PatchStrategy,
  VersionApi,
} from './client.js';
import { closeConnections, reuseConnections } from './connection-reuse.js';
import { serverOf } from './kubeconfig.js';
import { FIELD_MANAGER, type KubeObject } from './objects.js';

/**
 * The cluster as Kitten uses it: apply, read, list, delete and pod logs, with every API failure
 * turned into one KittenError line. One instance per command; it holds only the client.
 */
export interface ListedObject extends KubeObject {
  status?: Record<string, unknown>;
  spec?: Record<string, unknown>;
}

/** Exposes discovery so kinds can be resolved once, before applies run side by side. */
class ObjectApi extends KubernetesObjectApi {
  async knows(apiVersion: string, kind: string): Promise<boolean> {
    return (await this.resource(apiVersion, kind)) !== undefined;
  }
}

const RESOURCE_NAMES: Record<string, string> = {
  Namespace: 'namespaces',
  Service: 'services',
  Pod: 'pods',
  Node: 'nodes',
  Deployment: 'deployments.apps',
  ReplicaSet: 'replicasets.apps',
  Job: 'jobs.batch',
  CronJob: 'cronjobs.batch',
  NetworkPolicy: 'networkpolicies.networking.k8s.io',
  ServiceAccount: 'serviceaccounts',
  ClusterRole: 'clusterroles.rbac.authorization.k8s.io',
  ClusterRoleBinding: 'clusterrolebindings.rbac.authorization.k8s.io',
};

export function resourceName(kind: string): string {
  return RESOURCE_NAMES[kind] ?? `${kind.toLowerCase()}s`;
}

/** Typed client objects carry Date instances; Kitten works with the wire (JSON) form. */
function plain<T>(value: unknown): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

export class KubeCluster {
  readonly server: string;
  private readonly objects: ObjectApi;
  private readonly version: VersionApi;
  private readonly known = new Map<string, Promise<boolean>>();

  constructor(readonly kubeConfig: KubeConfig) {
    this.server = serverOf(kubeConfig);
    reuseConnections(kubeConfig);
    this.objects = kubeConfig.makeApiClient(ObjectApi);
    this.version = kubeConfig.makeApiClient(VersionApi);
  }

  private call(verb: string, kind: string, name?: string, namespace?: string) {
    return (error: unknown): never => {
      throw apiError(error, {
        verb,
        resource: resourceName(kind),
        server: this.server,
        ...(name ? { name } : {}),
        ...(namespace ? { namespace } : {}),
      });
    };
  }

  /** Resolves each apiVersion/kind once, so concurrent applies do not each repeat discovery. */
  async discover(apiVersion: string, kind: string): Promise<void> {
    const key = `${apiVersion}/${kind}`;
    let pending = this.known.get(key);
    if (!pending) {
      pending = this.objects.knows(apiVersion, kind).catch(this.call('discover', kind));
      this.known.set(key, pending);
    }
    await pending;
  }

  /** Server-side apply as field manager `kitten`; Kitten's stack is the truth for what it wrote. */
  async apply(object: KubeObject): Promise<ListedObject> {
    await this.discover(object.apiVersion, object.kind);
    const result = await this.objects
      .patch(
        structuredClone(object) as KubernetesObject,
        undefined,
        undefined,
        FIELD_MANAGER,
        true,
        PatchStrategy.ServerSideApply,
      )
      // Server-side apply is a PATCH: RBAC and the server's messages call it that.
      .catch(this.call('patch', object.kind, object.metadata.name, object.metadata.namespace));
    return plain(result);
  }

  /** A JSON merge patch, for the few changes that are not Kitten's desired state (scaling to zero). */
  async mergePatch(
    apiVersion: string,
    kind: string,
    name: string,
    namespace: string | undefined,
    patch: Record<string, unknown>,
  ): Promise<void> {
    await this.discover(apiVersion, kind);
    await this.objects
      .patch(
        {
          apiVersion,
          kind,
          metadata: { name, ...(namespace ? { namespace } : {}) },
          ...patch,
        } as KubernetesObject,
        undefined,
        undefined,
        FIELD_MANAGER,
        undefined,
        PatchStrategy.MergePatch,
      )
      .catch(this.call('patch', kind, name, namespace));
  }

  async read(
    apiVersion: string,
    kind: string,
    name: string,
    namespace?: string,
  ): Promise<ListedObject | null> {
    await this.discover(apiVersion, kind);
    try {
      const found = await this.objects.read({
        apiVersion,
        kind,
        metadata: { name, ...(namespace ? { namespace } : {}) },
      });
      return plain(found);
    } catch (error) {
      if (isNotFound(error)) return null;
      return this.call('get', kind, name, namespace)(error);
    }
  }

  /** Every page of a list, with apiVersion/kind put back on items (the server leaves them off). */
  async list(
    apiVersion: string,
    kind: string,
    namespace: string | undefined,
    labelSelector?: string,
  ): Promise<ListedObject[]> {
    await this.discover(apiVersion, kind);
    const items: ListedObject[] = [];
    let token: string | undefined;
    do {
      const page = await this.objects
        .list(
          apiVersion,
          kind,
          namespace,
          undefined,
          undefined,
          undefined,
          undefined,
          labelSelector,
          500,
          token,
        )
        .catch(this.call('list', kind, undefined, namespace));
      for (const item of page.items) items.push({ ...plain<ListedObject>(item), apiVersion, kind });
      token = page.metadata?._continue || undefined;
    } while (token);
    return items;
  }

  /** Deletes; true when it existed. Background propagation: the cluster's GC removes dependents. */
  async delete(apiVersion: string, kind: string, name: string, namespace?: string): Promise<boolean> {
    await this.discover(apiVersion, kind);
    try {
      await this.objects.delete(
        { apiVersion, kind, metadata: { name, ...(namespace ? { namespace } : {}) } },
        undefined,
        undefined,
        undefined,
        undefined,
        'Background',
      );
      return true;
    } catch (error) {
      if (isNotFound(error)) return false;
      return this.call('delete', kind, name, namespace)(error);
    }
  }

  /** Pod log lines with their timestamps; follow keeps the stream open until `signal` aborts. */
  async podLog(
    namespace: string,
    pod: string,
    container: string,
    options: { follow: boolean; tail?: number; since?: Date; signal?: AbortSignal },
  ): Promise<PassThrough> {
    const out = new PassThrough();
    // client-node drops tailLines=0 (it tests the value for truth), so "no history" is asked for
    // as "since now" instead.
    const since =
      options.tail === 0 ? new Date(Math.max(Date.now(), options.since?.getTime() ?? 0)) : options.since;
    const controller = await new Log(this.kubeConfig)
      .log(namespace, pod, container, out, {
        follow: options.follow,
        timestamps: true,
        ...(options.tail ? { tailLines: options.tail } : {}),
        ...(since ? { sinceTime: since.toISOString() } : {}),
      })
      .catch(this.call('get', 'Pod', `${pod}/log`, namespace));
    const stop = () => {
      controller.abort();
      out.end();
    };
    if (options.signal?.aborted) stop();
    else options.signal?.addEventListener('abort', stop, { once: true });
    return out;
  }

  async close(): Promise<void> {
    await closeConnections(this.kubeConfig);
  }

  async ping(): Promise<void> {
    await this.version.getCode().catch(this.call('get', 'version'));
  }
}
