import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import { parseAllDocuments, parse as parseYaml, stringify as toYaml } from 'yaml';
import { type ControllerOptions, type ControllerStore, FakeController } from './kube-apiserver/controller.js';
import { type ExecHandler, serveExec } from './kube-apiserver/exec.js';
import {
  applyConfiguration,
  clone,
  fieldsV1,
  isObject,
  type Json,
  type JsonObject,
  jsonPatch,
  leafPaths,
  mergePatch,
  PatchError,
  strategicMergePatch,
} from './kube-apiserver/patches.js';
import {
  apiGroup,
  apiGroupList,
  BUILTIN_RESOURCES,
  groupVersion,
  inferredResource,
  type ResourceType,
  resourceId,
  resourceList,
} from './kube-apiserver/resources.js';
import {
  matchesFields,
  matchesLabels,
  parseFieldSelector,
  parseLabelSelector,
  SelectorError,
} from './kube-apiserver/selectors.js';
import { ApiFailure, failures } from './kube-apiserver/status.js';
import { StreamHub, type WatchEvent } from './kube-apiserver/streams.js';
import { validate, validateUpdate } from './kube-apiserver/validation.js';

/**
 * A loopback Kubernetes API server for tests: @kubernetes/client-node talks to it exactly as to a
 * real one (discovery, CRUD, patch, server-side apply, selectors, resourceVersion, watch streams,
 * pod logs, Status errors), objects live in memory, and tests can make it fail on purpose.
 */
export type Verb = 'get' | 'list' | 'watch' | 'create' | 'update' | 'patch' | 'delete' | 'deletecollection';

export type { ControllerOptions } from './kube-apiserver/controller.js';
export type { ExecHandler, ExecReply, ExecRequest } from './kube-apiserver/exec.js';
export type { ResourceType } from './kube-apiserver/resources.js';

export interface Injection {
  verb?: Verb | Verb[];
  /** Plural (`deployments`) or qualified (`deployments.apps`). */
  resource?: string;
  namespace?: string;
  name?: string;
  fail?: 'forbidden' | 'quota' | 'conflict' | 'already-exists' | 'internal' | 'invalid' | 'unauthorized';
  /** For `invalid`: the field errors the server reports. */
  causes?: { field: string; message: string }[];
  /** For `internal`. */
  message?: string;
  /** Answer only this many matching requests, then stop. */
  times?: number;
  /** Hold the response this long (with or without failing). */
  delayMs?: number;
}

export interface KubeApiServerOptions {
  /** Bearer token clients must present; a wrong one gets 401. Default: a random token. */
  token?: string;
  /** User named in Forbidden messages. */
  user?: string;
  /** Extra resource types (CRDs). */
  resources?: ResourceType[];
  /** Objects present at start. */
  objects?: object[];
  /** A JSON/YAML file (a List, an array, or multi-document YAML) of objects present at start. */
  snapshotFile?: string;
  /** Run the tiny controller (rollouts become ready, Jobs complete, Endpoints follow pods). */
  controller?: boolean | ControllerOptions;
  /** Deleted objects linger with a deletionTimestamp this long, as if a finalizer ran. */
  deletionDelayMs?: number;
}

interface Route {
  type: ResourceType;
  namespace: string | undefined;
  name: string | undefined;
  subresource: string | undefined;
}

export interface RecordedRequest {
  method: string;
  path: string;
  verb: Verb | undefined;
  resource: string | undefined;
  contentType: string | undefined;
}

function md(object: JsonObject): JsonObject {
  if (!isObject(object.metadata)) object.metadata = {};
  return object.metadata as JsonObject;
}

function objectKey(namespace: string | undefined, name: string): string {
  return `${namespace ?? ''}/${name}`;
}

function hasSpecGeneration(type: ResourceType): boolean {
  return ![
    'Pod',
    'ConfigMap',
    'Secret',
    'Event',
    'Endpoints',
    'ServiceAccount',
    'Namespace',
    'Node',
  ].includes(type.kind);
}

export class KubeApiServer {
  readonly token: string;
  readonly user: string;
  readonly requests: RecordedRequest[] = [];
  private server: Server | undefined;
  private types: ResourceType[];
  private store = new Map<string, Map<string, JsonObject>>();
  private appliedBy = new Map<string, Map<string, Json>>();
  private rv = 100;
  private streams = new StreamHub();
  private injections: (Injection & { used: number })[] = [];
  private execHandler: ExecHandler = () => ({
    stderr: 'exec is not scripted in the loopback API server\n',
    exitCode: 126,
  });
  private upgraded = new Set<Duplex>();
  private controller: FakeController | undefined;
  private nodePort = 30000;
  private clusterIp = 10;
  private baseUrl = '';

  constructor(private readonly options: KubeApiServerOptions = {}) {
    this.token = options.token ?? randomBytes(16).toString('hex');
    this.user = options.user ?? 'kitten-tester';
    this.types = [...BUILTIN_RESOURCES, ...(options.resources ?? [])];
    for (const ns of ['default', 'kube-system', 'kube-public']) {
      this.insert(this.typeOf('v1', 'Namespace'), {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: ns },
      });
    }
    if (options.controller) {
      const controllerOptions = options.controller === true ? {} : options.controller;
      this.insert(this.typeOf('v1', 'Node'), {
        apiVersion: 'v1',
        kind: 'Node',
        metadata: { name: 'kitten-node-1', labels: { 'kubernetes.io/hostname': 'kitten-node-1' } },
        status: {
          addresses: [
            { type: 'InternalIP', address: '192.0.2.10' },
            { type: 'Hostname', address: 'kitten-node-1' },
          ],
          conditions: [{ type: 'Ready', status: 'True' }],
        },
      });
      this.controller = new FakeController(this.controllerStore(), controllerOptions);
    }
    if (options.snapshotFile) this.seed(readSnapshot(options.snapshotFile));
    if (options.objects) this.seed(options.objects);
  }

  get url(): string {
    if (!this.baseUrl) throw new Error('the loopback API server is not started');
    return this.baseUrl;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        if (!res.headersSent) this.sendStatus(res, failures.internal(String(error)));
        else res.end();
      });
    });
    this.server.on('upgrade', (req, socket) => {
      this.upgraded.add(socket);
      socket.on('close', () => this.upgraded.delete(socket));
      this.handleUpgrade(req, socket).catch(() => socket.destroy());
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.baseUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    this.controller?.stop();
    this.streams.closeAll();
    for (const socket of this.upgraded) socket.destroy();
    if (!this.server) return;
    const server = this.server;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  // ----- test-facing API -------------------------------------------------------------------

  /** Stores objects as they are (status included), without validation or failure injection. */
  seed(objects: object[]): void {
    for (const raw of objects) {
      const object = clone(raw) as JsonObject;
      const apiVersion = String(object.apiVersion ?? 'v1');
      const kind = String(object.kind ?? '');
      if (!this.types.some((t) => groupVersion(t) === apiVersion && t.kind === kind)) {
        // A kind from a real cluster's snapshot that is not built in: serve it like a CRD.
        this.types.push(
          inferredResource(
            apiVersion,
            kind,
            isObject(object.metadata) && typeof object.metadata.namespace === 'string',
          ),
        );
      }
      this.insert(this.typeOf(apiVersion, kind), object);
    }
  }

  /** Every stored object of one kind (optionally in one namespace), sorted by namespace/name. */
  objects(apiVersion: string, kind: string, namespace?: string): JsonObject[] {
    const type = this.typeOf(apiVersion, kind);
    return this.all(resourceId(type), namespace).map((o) => clone(o));
  }

  get(apiVersion: string, kind: string, namespace: string | undefined, name: string): JsonObject | undefined {
    const type = this.typeOf(apiVersion, kind);
    const found = this.bucket(type).get(objectKey(type.namespaced ? namespace : undefined, name));
    return found ? clone(found) : undefined;
  }

  inject(injection: Injection): void {
    this.injections.push({ ...injection, used: 0 });
  }

  clearInjections(): void {
    this.injections = [];
  }

  /** What `exec` in a pod prints and returns (the loopback server runs no containers). */
  onExec(handler: ExecHandler): void {
    this.execHandler = handler;
  }

  appendLog(namespace: string, pod: string, container: string, line: string): void {
    this.streams.appendLog(namespace, pod, container, line);
  }

  /** The number of watch streams currently open (tests check they were closed). */
  get openWatches(): number {
    return this.streams.openWatches;
  }

  /**
   * Ends the open `logs --follow` streams of a pod that still exists (a server timeout or
   * restart); returns how many it ended.
   */
  endLogFollows(namespace: string, pod: string): number {
    return this.streams.endLogFollows(namespace, pod);
  }

  /** The number of `logs --follow` streams currently open. */
  get openLogFollows(): number {
    return this.streams.openLogFollows;
  }

  // ----- storage -----------------------------------------------------------------------------

  private typeOf(apiVersion: string, kind: string): ResourceType {
    const type = this.types.find((t) => groupVersion(t) === apiVersion && t.kind === kind);
    if (!type) throw new Error(`the loopback API server does not serve ${apiVersion} ${kind}`);
    return type;
  }

  private bucket(type: ResourceType): Map<string, JsonObject> {
    const id = resourceId(type);
    let bucket = this.store.get(id);
    if (!bucket) {
      bucket = new Map();
      this.store.set(id, bucket);
    }
    return bucket;
  }

  private all(resource: string, namespace?: string): JsonObject[] {
    const bucket = this.store.get(resource);
    if (!bucket) return [];
    return [...bucket.entries()]
      .filter(([key]) => namespace === undefined || key.startsWith(`${namespace}/`))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, o]) => o);
  }

  private insert(type: ResourceType, object: JsonObject): JsonObject {
    const meta = md(object);
    if (!meta.name && typeof meta.generateName === 'string')
      meta.name = `${meta.generateName}${randomBytes(3).toString('hex').slice(0, 5)}`;
    if (!type.namespaced) delete meta.namespace;
    else if (!meta.namespace) meta.namespace = 'default';
    object.apiVersion = groupVersion(type);
    object.kind = type.kind;
    meta.uid = meta.uid ?? randomUUID();
    meta.creationTimestamp = meta.creationTimestamp ?? new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    if (hasSpecGeneration(type)) meta.generation = 1;
    this.defaults(type, object);
    meta.resourceVersion = String(++this.rv);
    this.bucket(type).set(objectKey(meta.namespace as string | undefined, String(meta.name)), object);
    this.emit(type, 'ADDED', object);
    return object;
  }

  private replaceStored(type: ResourceType, object: JsonObject): JsonObject {
    const meta = md(object);
    meta.resourceVersion = String(++this.rv);
    this.bucket(type).set(objectKey(meta.namespace as string | undefined, String(meta.name)), object);
    this.emit(type, 'MODIFIED', object);
    return object;
  }

  /** Removes now, or marks for deletion when finalizers (real or simulated) hold it. */
  private removeStored(type: ResourceType, object: JsonObject, immediate = false): JsonObject {
    const meta = md(object);
    const finalizers = Array.isArray(meta.finalizers) ? meta.finalizers : [];
    const delay = this.options.deletionDelayMs ?? 0;
    if (!immediate && (finalizers.length > 0 || delay > 0)) {
      if (!meta.deletionTimestamp) {
        meta.deletionTimestamp = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
        this.replaceStored(type, object);
      }
      if (finalizers.length === 0) {
        // No finalizer left: the simulated one finishes after the delay.
        setTimeout(() => {
          const key = objectKey(meta.namespace as string | undefined, String(meta.name));
          const current = this.bucket(type).get(key);
          if (current && md(current).uid === meta.uid) this.removeStored(type, current, true);
        }, delay).unref();
      }
      return object;
    }
    const key = objectKey(meta.namespace as string | undefined, String(meta.name));
    this.bucket(type).delete(key);
    this.appliedBy.delete(`${resourceId(type)}|${key}`);
    meta.resourceVersion = String(++this.rv);
    this.emit(type, 'DELETED', object);
    this.collectDependents(String(meta.uid));
    if (type.kind === 'Namespace') {
      for (const t of this.types.filter((x) => x.namespaced)) {
        for (const child of this.all(resourceId(t), String(meta.name))) this.removeStored(t, child, true);
      }
    }
    if (type.kind === 'Pod') this.streams.podGone(String(meta.namespace), String(meta.name));
    return object;
  }

  /** The garbage collector: objects whose owner is gone go too (background propagation). */
  private collectDependents(uid: string): void {
    for (const type of this.types) {
      for (const object of this.all(resourceId(type))) {
        const refs = md(object).ownerReferences;
        if (Array.isArray(refs) && refs.some((r) => isObject(r) && r.uid === uid))
          this.removeStored(type, object, true);
      }
    }
  }

  private defaults(type: ResourceType, object: JsonObject): void {
    if (type.kind === 'Namespace') object.status = { phase: 'Active' };
    if (type.kind === 'Service') {
      if (!isObject(object.spec)) object.spec = {};
      const spec = object.spec as JsonObject;
      spec.type = spec.type ?? 'ClusterIP';
      if (!spec.clusterIP)
        spec.clusterIP = spec.type === 'ExternalName' ? null : `10.96.0.${this.clusterIp++ % 250}`;
      spec.sessionAffinity = spec.sessionAffinity ?? 'None';
      const ports = Array.isArray(spec.ports) ? (spec.ports as JsonObject[]) : [];
      for (const port of ports) {
        port.protocol = port.protocol ?? 'TCP';
        port.targetPort = port.targetPort ?? port.port ?? null;
        if ((spec.type === 'NodePort' || spec.type === 'LoadBalancer') && !port.nodePort)
          port.nodePort = this.nodePort++;
      }
      if (!isObject(object.status)) object.status = { loadBalancer: {} };
    }
    if (type.kind === 'Deployment' && isObject(object.spec)) {
      const spec = object.spec;
      spec.replicas = spec.replicas ?? 1;
      spec.revisionHistoryLimit = spec.revisionHistoryLimit ?? 10;
      spec.strategy = spec.strategy ?? {
        type: 'RollingUpdate',
        rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' },
      };
    }
    if (type.kind === 'Job' && isObject(object.spec)) {
      const spec = object.spec;
      const uid = String(md(object).uid);
      spec.backoffLimit = spec.backoffLimit ?? 6;
      spec.completions = spec.completions ?? 1;
      spec.parallelism = spec.parallelism ?? 1;
      if (!spec.selector) spec.selector = { matchLabels: { 'batch.kubernetes.io/controller-uid': uid } };
      if (!isObject(spec.template)) spec.template = {};
      const template = spec.template as JsonObject;
      if (!isObject(template.metadata)) template.metadata = {};
      const tmeta = template.metadata as JsonObject;
      tmeta.labels = {
        ...(isObject(tmeta.labels) ? tmeta.labels : {}),
        'batch.kubernetes.io/controller-uid': uid,
      };
    }
    if (type.kind === 'Pod' && !isObject(object.status)) object.status = { phase: 'Pending' };
  }

  private emit(type: ResourceType, eventType: WatchEvent['type'], object: JsonObject): void {
    this.streams.publish(this.rv, resourceId(type), eventType, object);
    this.controller?.notice(resourceId(type), object);
  }

  private controllerStore(): ControllerStore {
    const byId = (resource: string) => {
      const type = this.types.find((t) => resourceId(t) === resource);
      if (!type) throw new Error(`unknown resource ${resource}`);
      return type;
    };
    return {
      all: (resource, namespace) => this.all(resource, namespace).map((o) => clone(o)),
      create: (resource, object) => clone(this.insert(byId(resource), clone(object))),
      write: (resource, object) => clone(this.replaceStored(byId(resource), clone(object))),
      remove: (resource, namespace, name) => {
        const type = byId(resource);
        const found = this.bucket(type).get(objectKey(namespace, name));
        if (found) this.removeStored(type, found, true);
      },
      appendLog: (namespace, pod, container, line) => this.appendLog(namespace, pod, container, line),
    };
  }

  // ----- HTTP --------------------------------------------------------------------------------

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://loopback');
    const path = url.pathname.replace(/\/+$/, '') || '/';
    const method = req.method ?? 'GET';
    const body = await readBody(req);
    const contentType = req.headers['content-type']?.split(';')[0]?.trim();
    const recorded: RecordedRequest = { method, path, verb: undefined, resource: undefined, contentType };
    this.requests.push(recorded);
    try {
      if (req.headers.authorization !== `Bearer ${this.token}`) throw failures.unauthorized();
      if (path === '/version')
        return this.sendJson(res, 200, {
          major: '1',
          minor: '31',
          gitVersion: 'v1.31.0-kitten-loopback',
          platform: 'linux/amd64',
        });
      if (path === '/healthz' || path === '/readyz' || path === '/livez')
        return this.sendText(res, 200, 'ok');
      const discovery = this.discovery(path);
      if (discovery) return this.sendJson(res, 200, discovery);
      const route = this.route(path);
      if (!route) throw failures.pathNotFound();
      const verb = this.verbOf(method, route, url);
      recorded.verb = verb;
      recorded.resource = route.type.plural;
      await this.applyInjections(verb, route);
      await this.serve(req, res, verb, route, url, body, contentType);
    } catch (error) {
      if (error instanceof ApiFailure) return this.sendStatus(res, error);
      if (error instanceof SelectorError || error instanceof PatchError)
        return this.sendStatus(res, failures.badRequest(error.message));
      throw error;
    }
  }

  /** WebSocket upgrades: only pods/exec, authorised and routed like any other request. */
  private async handleUpgrade(req: IncomingMessage, socket: Duplex): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://loopback');
    const refuse = (failure: ApiFailure) => {
      const body = JSON.stringify(failure.body);
      socket.end(
        `HTTP/1.1 ${failure.body.code} ${failure.body.reason}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
      );
    };
    this.requests.push({
      method: 'GET',
      path: url.pathname,
      verb: 'get',
      resource: 'pods/exec',
      contentType: undefined,
    });
    if (req.headers.authorization !== `Bearer ${this.token}`) return refuse(failures.unauthorized());
    const m = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/exec$/.exec(url.pathname);
    if (!m) return refuse(failures.pathNotFound());
    const [, namespace, name] = m as unknown as [string, string, string];
    const podType = this.typeOf('v1', 'Pod');
    try {
      await this.applyInjections('create', { type: podType, namespace, name, subresource: 'exec' });
    } catch (error) {
      if (error instanceof ApiFailure) return refuse(error);
      throw error;
    }
    const pod = this.bucket(podType).get(objectKey(namespace, name));
    if (!pod) return refuse(failures.notFound(podType, name));
    const containers = ((pod.spec as JsonObject)?.containers as JsonObject[] | undefined) ?? [];
    const container = url.searchParams.get('container') ?? String(containers[0]?.name ?? '');
    if (!containers.some((c) => c.name === container)) {
      return refuse(failures.badRequest(`container ${container} is not valid for pod ${name}`));
    }
    await serveExec(
      req,
      socket,
      { namespace, pod: name, container, command: url.searchParams.getAll('command') },
      this.execHandler,
    );
  }

  private discovery(path: string): Record<string, unknown> | undefined {
    if (path === '/api') return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [] };
    if (path === '/apis') return apiGroupList(this.types);
    const core = /^\/api\/(v1)$/.exec(path);
    if (core) return resourceList(this.types, 'v1');
    const grouped = /^\/apis\/([^/]+)\/([^/]+)$/.exec(path);
    if (grouped) return resourceList(this.types, `${grouped[1]}/${grouped[2]}`);
    const group = /^\/apis\/([^/]+)$/.exec(path);
    if (group) {
      const versions = [...new Set(this.types.filter((t) => t.group === group[1]).map((t) => t.version))];
      return versions.length ? apiGroup(group[1]!, versions) : undefined;
    }
    return undefined;
  }

  private route(path: string): Route | undefined {
    const m = /^\/(?:api\/(v1)|apis\/([^/]+)\/([^/]+))\/(.+)$/.exec(path);
    if (!m) return undefined;
    const gv = m[1] ?? `${m[2]}/${m[3]}`;
    const rest = m[4]!.split('/').map(decodeURIComponent);
    let namespace: string | undefined;
    let segments = rest;
    if (rest[0] === 'namespaces' && rest.length >= 3) {
      namespace = rest[1];
      segments = rest.slice(2);
    }
    const [plural, name, subresource] = segments;
    const type = this.types.find((t) => groupVersion(t) === gv && t.plural === plural);
    if (!type) return undefined;
    if (namespace !== undefined && !type.namespaced) return undefined;
    if (subresource && !(type.subresources ?? []).includes(subresource)) return undefined;
    return { type, namespace, name, subresource };
  }

  private verbOf(method: string, route: Route, url: URL): Verb {
    const watch = url.searchParams.get('watch');
    switch (method) {
      case 'GET':
        if (route.name) return 'get';
        return watch === 'true' || watch === '1' ? 'watch' : 'list';
      case 'POST':
        return 'create';
      case 'PUT':
        return 'update';
      case 'PATCH':
        return 'patch';
      case 'DELETE':
        return route.name ? 'delete' : 'deletecollection';
      default:
        throw failures.methodNotAllowed();
    }
  }

  private async applyInjections(verb: Verb, route: Route): Promise<void> {
    for (const rule of this.injections) {
      const verbs = rule.verb === undefined ? undefined : Array.isArray(rule.verb) ? rule.verb : [rule.verb];
      if (verbs && !verbs.includes(verb)) continue;
      if (
        rule.resource &&
        rule.resource !== route.type.plural &&
        rule.resource !== `${route.type.plural}.${route.type.group}`
      )
        continue;
      if (rule.namespace && rule.namespace !== route.namespace) continue;
      if (rule.name && rule.name !== route.name) continue;
      if (rule.times !== undefined && rule.used >= rule.times) continue;
      rule.used++;
      if (rule.delayMs) await new Promise((resolve) => setTimeout(resolve, rule.delayMs));
      const name = route.name ?? '';
      switch (rule.fail) {
        case undefined:
          break;
        case 'forbidden':
          throw failures.forbidden(route.type, verb, this.user, route.name, route.namespace);
        case 'quota':
          throw failures.quotaExceeded(route.type, name, 'compute-resources', `count/${route.type.plural}`);
        case 'conflict':
          throw failures.conflict(route.type, name);
        case 'already-exists':
          throw failures.alreadyExists(route.type, name);
        case 'internal':
          throw failures.internal(rule.message ?? 'etcdserver: request timed out');
        case 'invalid':
          throw failures.invalid(
            route.type,
            name,
            rule.causes ?? [{ field: 'spec', message: 'Invalid value' }],
          );
        case 'unauthorized':
          throw failures.unauthorized();
      }
    }
  }

  private requireNamespace(route: Route, name = route.name ?? ''): void {
    if (!route.type.namespaced || route.namespace === undefined) return;
    const ns = this.bucket(this.typeOf('v1', 'Namespace')).get(objectKey(undefined, route.namespace));
    if (!ns) throw failures.namespaceNotFound(route.namespace);
    if (md(ns).deletionTimestamp) throw failures.namespaceTerminating(route.type, name, route.namespace);
  }

  private async serve(
    req: IncomingMessage,
    res: ServerResponse,
    verb: Verb,
    route: Route,
    url: URL,
    body: string,
    contentType: string | undefined,
  ): Promise<void> {
    const { type } = route;
    const q = url.searchParams;
    const dryRun = q.get('dryRun') === 'All';
    if (route.subresource === 'log') return this.serveLog(req, res, route, q);
    if (type.virtual) {
      if (verb !== 'create') throw failures.methodNotAllowed();
      return this.sendJson(res, 201, this.accessReview(parseBody(body, contentType)));
    }
    switch (verb) {
      case 'get': {
        const found = this.find(route);
        return this.sendJson(res, 200, found);
      }
      case 'list':
        return this.sendJson(res, 200, this.list(route, q));
      case 'watch':
        return this.watch(req, res, route, q);
      case 'create': {
        if (type.namespaced && route.namespace === undefined) throw failures.methodNotAllowed();
        const object = parseBody(body, contentType);
        const meta = md(object);
        this.requireNamespace(route, typeof meta.name === 'string' ? meta.name : '');
        if (route.namespace !== undefined) {
          if (meta.namespace && meta.namespace !== route.namespace) {
            throw failures.badRequest(
              'the namespace of the provided object does not match the namespace sent on the request',
            );
          }
          meta.namespace = route.namespace;
        }
        if (!meta.name && typeof meta.generateName === 'string')
          meta.name = `${meta.generateName}${randomBytes(3).toString('hex').slice(0, 5)}`;
        this.check(type, object);
        const name = String(meta.name);
        if (this.bucket(type).has(objectKey(route.namespace, name))) throw failures.alreadyExists(type, name);
        delete meta.resourceVersion;
        delete meta.uid;
        if (dryRun) return this.sendJson(res, 201, object);
        this.recordManager(type, route.namespace, name, q.get('fieldManager') ?? 'unknown', null);
        return this.sendJson(res, 201, clone(this.insert(type, object)));
      }
      case 'update': {
        const existing = this.find(route);
        const object = parseBody(body, contentType);
        const meta = md(object);
        if (meta.name !== undefined && meta.name !== route.name) {
          throw failures.badRequest(
            `the name of the object (${meta.name}) does not match the name on the URL (${route.name})`,
          );
        }
        meta.name = route.name!;
        if (type.namespaced) meta.namespace = route.namespace!;
        if (meta.resourceVersion && meta.resourceVersion !== md(existing).resourceVersion)
          throw failures.conflict(type, route.name!);
        return this.sendJson(res, 200, this.commitUpdate(type, route, existing, object, dryRun));
      }
      case 'patch': {
        const existing = this.findForPatch(route, contentType);
        const patch = parseBody(body, contentType);
        if (!existing) {
          // Server-side apply creates what is missing.
          this.requireNamespace(route);
          const object = patch;
          const meta = md(object);
          if (type.namespaced) meta.namespace = route.namespace!;
          meta.name = meta.name ?? route.name!;
          this.check(type, object);
          if (dryRun) return this.sendJson(res, 201, object);
          const manager = this.requireManager(q);
          this.recordManager(type, route.namespace, route.name!, manager, object);
          const created = this.insert(type, object);
          this.stampManagedFields(type, route, created);
          return this.sendJson(res, 201, clone(created));
        }
        let next: Json;
        if (contentType === 'application/apply-patch+yaml') {
          const manager = this.requireManager(q);
          const force = q.get('force') === 'true';
          this.checkApplyConflicts(type, route, manager, patch, force);
          const previous =
            this.appliedBy
              .get(`${resourceId(type)}|${objectKey(route.namespace, route.name!)}`)
              ?.get(manager) ?? null;
          next = applyConfiguration(existing, previous, patch);
          if (!dryRun) this.recordManager(type, route.namespace, route.name!, manager, patch);
        } else if (contentType === 'application/json-patch+json')
          next = jsonPatch(existing, patch as unknown as Json);
        else if (contentType === 'application/merge-patch+json') next = mergePatch(existing, patch);
        else if (contentType === 'application/strategic-merge-patch+json')
          next = strategicMergePatch(existing, patch);
        else throw failures.unsupportedMediaType(String(contentType));
        if (!isObject(next)) throw failures.badRequest('patch produced a non-object');
        md(next).name = route.name!;
        if (type.namespaced) md(next).namespace = route.namespace!;
        const updated = this.commitUpdate(type, route, existing, next, dryRun);
        return this.sendJson(res, 200, updated);
      }
      case 'delete': {
        const existing = this.bucket(type).get(objectKey(route.namespace, route.name!));
        if (!existing) throw failures.notFound(type, route.name!);
        if (dryRun) return this.sendJson(res, 200, clone(existing));
        const removed = this.removeStored(type, existing);
        return this.sendJson(res, 200, clone(removed));
      }
      case 'deletecollection': {
        const list = this.list(route, q);
        const items: JsonObject[] = [];
        for (const item of this.matching(route, q)) {
          if (!dryRun) this.removeStored(type, item);
          items.push(clone(item));
        }
        return this.sendJson(res, 200, { ...list, items });
      }
    }
  }

  private requireManager(q: URLSearchParams): string {
    const manager = q.get('fieldManager');
    if (!manager)
      throw failures.badRequest(
        'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch',
      );
    return manager;
  }

  private find(route: Route): JsonObject {
    const found = this.bucket(route.type).get(objectKey(route.namespace, route.name!));
    if (!found) throw failures.notFound(route.type, route.name!);
    return clone(found);
  }

  private findForPatch(route: Route, contentType: string | undefined): JsonObject | undefined {
    const found = this.bucket(route.type).get(objectKey(route.namespace, route.name!));
    if (found) return clone(found);
    if (contentType === 'application/apply-patch+yaml' && !route.subresource) return undefined;
    throw failures.notFound(route.type, route.name!);
  }

  private check(type: ResourceType, object: JsonObject): void {
    const causes = validate(type, object);
    if (causes.length > 0) throw failures.invalid(type, String(md(object).name ?? ''), causes);
  }

  private commitUpdate(
    type: ResourceType,
    route: Route,
    existing: JsonObject,
    incoming: JsonObject,
    dryRun: boolean,
  ): JsonObject {
    const next = clone(incoming);
    const meta = md(next);
    const old = md(existing);
    // What the server owns stays the server's.
    meta.uid = old.uid!;
    meta.creationTimestamp = old.creationTimestamp!;
    if (old.deletionTimestamp) meta.deletionTimestamp = old.deletionTimestamp;
    next.apiVersion = groupVersion(type);
    next.kind = type.kind;
    if (route.subresource === 'status') {
      next.spec = existing.spec ?? null;
      if (existing.spec === undefined) delete next.spec;
      meta.generation = old.generation ?? null;
      if (old.generation === undefined) delete meta.generation;
    } else if ((type.subresources ?? []).includes('status')) {
      if (existing.status === undefined) delete next.status;
      else next.status = existing.status;
    }
    if (route.subresource !== 'status' && hasSpecGeneration(type)) {
      const specChanged = JSON.stringify(existing.spec ?? null) !== JSON.stringify(next.spec ?? null);
      meta.generation = Number(old.generation ?? 1) + (specChanged ? 1 : 0);
    }
    if (type.kind === 'Service' && isObject(next.spec) && isObject(existing.spec)) {
      next.spec.clusterIP = next.spec.clusterIP ?? existing.spec.clusterIP ?? null;
      const oldPorts = Array.isArray(existing.spec.ports) ? (existing.spec.ports as JsonObject[]) : [];
      for (const port of Array.isArray(next.spec.ports) ? (next.spec.ports as JsonObject[]) : []) {
        const before = oldPorts.find((p) => p.port === port.port);
        if (!port.nodePort && before?.nodePort && next.spec.type !== 'ClusterIP')
          port.nodePort = before.nodePort;
      }
    }
    this.defaults(type, next);
    if (type.kind === 'Namespace') next.status = existing.status ?? { phase: 'Active' };
    this.check(type, next);
    const frozen = validateUpdate(type, existing, next);
    if (frozen.length > 0) throw failures.invalid(type, String(meta.name), frozen);
    if (dryRun) return next;
    const unchanged =
      JSON.stringify({ ...next, metadata: { ...meta, resourceVersion: undefined } }) ===
      JSON.stringify({ ...existing, metadata: { ...old, resourceVersion: undefined } });
    if (unchanged) return existing;
    const stored = this.replaceStored(type, next);
    this.stampManagedFields(type, route, stored);
    // A marked-for-deletion object whose finalizers are cleared goes now.
    const finalizers = Array.isArray(meta.finalizers) ? meta.finalizers : [];
    if (meta.deletionTimestamp && finalizers.length === 0) this.removeStored(type, stored);
    return clone(stored);
  }

  private recordManager(
    type: ResourceType,
    namespace: string | undefined,
    name: string,
    manager: string,
    applied: JsonObject | null,
  ): void {
    const key = `${resourceId(type)}|${objectKey(namespace, name)}`;
    const managers = this.appliedBy.get(key) ?? new Map<string, Json>();
    if (applied) {
      const owned = clone(applied);
      delete owned.apiVersion;
      delete owned.kind;
      const meta = md(owned);
      delete meta.name;
      delete meta.namespace;
      if (Object.keys(meta).length === 0) delete owned.metadata;
      managers.set(manager, owned);
    }
    this.appliedBy.set(key, managers);
  }

  private stampManagedFields(type: ResourceType, route: Route, stored: JsonObject): void {
    const managers = this.appliedBy.get(
      `${resourceId(type)}|${objectKey(route.namespace, route.name ?? String(md(stored).name))}`,
    );
    if (!managers) return;
    md(stored).managedFields = [...managers].map(([manager, applied]) => ({
      manager,
      operation: 'Apply',
      apiVersion: groupVersion(type),
      time: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
      fieldsType: 'FieldsV1',
      fieldsV1: fieldsV1(applied),
    }));
  }

  private checkApplyConflicts(
    type: ResourceType,
    route: Route,
    manager: string,
    patch: JsonObject,
    force: boolean,
  ): void {
    if (force) return;
    const managers = this.appliedBy.get(`${resourceId(type)}|${objectKey(route.namespace, route.name!)}`);
    if (!managers) return;
    const mine = clone(patch);
    delete mine.apiVersion;
    delete mine.kind;
    const mineLeaves = leafPaths(mine);
    for (const [other, applied] of managers) {
      if (other === manager || applied === null) continue;
      const theirs = leafPaths(applied);
      const clashes = [...mineLeaves]
        .filter(
          ([path, value]) => !path.startsWith('.metadata') && theirs.has(path) && theirs.get(path) !== value,
        )
        .map(([path]) => path);
      if (clashes.length > 0) throw failures.applyConflict(type, route.name!, other, clashes);
    }
  }

  private matching(route: Route, q: URLSearchParams): JsonObject[] {
    const labels = parseLabelSelector(q.get('labelSelector'));
    const fields = parseFieldSelector(q.get('fieldSelector'));
    return this.all(resourceId(route.type), route.namespace).filter(
      (o) =>
        matchesLabels(labels, md(o).labels as Record<string, string> | undefined) && matchesFields(fields, o),
    );
  }

  private list(route: Route, q: URLSearchParams): JsonObject {
    let items = this.matching(route, q);
    const limit = Number(q.get('limit') ?? 0);
    const token = q.get('continue');
    if (token) {
      let start: string;
      try {
        start = String(JSON.parse(Buffer.from(token, 'base64').toString('utf8')).start);
      } catch {
        throw failures.badRequest('continue key is not valid: illegal base64 data');
      }
      items = items.filter(
        (o) => objectKey(md(o).namespace as string | undefined, String(md(o).name)) >= start,
      );
    }
    const metadata: JsonObject = { resourceVersion: String(this.rv) };
    if (limit > 0 && items.length > limit) {
      const next = items[limit]!;
      metadata.continue = Buffer.from(
        JSON.stringify({ start: objectKey(md(next).namespace as string | undefined, String(md(next).name)) }),
      ).toString('base64');
      metadata.remainingItemCount = items.length - limit;
      items = items.slice(0, limit);
    }
    return {
      kind: `${route.type.kind}List`,
      apiVersion: groupVersion(route.type),
      metadata,
      items: items.map((o) => {
        const item = clone(o);
        if (route.type.builtin) {
          delete item.apiVersion;
          delete item.kind;
        }
        return item;
      }),
    };
  }

  private watch(req: IncomingMessage, res: ServerResponse, route: Route, q: URLSearchParams): void {
    this.streams.watch(req, res, {
      resource: resourceId(route.type),
      namespace: route.namespace,
      labels: parseLabelSelector(q.get('labelSelector')),
      fields: parseFieldSelector(q.get('fieldSelector')),
      from: q.get('resourceVersion'),
      current: () => this.matching(route, q),
      currentRv: this.rv,
      bookmark:
        q.get('allowWatchBookmarks') === 'true'
          ? { kind: route.type.kind, apiVersion: groupVersion(route.type) }
          : null,
      timeoutSeconds: Number(q.get('timeoutSeconds') ?? 0),
    });
  }

  private serveLog(req: IncomingMessage, res: ServerResponse, route: Route, q: URLSearchParams): void {
    const pod = this.find(route);
    const containers = ((pod.spec as JsonObject)?.containers as JsonObject[] | undefined) ?? [];
    const container = q.get('container') ?? (containers.length === 1 ? String(containers[0]!.name) : '');
    if (!container) {
      throw failures.badRequest(
        `a container name must be specified for pod ${route.name}, choose one of: [${containers.map((c) => c.name).join(' ')}]`,
      );
    }
    if (!containers.some((c) => c.name === container)) {
      throw failures.badRequest(`container ${container} is not valid for pod ${route.name}`);
    }
    this.streams.serveLog(req, res, `${route.namespace}/${route.name}/${container}`, q);
  }

  private accessReview(review: JsonObject): JsonObject {
    const spec = isObject(review.spec) ? review.spec : {};
    const attrs = isObject(spec.resourceAttributes) ? spec.resourceAttributes : {};
    const denied = this.injections.some((rule) => {
      if (rule.fail !== 'forbidden') return false;
      const verbs = rule.verb === undefined ? undefined : Array.isArray(rule.verb) ? rule.verb : [rule.verb];
      if (verbs && !verbs.includes(attrs.verb as Verb)) return false;
      if (rule.resource && rule.resource !== attrs.resource) return false;
      if (rule.namespace && attrs.namespace && rule.namespace !== attrs.namespace) return false;
      return true;
    });
    return {
      ...review,
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SelfSubjectAccessReview',
      status: denied
        ? { allowed: false, denied: true, reason: 'forbidden by the loopback server' }
        : { allowed: true, reason: 'allowed by the loopback server' },
    };
  }

  private sendJson(res: ServerResponse, code: number, body: unknown): void {
    const text = JSON.stringify(body);
    res.writeHead(code, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  }

  private sendText(res: ServerResponse, code: number, text: string): void {
    res.writeHead(code, { 'content-type': 'text/plain', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  }

  private sendStatus(res: ServerResponse, failure: ApiFailure): void {
    this.sendJson(res, failure.body.code, failure.body);
  }
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function parseBody(body: string, contentType: string | undefined): JsonObject {
  let parsed: unknown;
  try {
    // Apply bodies may be YAML; most clients send JSON, which is YAML too but far faster to parse as JSON.
    parsed =
      contentType === 'application/apply-patch+yaml' && !/^\s*[{[]/.test(body)
        ? parseYaml(body)
        : JSON.parse(body);
  } catch (error) {
    throw failures.badRequest(`error decoding request body: ${(error as Error).message}`);
  }
  if (contentType === 'application/json-patch+json' && Array.isArray(parsed))
    return parsed as unknown as JsonObject;
  if (!isObject(parsed)) throw failures.badRequest('the request body must be an object');
  return parsed;
}

/** Objects from a List, an array, or multi-document YAML/JSON. */
export function readSnapshot(file: string): object[] {
  const text = readFileSync(file, 'utf8');
  const docs = parseAllDocuments(text).map((d) => d.toJSON() as unknown);
  const out: object[] = [];
  for (const doc of docs) {
    if (Array.isArray(doc)) out.push(...(doc as object[]));
    else if (isObject(doc) && Array.isArray(doc.items)) out.push(...(doc.items as object[]));
    else if (isObject(doc)) out.push(doc);
  }
  return out;
}

export async function startKubeApiServer(options: KubeApiServerOptions = {}): Promise<KubeApiServer> {
  return new KubeApiServer(options).start();
}

/** Writes a kubeconfig for the loopback server (token auth) and returns its path. */
export async function writeKubeconfig(
  server: KubeApiServer,
  dir: string,
  options: { token?: string; namespace?: string; context?: string; file?: string } = {},
): Promise<string> {
  const context = options.context ?? 'loopback';
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'loopback', cluster: { server: server.url, 'insecure-skip-tls-verify': true } }],
    users: [{ name: 'tester', user: { token: options.token ?? server.token } }],
    contexts: [
      {
        name: context,
        context: {
          cluster: 'loopback',
          user: 'tester',
          ...(options.namespace ? { namespace: options.namespace } : {}),
        },
      },
    ],
    'current-context': context,
  };
  const path = join(dir, options.file ?? 'kubeconfig');
  await writeFile(path, toYaml(config), { mode: 0o600 });
  return path;
}
