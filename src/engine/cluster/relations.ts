import type { KubeEvent, KubeObject, OwnerReference } from './objects.js';
import { controllerOf } from './objects.js';
import type { ClusterSnapshot } from './snapshot.js';

/**
 * Relations between objects that analyzers and the advisor both need: owners (pod → ReplicaSet →
 * Deployment) and the events about an object. Indexes are built once per snapshot and cached.
 */
const eventIndexes = new WeakMap<ClusterSnapshot, Map<string, KubeEvent[]>>();

function eventKey(kind: string, namespace: string, name: string): string {
  return `${kind}\u0000${namespace}\u0000${name}`;
}

export function eventsFor(snapshot: ClusterSnapshot, object: KubeObject): KubeEvent[] {
  let index = eventIndexes.get(snapshot);
  if (!index) {
    index = new Map();
    for (const event of snapshot.ofKind<KubeEvent>('Event')) {
      const io = event.involvedObject;
      if (!io?.kind || !io.name) continue;
      const key = eventKey(io.kind, io.namespace ?? event.metadata.namespace ?? '', io.name);
      const list = index.get(key);
      if (list) list.push(event);
      else index.set(key, [event]);
    }
    for (const list of index.values()) list.sort((a, b) => eventTime(b).localeCompare(eventTime(a)));
    eventIndexes.set(snapshot, index);
  }
  return index.get(eventKey(object.kind, object.metadata.namespace ?? '', object.metadata.name)) ?? [];
}

export function eventTime(event: KubeEvent): string {
  return (
    event.lastTimestamp ?? event.eventTime ?? event.firstTimestamp ?? event.metadata.creationTimestamp ?? ''
  );
}

/** The newest event about the object with one of these reasons (newest first). */
export function latestEvent(
  snapshot: ClusterSnapshot,
  object: KubeObject,
  reasons: string[],
): KubeEvent | undefined {
  return eventsFor(snapshot, object).find((e) => e.reason !== undefined && reasons.includes(e.reason));
}

/**
 * The top-most controller that a person manages: a pod's Deployment (through its ReplicaSet),
 * StatefulSet, DaemonSet, or a Job's CronJob. Undefined for an object nobody owns.
 */
export function topOwner(snapshot: ClusterSnapshot, object: KubeObject): OwnerReference | undefined {
  const namespace = object.metadata.namespace ?? '';
  let owner = controllerOf(object);
  let top: OwnerReference | undefined;
  for (let depth = 0; owner && depth < 5; depth++) {
    top = owner;
    if (owner.kind !== 'ReplicaSet' && owner.kind !== 'Job') break;
    const next = snapshot.get(owner.kind, namespace, owner.name);
    owner = next ? controllerOf(next) : undefined;
  }
  return top ? { kind: top.kind, name: top.name } : undefined;
}

const podIndexes = new WeakMap<ClusterSnapshot, Map<string, KubeObject[]>>();

/** Pods whose top-most owner is this workload (a Deployment's pods through its ReplicaSets). */
export function podsOwnedBy(
  snapshot: ClusterSnapshot,
  kind: string,
  namespace: string,
  name: string,
): KubeObject[] {
  let index = podIndexes.get(snapshot);
  if (!index) {
    index = new Map();
    for (const pod of snapshot.ofKind('Pod')) {
      const owner = topOwner(snapshot, pod);
      if (!owner) continue;
      const key = eventKey(owner.kind, pod.metadata.namespace ?? '', owner.name);
      const list = index.get(key);
      if (list) list.push(pod);
      else index.set(key, [pod]);
    }
    podIndexes.set(snapshot, index);
  }
  return index.get(eventKey(kind, namespace, name)) ?? [];
}
