import type { KubeconfigOptions } from './kubeconfig.js';
import { LiveSource } from './live.js';
import { SnapshotSource } from './snapshot-file.js';
import type { ClusterSource } from './source.js';

export interface SourceOptions extends KubeconfigOptions {
  /** A snapshot file; without it Kitten talks to the live cluster. */
  snapshot?: string;
  /** Namespaces to list when the access policy restricts them. */
  namespaces?: string[];
}

/** `--snapshot FILE` → the file; otherwise the kubeconfig's cluster. */
export async function openClusterSource(options: SourceOptions): Promise<ClusterSource> {
  if (options.snapshot) return SnapshotSource.open(options.snapshot);
  return LiveSource.open(options);
}
