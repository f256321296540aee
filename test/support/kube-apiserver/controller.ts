import { createHash, randomBytes } from 'node:crypto';
import { clone, isObject, type Json, type JsonObject } from './patches.js';
import { matchesLabels, parseLabelSelector } from './selectors.js';

/**
 * A tiny stand-in for kube-controller-manager and the kubelet: Deployments get a ReplicaSet and
 * running pods, Jobs get a pod that completes, Services get Endpoints of their ready pods and
 * LoadBalancers an address. Enough for rollout waits, `ps`, logs and `connect` to be tested.
 */
export interface ControllerOptions {
  /** Wait this long before reacting to a change (a pod that takes time to become ready). */
  readyDelayMs?: number;
  /** Pods running one of these images crash-loop and never become ready. */
  failingImages?: string[];
  /** Address handed to LoadBalancer Services. */
  loadBalancerIp?: string;
}

/** What the controller may do to the store; the server implements it without HTTP. */
export interface ControllerStore {
  all(resource: string, namespace?: string): JsonObject[];
  create(resource: string, object: JsonObject): JsonObject;
  /** Replaces the object's status (or whole object when `whole`), bumping resourceVersion. */
  write(resource: string, object: JsonObject): JsonObject;
  remove(resource: string, namespace: string, name: string): void;
  appendLog(namespace: string, pod: string, container: string, line: string): void;
}

const DEPLOYMENTS = 'apps/v1/deployments';
const REPLICASETS = 'apps/v1/replicasets';
const JOBS = 'batch/v1/jobs';
const PODS = 'v1/pods';
const SERVICES = 'v1/services';
const ENDPOINTS = 'v1/endpoints';

function meta(o: JsonObject): JsonObject {
  return (o.metadata as JsonObject) ?? {};
}

function str(o: JsonObject, key: string): string {
  return String(meta(o)[key] ?? '');
}

function ownerRef(owner: JsonObject, kind: string, apiVersion: string): JsonObject {
  return {
    apiVersion,
    kind,
    name: str(owner, 'name'),
    uid: str(owner, 'uid'),
    controller: true,
    blockOwnerDeletion: true,
  };
}

function ownedBy(o: JsonObject, owner: JsonObject): boolean {
  const refs = meta(o).ownerReferences;
  return Array.isArray(refs) && refs.some((r) => isObject(r) && r.uid === str(owner, 'uid'));
}

function suffix(): string {
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
  const bytes = randomBytes(5);
  return [...bytes].map((b) => alphabet[b % alphabet.length]).join('');
}

export class FakeController {
  private pending = new Map<string, NodeJS.Timeout>();
  private podIp = 10;
  private stopped = false;

  constructor(
    private readonly store: ControllerStore,
    private readonly options: ControllerOptions,
  ) {}

  /** Called by the server after every stored change. */
  notice(resource: string, object: JsonObject): void {
    if (this.stopped) return;
    if (resource === DEPLOYMENTS || resource === JOBS || resource === SERVICES) {
      this.schedule(`${resource}|${str(object, 'namespace')}|${str(object, 'name')}`);
    } else if (resource === PODS) {
      for (const service of this.store.all(SERVICES, str(object, 'namespace'))) {
        this.schedule(`${SERVICES}|${str(service, 'namespace')}|${str(service, 'name')}`);
      }
    }
  }

  stop(): void {
    this.stopped = true;
    for (const timer of this.pending.values()) clearTimeout(timer);
    this.pending.clear();
  }

  private schedule(key: string): void {
    if (this.pending.has(key)) return;
    const timer = setTimeout(() => {
      this.pending.delete(key);
      if (this.stopped) return;
      const [resource, namespace, name] = key.split('|') as [string, string, string];
      const object = this.store.all(resource, namespace).find((o) => str(o, 'name') === name);
      if (!object || meta(object).deletionTimestamp) return;
      if (resource === DEPLOYMENTS) this.reconcileDeployment(object);
      else if (resource === JOBS) this.reconcileJob(object);
      else if (resource === SERVICES) this.reconcileService(object);
    }, this.options.readyDelayMs ?? 0);
    this.pending.set(key, timer);
  }

  private makePod(
    owner: JsonObject,
    ownerKind: string,
    ownerApi: string,
    template: JsonObject,
    labels: JsonObject,
    crash: 'never' | 'job',
  ): JsonObject {
    const namespace = str(owner, 'namespace');
    const name = `${str(owner, 'name')}-${suffix()}`;
    const spec = clone((template.spec as JsonObject) ?? {});
    spec.nodeName = 'kitten-node-1';
    const containers = (Array.isArray(spec.containers) ? spec.containers : []) as JsonObject[];
    const failing = containers.some((c) => (this.options.failingImages ?? []).includes(String(c.image)));
    const now = new Date().toISOString();
    const ip = `10.244.0.${(this.podIp++ % 250) + 2}`;
    const statuses = containers.map((c) => {
      if (failing) {
        return {
          name: c.name,
          image: c.image,
          ready: false,
          started: false,
          restartCount: 4,
          state: {
            waiting: {
              reason: 'CrashLoopBackOff',
              message: `back-off 40s restarting failed container=${c.name}`,
            },
          },
          lastState: { terminated: { exitCode: 1, reason: 'Error', startedAt: now, finishedAt: now } },
        };
      }
      if (crash === 'job') {
        return {
          name: c.name,
          image: c.image,
          ready: false,
          started: false,
          restartCount: 0,
          state: { terminated: { exitCode: 0, reason: 'Completed', startedAt: now, finishedAt: now } },
        };
      }
      return {
        name: c.name,
        image: c.image,
        ready: true,
        started: true,
        restartCount: 0,
        state: { running: { startedAt: now } },
      };
    });
    const phase = crash === 'job' ? (failing ? 'Failed' : 'Succeeded') : 'Running';
    const pod = this.store.create(PODS, {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name,
        namespace,
        labels: clone(labels),
        annotations: clone(((template.metadata as JsonObject | undefined)?.annotations as JsonObject) ?? {}),
        ownerReferences: [ownerRef(owner, ownerKind, ownerApi)],
      },
      spec,
      status: {
        phase,
        podIP: ip,
        podIPs: [{ ip }],
        hostIP: '192.0.2.10',
        startTime: now,
        conditions: [
          { type: 'Ready', status: !failing && crash !== 'job' ? 'True' : 'False', lastTransitionTime: now },
        ],
        containerStatuses: statuses as unknown as Json,
      },
    });
    for (const c of containers) {
      this.store.appendLog(namespace, name, String(c.name), `started ${c.image} in ${name}`);
    }
    return pod;
  }

  private reconcileDeployment(deployment: JsonObject): void {
    const namespace = str(deployment, 'namespace');
    const spec = (deployment.spec as JsonObject) ?? {};
    const template = (spec.template as JsonObject) ?? {};
    const replicas = typeof spec.replicas === 'number' ? spec.replicas : 1;
    const hash = createHash('sha256').update(JSON.stringify(template)).digest('hex').slice(0, 10);
    const templateLabels = ((template.metadata as JsonObject)?.labels as JsonObject) ?? {};
    const labels = { ...templateLabels, 'pod-template-hash': hash };
    const owned = this.store.all(REPLICASETS, namespace).filter((rs) => ownedBy(rs, deployment));
    for (const old of owned.filter((rs) => (meta(rs).labels as JsonObject)?.['pod-template-hash'] !== hash)) {
      this.store.remove(REPLICASETS, namespace, str(old, 'name'));
    }
    let rs = owned.find((o) => (meta(o).labels as JsonObject)?.['pod-template-hash'] === hash);
    if (!rs) {
      rs = this.store.create(REPLICASETS, {
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        metadata: {
          name: `${str(deployment, 'name')}-${hash}`,
          namespace,
          labels,
          ownerReferences: [ownerRef(deployment, 'Deployment', 'apps/v1')],
        },
        spec: {
          replicas,
          selector: {
            matchLabels: {
              ...(((spec.selector as JsonObject)?.matchLabels as JsonObject) ?? {}),
              'pod-template-hash': hash,
            },
          },
          template: {
            ...clone(template),
            metadata: { ...clone((template.metadata as JsonObject) ?? {}), labels },
          },
        },
      });
    }
    const pods = this.store.all(PODS, namespace).filter((p) => ownedBy(p, rs!));
    for (const extra of pods.slice(replicas)) this.store.remove(PODS, namespace, str(extra, 'name'));
    for (let i = pods.length; i < replicas; i++)
      this.makePod(rs, 'ReplicaSet', 'apps/v1', template, labels, 'never');
    const current = this.store.all(PODS, namespace).filter((p) => ownedBy(p, rs!));
    const ready = current.filter((p) =>
      ((p.status as JsonObject)?.containerStatuses as JsonObject[] | undefined)?.every(
        (c) => c.ready === true,
      ),
    ).length;
    const now = new Date().toISOString();
    const status = {
      observedGeneration: meta(deployment).generation ?? 1,
      replicas: current.length,
      updatedReplicas: current.length,
      readyReplicas: ready,
      availableReplicas: ready,
      ...(current.length - ready > 0 ? { unavailableReplicas: current.length - ready } : {}),
      conditions: [
        {
          type: 'Available',
          status: ready >= replicas ? 'True' : 'False',
          reason: ready >= replicas ? 'MinimumReplicasAvailable' : 'MinimumReplicasUnavailable',
          lastUpdateTime: now,
          lastTransitionTime: now,
        },
        {
          type: 'Progressing',
          status: 'True',
          reason: ready >= replicas ? 'NewReplicaSetAvailable' : 'ReplicaSetUpdated',
          lastUpdateTime: now,
          lastTransitionTime: now,
        },
      ],
    };
    this.writeStatus(REPLICASETS, rs, {
      replicas: current.length,
      readyReplicas: ready,
      availableReplicas: ready,
      observedGeneration: 1,
    });
    this.writeStatus(DEPLOYMENTS, deployment, status);
  }

  private reconcileJob(job: JsonObject): void {
    const namespace = str(job, 'namespace');
    if (this.store.all(PODS, namespace).some((p) => ownedBy(p, job))) return;
    const spec = (job.spec as JsonObject) ?? {};
    const template = (spec.template as JsonObject) ?? {};
    const labels = {
      ...(((template.metadata as JsonObject)?.labels as JsonObject) ?? {}),
      'batch.kubernetes.io/job-name': str(job, 'name'),
      'job-name': str(job, 'name'),
    };
    const completions = typeof spec.completions === 'number' ? spec.completions : 1;
    const pods = Array.from({ length: completions }, () =>
      this.makePod(job, 'Job', 'batch/v1', template, labels, 'job'),
    );
    const failed = pods.some((pod) => (pod.status as JsonObject).phase === 'Failed');
    const now = new Date().toISOString();
    this.writeStatus(JOBS, job, {
      startTime: now,
      ...(failed ? { failed: 1 } : { succeeded: completions, completionTime: now }),
      conditions: [{ type: failed ? 'Failed' : 'Complete', status: 'True', lastTransitionTime: now }],
    });
  }

  private reconcileService(service: JsonObject): void {
    const namespace = str(service, 'namespace');
    const spec = (service.spec as JsonObject) ?? {};
    if (isObject(spec.selector)) {
      const selector = parseLabelSelector(
        Object.entries(spec.selector)
          .map(([k, v]) => `${k}=${v}`)
          .join(','),
      );
      const ready = this.store
        .all(PODS, namespace)
        .filter((p) => matchesLabels(selector, (meta(p).labels as Record<string, string>) ?? {}))
        .filter((p) =>
          ((p.status as JsonObject)?.conditions as JsonObject[] | undefined)?.some(
            (c) => c.type === 'Ready' && c.status === 'True',
          ),
        );
      const ports = (Array.isArray(spec.ports) ? spec.ports : []) as JsonObject[];
      const subsets =
        ready.length === 0
          ? []
          : [
              {
                addresses: ready.map((p) => ({
                  ip: (p.status as JsonObject).podIP,
                  targetRef: { kind: 'Pod', name: str(p, 'name'), namespace },
                })),
                ports: ports.map((p) => ({
                  ...(p.name ? { name: p.name } : {}),
                  port: typeof p.targetPort === 'number' ? p.targetPort : p.port,
                  protocol: p.protocol ?? 'TCP',
                })),
              },
            ];
      const existing = this.store
        .all(ENDPOINTS, namespace)
        .find((e) => str(e, 'name') === str(service, 'name'));
      const desired: JsonObject = {
        apiVersion: 'v1',
        kind: 'Endpoints',
        metadata: {
          name: str(service, 'name'),
          namespace,
          labels: clone((meta(service).labels as JsonObject) ?? {}),
        },
        subsets: subsets as unknown as Json,
      };
      if (!existing) this.store.create(ENDPOINTS, desired);
      else if (JSON.stringify(existing.subsets ?? []) !== JSON.stringify(subsets)) {
        this.store.write(ENDPOINTS, { ...existing, subsets: subsets as unknown as Json });
      }
    }
    if (spec.type === 'LoadBalancer') {
      const ip = this.options.loadBalancerIp ?? '203.0.113.10';
      this.writeStatus(SERVICES, service, { loadBalancer: { ingress: [{ ip }] } });
    }
  }

  private writeStatus(resource: string, object: JsonObject, status: JsonObject): void {
    const fresh = this.store
      .all(resource, str(object, 'namespace'))
      .find((o) => str(o, 'name') === str(object, 'name'));
    if (!fresh) return;
    const strip = (s: unknown) =>
      JSON.stringify(s, (k, v) => (k === 'lastUpdateTime' || k === 'lastTransitionTime' ? undefined : v));
    if (strip(fresh.status ?? {}) === strip(status)) return;
    this.store.write(resource, { ...fresh, status });
  }
}
