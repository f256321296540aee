import type { Visibility } from './analysis.js';
import type { KubeObject } from './objects.js';
import type { ClusterSnapshot } from './snapshot.js';

/**
 * Objects of one kind that the person may see: everything else is invisible, not greyed.
 * `namespace` narrows to one namespace (`-n`); cluster-scoped objects have namespace "".
 */
export function visibleObjects(
  snapshot: ClusterSnapshot,
  kind: string,
  options: { namespace?: string; access?: Visibility } = {},
): KubeObject[] {
  const { namespace, access } = options;
  const all =
    namespace === undefined
      ? snapshot.ofKind(kind)
      : [...snapshot.ofKind(kind, namespace), ...snapshot.ofKind(kind, '')];
  return access ? all.filter((o) => access.canSee(o.metadata.namespace ?? '', o.kind)) : all;
}

/** The snapshot cut down to what the person may see, for anything that reads it further. */
export function visibleSnapshot(snapshot: ClusterSnapshot, access: Visibility | undefined): ClusterSnapshot {
  return access ? snapshot.filter((o) => access.canSee(o.metadata.namespace ?? '', o.kind)) : snapshot;
}
