import type { IncomingMessage, ServerResponse } from 'node:http';
import { clone, isObject, type JsonObject } from './patches.js';
import { type FieldRequirement, matchesFields, matchesLabels, type Requirement } from './selectors.js';
import { failures } from './status.js';

/**
 * The long-lived responses of the loopback API server: watch streams (one JSON event per line,
 * resumable from a resourceVersion while it is still in the retained history, 410 Gone after)
 * and pod logs (timestamped lines, tail/since filters, follow until the pod goes).
 */
export interface WatchEvent {
  rv: number;
  resource: string;
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  object: JsonObject;
}

export interface WatchFilter {
  resource: string;
  namespace: string | undefined;
  labels: Requirement[];
  fields: FieldRequirement[];
}

export interface WatchRequest extends WatchFilter {
  /** `resourceVersion` from the query: absent or "0" means "current state first". */
  from: string | null;
  /** The objects that match now, sent as ADDED when starting from current state. */
  current: () => JsonObject[];
  currentRv: number;
  bookmark: { kind: string; apiVersion: string } | null;
  timeoutSeconds: number;
}

const HISTORY = 10_000;

function wants(filter: WatchFilter, event: WatchEvent): boolean {
  if (filter.resource !== event.resource) return false;
  const meta = isObject(event.object.metadata) ? event.object.metadata : {};
  if (filter.namespace !== undefined && meta.namespace !== filter.namespace) return false;
  return (
    matchesLabels(filter.labels, meta.labels as Record<string, string> | undefined) &&
    matchesFields(filter.fields, event.object)
  );
}

export class StreamHub {
  private history: WatchEvent[] = [];
  private watchers = new Set<WatchFilter & { send: (event: WatchEvent) => void }>();
  private logs = new Map<string, string[]>();
  private followers = new Map<string, Set<(line: string | null) => void>>();
  private open = new Set<ServerResponse>();

  get openWatches(): number {
    return this.watchers.size;
  }

  get openLogFollows(): number {
    return [...this.followers.values()].reduce((n, set) => n + set.size, 0);
  }

  publish(rv: number, resource: string, type: WatchEvent['type'], object: JsonObject): void {
    const event: WatchEvent = { rv, resource, type, object: clone(object) };
    this.history.push(event);
    if (this.history.length > HISTORY) this.history.splice(0, this.history.length - HISTORY);
    for (const watcher of this.watchers) if (wants(watcher, event)) watcher.send(event);
  }

  watch(req: IncomingMessage, res: ServerResponse, request: WatchRequest): void {
    res.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
    // A real server sends headers at once; clients wait for them before the first event.
    res.flushHeaders();
    this.open.add(res);
    const write = (type: string, object: unknown) => res.write(`${JSON.stringify({ type, object })}\n`);
    const watcher = { ...request, send: (event: WatchEvent) => write(event.type, event.object) };
    if (!request.from || request.from === '0') {
      for (const object of request.current()) write('ADDED', object);
    } else {
      const since = Number(request.from);
      const oldest = this.history[0]?.rv ?? request.currentRv;
      if (since < oldest - 1) {
        write('ERROR', failures.gone(request.from).body);
        res.end();
        this.open.delete(res);
        return;
      }
      for (const event of this.history) if (event.rv > since && wants(watcher, event)) watcher.send(event);
    }
    if (request.bookmark)
      write('BOOKMARK', { ...request.bookmark, metadata: { resourceVersion: String(request.currentRv) } });
    this.watchers.add(watcher);
    const timer =
      request.timeoutSeconds > 0 ? setTimeout(() => res.end(), request.timeoutSeconds * 1000) : undefined;
    timer?.unref();
    const finish = () => {
      this.watchers.delete(watcher);
      this.open.delete(res);
      clearTimeout(timer);
    };
    req.on('close', finish);
    res.on('close', finish);
  }

  appendLog(namespace: string, pod: string, container: string, line: string): void {
    const key = `${namespace}/${pod}/${container}`;
    const stamped = `${new Date().toISOString()} ${line}`;
    const lines = this.logs.get(key) ?? [];
    lines.push(stamped);
    this.logs.set(key, lines);
    for (const follower of this.followers.get(key) ?? []) follower(stamped);
  }

  /** A deleted pod ends every follow of its logs. */
  podGone(namespace: string, pod: string): number {
    const prefix = `${namespace}/${pod}/`;
    let ended = 0;
    for (const [key, followers] of this.followers) {
      if (!key.startsWith(prefix)) continue;
      for (const f of [...followers]) {
        f(null);
        ended++;
      }
    }
    return ended;
  }

  /**
   * Ends every follow of a pod's logs while the pod stays, as an API server or kubelet does when
   * a long request times out or the server restarts.
   */
  endLogFollows(namespace: string, pod: string): number {
    return this.podGone(namespace, pod);
  }

  serveLog(req: IncomingMessage, res: ServerResponse, key: string, q: URLSearchParams): void {
    const timestamps = q.get('timestamps') === 'true';
    const render = (stamped: string) => (timestamps ? stamped : stamped.slice(stamped.indexOf(' ') + 1));
    const stampOf = (l: string) => Date.parse(l.slice(0, l.indexOf(' ')));
    let lines = this.logs.get(key) ?? [];
    const sinceSeconds = Number(q.get('sinceSeconds') ?? 0);
    if (sinceSeconds > 0) lines = lines.filter((l) => stampOf(l) >= Date.now() - sinceSeconds * 1000);
    const sinceTime = q.get('sinceTime');
    if (sinceTime) lines = lines.filter((l) => stampOf(l) >= Date.parse(sinceTime));
    const tail = Number(q.get('tailLines') ?? -1);
    if (tail >= 0) lines = lines.slice(Math.max(0, lines.length - tail));
    res.writeHead(200, { 'content-type': 'text/plain', 'transfer-encoding': 'chunked' });
    res.flushHeaders();
    for (const line of lines) res.write(`${render(line)}\n`);
    if (q.get('follow') !== 'true') {
      res.end();
      return;
    }
    this.open.add(res);
    const followers = this.followers.get(key) ?? new Set();
    const follower = (line: string | null) => {
      if (line !== null) return res.write(`${render(line)}\n`);
      // Ended now, not when the socket closes: a line appended in between must not be written.
      finish();
      res.end();
    };
    followers.add(follower);
    this.followers.set(key, followers);
    const finish = () => {
      followers.delete(follower);
      this.open.delete(res);
    };
    req.on('close', finish);
    res.on('close', finish);
  }

  closeAll(): void {
    for (const res of this.open) res.end();
    this.open.clear();
    this.watchers.clear();
  }
}
