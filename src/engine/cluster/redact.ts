import type { KubeObject } from './objects.js';

/**
 * What goes into a snapshot file: Secret values emptied (keys kept — the analyzers check keys,
 * never values) and server bookkeeping (managedFields) dropped. Snapshots get shared; secrets must not.
 */
export function redactForSnapshot(object: KubeObject): KubeObject {
  const { managedFields: _managed, ...metadata } = object.metadata as KubeObject['metadata'] & {
    managedFields?: unknown;
  };
  const copy: KubeObject = { ...object, metadata };
  if (object.kind === 'Secret') {
    const data = object.data as Record<string, string> | undefined;
    if (data) copy.data = Object.fromEntries(Object.keys(data).map((k) => [k, '']));
    if (object.stringData)
      copy.stringData = Object.fromEntries(Object.keys(object.stringData as object).map((k) => [k, '']));
    const annotations = { ...(metadata.annotations ?? {}) };
    // kubectl apply keeps the whole object, values included, in this annotation.
    delete annotations['kubectl.kubernetes.io/last-applied-configuration'];
    copy.metadata = { ...metadata, annotations };
  }
  return copy;
}
