/**
 * The Kubernetes objects Kitten writes, as plain JSON: what `--dry-run -o yaml` prints and what
 * server-side apply sends. Only the fields Kitten sets are typed; the API server fills the rest.
 */
export interface ObjectMeta {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  [field: string]: unknown;
}

/** Labels every Kitten object carries; `app.kubernetes.io/*` are the recommended Kubernetes labels. */
export const KUBE_LABELS = {
  name: 'app.kubernetes.io/name',
  partOf: 'app.kubernetes.io/part-of',
  managedBy: 'app.kubernetes.io/managed-by',
} as const;

export const MANAGED_BY = 'kitten';
export const FIELD_MANAGER = 'kitten';

export const ANNOTATIONS = {
  expiresAt: 'dev.kitten/expires-at',
  /** The stack's own service name (label values may have lost characters to sanitizing). */
  service: 'dev.kitten/service',
  project: 'dev.kitten/project',
  configHash: 'dev.kitten.config-hash',
  /** On a Service: the stack's published ports, `host:container[/udp],…`, for `kitten connect`. */
  published: 'dev.kitten/published',
  /** Replicas a stopped Deployment had, so `start` brings back as many. */
  stoppedReplicas: 'dev.kitten/stopped-replicas',
} as const;

/** The pod-template label that marks membership of a stack network (one per network). */
export function networkLabel(network: string): string {
  return `dev.kitten.network/${network}`;
}

export function projectSelector(project: string): string {
  return `${KUBE_LABELS.partOf}=${project},${KUBE_LABELS.managedBy}=${MANAGED_BY}`;
}
