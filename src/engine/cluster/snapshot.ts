import type { KubeObject } from './objects.js';

/**
 * A point-in-time set of cluster objects with the indexes analyzers need: by kind, and by
 * kind/namespace/name. Immutable once built; a live source builds a fresh one per refresh.
 */
export class ClusterSnapshot {
  readonly objects: readonly KubeObject[];
  private readonly byKind = new Map<string, KubeObject[]>();
  private readonly byKey = new Map<string, KubeObject>();
  /** Built on first use per kind: analyzers ask "pods in this namespace" once per Service. */
  private readonly byKindNamespace = new Map<string, Map<string, KubeObject[]>>();

  constructor(objects: readonly KubeObject[]) {
    this.objects = objects;
    for (const object of objects) {
      let list = this.byKind.get(object.kind);
      if (!list) {
        list = [];
        this.byKind.set(object.kind, list);
      }
      list.push(object);
      this.byKey.set(keyOf(object.kind, object.metadata.namespace ?? '', object.metadata.name), object);
    }
  }

  /** Objects of one kind, optionally within one namespace. */
  ofKind<T extends KubeObject = KubeObject>(kind: string, namespace?: string): T[] {
    const all = (this.byKind.get(kind) ?? []) as T[];
    if (namespace === undefined) return all;
    let index = this.byKindNamespace.get(kind);
    if (!index) {
      index = new Map();
      for (const o of all) {
        const ns = o.metadata.namespace ?? '';
        const list = index.get(ns);
        if (list) list.push(o);
        else index.set(ns, [o]);
      }
      this.byKindNamespace.set(kind, index);
    }
    return (index.get(namespace) ?? []) as T[];
  }

  get<T extends KubeObject = KubeObject>(kind: string, namespace: string, name: string): T | undefined {
    return this.byKey.get(keyOf(kind, namespace, name)) as T | undefined;
  }

  has(kind: string, namespace: string, name: string): boolean {
    return this.byKey.has(keyOf(kind, namespace, name));
  }

  kinds(): string[] {
    return [...this.byKind.keys()];
  }

  namespaces(): string[] {
    const names = new Set<string>();
    for (const o of this.objects) if (o.metadata.namespace) names.add(o.metadata.namespace);
    for (const ns of this.ofKind('Namespace')) names.add(ns.metadata.name);
    return [...names].sort();
  }

  /** Keeps only the objects the predicate accepts (namespace scoping, access filtering). */
  filter(keep: (object: KubeObject) => boolean): ClusterSnapshot {
    return new ClusterSnapshot(this.objects.filter(keep));
  }
}

function keyOf(kind: string, namespace: string, name: string): string {
  return `${kind}\u0000${namespace}\u0000${name}`;
}
