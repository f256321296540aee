import type { KubeObject } from './objects.js';
import type { ClusterSnapshot } from './snapshot.js';

export interface ListOptions {
  /** One namespace; omitted means every namespace the source (and access policy) allows. */
  namespace?: string;
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface WatchEvent {
  type: WatchEventType;
  object: KubeObject;
}

export interface WatchHandle {
  stop(): void;
}

/**
 * Where cluster objects come from: a snapshot file or a live API server. The TUI and every codex
 * command read through this one interface.
 */
export interface ClusterSource {
  /** Human description for headers: the snapshot file or the kube context. */
  readonly description: string;
  /** `snapshot` sources never change; `live` ones can be watched. */
  readonly mode: 'snapshot' | 'live';
  list(kind: string, options?: ListOptions): Promise<KubeObject[]>;
  /** Every kind the analyzers need, in one snapshot. */
  snapshot(options?: ListOptions): Promise<ClusterSnapshot>;
  watch?(
    kind: string,
    options: ListOptions,
    onEvent: (event: WatchEvent) => void,
    onError: (error: Error) => void,
  ): Promise<WatchHandle>;
  /** Last log lines of a container, where the source can reach them (live only). */
  logs?(namespace: string, pod: string, options?: { container?: string; tail?: number }): Promise<string>;
  /**
   * A container's log as it is written: the last `tail` lines, then each new line as it arrives,
   * until the pod goes or `signal` aborts. Sources that cannot hold a stream open leave it out.
   */
  followLogs?(namespace: string, pod: string, options: FollowOptions): AsyncIterable<string>;
  /** One object as the server has it now, or null when it has none by that name (live only). */
  get?(kind: string, namespace: string, name: string): Promise<KubeObject | null>;
}

export interface FollowOptions {
  container?: string;
  tail?: number;
  /** Each line starts with its RFC 3339 time and a space, as `kubectl logs --timestamps`. */
  timestamps?: boolean;
  /**
   * Only lines written at or after this RFC 3339 time (the server may round it down to the
   * second); takes the place of `tail`, to resume a follow where it ended.
   */
  sinceTime?: string;
  signal: AbortSignal;
}
