import { createInterface } from 'node:readline';
import { PassThrough } from 'node:stream';
import { RuntimeError, UsageError } from '../../errors.js';
import type { ProgressSink } from '../../progress.js';
import type { NetworkSpec, Stack } from '../../stack/model.js';
import {
  type ContainerStatus,
  type CreateRequest,
  createdStatus,
  type ExecResult,
  type LogLine,
  type LogOptions,
  type NetworkStatus,
  type Runtime,
  type StackDeployer,
  type StackDeployOptions,
} from '../types.js';
import { Exec, type KubeConfig } from './client.js';
import { KubeCluster, type ListedObject } from './cluster.js';
import { describeConnections, type ServiceConnection } from './connection.js';
import { type ProjectExpiry, projectExpiries } from './expiry.js';
import { contextNamespace, loadKubeConfig } from './kubeconfig.js';
import { dnsLabel, labelValue } from './names.js';
import { ANNOTATIONS, KUBE_LABELS, MANAGED_BY, networkLabel, projectSelector } from './objects.js';
import { type KubernetesDeployExtra, parseExtra, planKubernetes } from './plan.js';
import { podService, podsToStatuses, podToStatus } from './pod-status.js';
import { annotation, PROJECT_KINDS, StackApplier } from './stack-apply.js';
import { type Translation, translateStack } from './translate.js';

export type { KubernetesDeployExtra } from './plan.js';

/**
 * The kubernetes runtime: a stack is applied whole (server-side apply, field manager `kitten`,
 * in dependency order), rollouts are awaited with progress, and everything is found again by
 * the `app.kubernetes.io/part-of` label, so no state lives outside the cluster.
 */
export interface KubernetesRuntimeOptions {
  kubeconfig?: string;
  context?: string;
  /** Every project goes here; by default each project gets a namespace named after it. */
  namespace?: string;
  env?: NodeJS.ProcessEnv;
  /** An already loaded config (tests, embedding). */
  kubeConfig?: KubeConfig;
  /** How often rollouts and deletions are checked. */
  pollIntervalMs?: number;
  /** Objects applied or deleted side by side. */
  concurrency?: number;
  /** How long `down` waits for objects to be gone. */
  removeTimeoutMs?: number;
  now?: () => Date;
}

export interface GcResult extends ProjectExpiry {
  deleted: boolean;
}

export class KubernetesRuntime implements Runtime, StackDeployer {
  readonly name = 'kubernetes' as const;
  readonly cluster: KubeCluster;
  private readonly pollMs: number;
  private readonly concurrency: number;
  private readonly removeTimeoutMs: number;
  private readonly now: () => Date;
  private readonly applier: StackApplier;
  /** Pod name → namespace, learned from list(); logs and inspect use it. */
  private readonly podNamespaces = new Map<string, string>();

  constructor(private readonly options: KubernetesRuntimeOptions = {}) {
    const kc = options.kubeConfig ?? loadKubeConfig(options);
    this.cluster = new KubeCluster(kc);
    this.pollMs = options.pollIntervalMs ?? 1000;
    this.concurrency = options.concurrency ?? 16;
    this.removeTimeoutMs = options.removeTimeoutMs ?? 300_000;
    this.now = options.now ?? (() => new Date());
    this.applier = new StackApplier(this.cluster, {
      pollMs: this.pollMs,
      concurrency: this.concurrency,
      removeTimeoutMs: this.removeTimeoutMs,
    });
  }

  get kubeConfig(): KubeConfig {
    return this.cluster.kubeConfig;
  }

  /** `-n` wins; else the project's own namespace, named after it. */
  namespaceFor(project: string, override?: string): string {
    return override ?? this.options.namespace ?? dnsLabel(project);
  }

  /** The namespace kubectl would use with the same kubeconfig and context (for hints). */
  get contextNamespace(): string | undefined {
    return contextNamespace(this.cluster.kubeConfig);
  }

  async plan(stack: Stack, extra: KubernetesDeployExtra = {}): Promise<Translation> {
    return planKubernetes(
      stack,
      {
        ...extra,
        ...(extra.namespace || !this.options.namespace ? {} : { namespace: this.options.namespace }),
      },
      this.now(),
    );
  }

  // ----- StackDeployer -----------------------------------------------------------------------

  async deployStack(stack: Stack, options: StackDeployOptions, progress: ProgressSink): Promise<void> {
    const translation = await this.plan(stack, parseExtra(options.extra));
    await this.applier.deploy(stack, translation, options, progress);
  }

  async removeStack(project: string, progress: ProgressSink): Promise<void> {
    await this.applier.remove(project, this.namespaceFor(project), progress);
  }

  // ----- Runtime -----------------------------------------------------------------------------

  async list(project: string): Promise<ContainerStatus[]> {
    const namespace = this.namespaceFor(project);
    const pods = await this.cluster.list('v1', 'Pod', namespace, projectSelector(labelValue(project)));
    for (const pod of pods) this.podNamespaces.set(pod.metadata.name, namespace);
    return podsToStatuses(pods as unknown as Record<string, unknown>[], project);
  }

  async projects(): Promise<string[]> {
    const found = new Set<string>();
    const selector = `${KUBE_LABELS.managedBy}=${MANAGED_BY}`;
    const sources = this.options.namespace
      ? PROJECT_KINDS.map(({ apiVersion, kind }) =>
          this.cluster.list(apiVersion, kind, this.options.namespace, selector),
        )
      : [this.cluster.list('v1', 'Namespace', undefined, selector)];
    for (const items of await Promise.all(sources)) {
      for (const item of items) {
        const project = annotation(item, ANNOTATIONS.project) ?? item.metadata.labels?.[KUBE_LABELS.partOf];
        if (project) found.add(project);
      }
    }
    return [...found].sort();
  }

  /**
   * A pod by its own name, or by the compose-style name every runtime shares
   * (`<project>-<service>-<replica>`, replicas numbered by pod name), so `kitten logs shop-web-1`
   * means the same on every runtime.
   */
  private async locatePod(name: string): Promise<{ namespace: string; pod: ListedObject } | null> {
    const namespaces = [this.podNamespaces.get(name), this.options.namespace].filter((n): n is string =>
      Boolean(n),
    );
    for (const namespace of namespaces) {
      const pod = await this.cluster.read('v1', 'Pod', name, namespace);
      if (pod) return { namespace, pod };
    }
    const byComposeName = await this.locateByComposeName(name);
    if (byComposeName) return byComposeName;
    if (this.options.namespace) return null;
    const all = await this.cluster
      .list('v1', 'Pod', undefined, `${KUBE_LABELS.managedBy}=${MANAGED_BY}`)
      .catch(() => []);
    const pod = all.find((p) => p.metadata.name === name);
    return pod ? { namespace: String(pod.metadata.namespace), pod } : null;
  }

  private async locateByComposeName(name: string): Promise<{ namespace: string; pod: ListedObject } | null> {
    const match = /^(.+)-(\d+)$/.exec(name);
    if (!match) return null;
    const [, head, replica] = match as unknown as [string, string, string];
    // Project and service may both contain '-': try every split, shortest project first.
    for (let at = head.indexOf('-'); at > 0; at = head.indexOf('-', at + 1)) {
      const project = head.slice(0, at);
      const service = head.slice(at + 1);
      const namespace = this.namespaceFor(project);
      const pods = await this.cluster
        .list('v1', 'Pod', namespace, projectSelector(labelValue(project)))
        .catch(() => []);
      const rows = podsToStatuses(pods as unknown as Record<string, unknown>[], project);
      const row = rows.find((r) => r.service === service && r.replica === Number(replica));
      const pod = row ? pods.find((p) => p.metadata.name === row.name) : undefined;
      if (pod) {
        this.podNamespaces.set(pod.metadata.name, namespace);
        return { namespace, pod };
      }
    }
    return null;
  }

  async inspect(name: string): Promise<ContainerStatus | null> {
    const found = await this.locatePod(name);
    if (!found) return null;
    const project =
      annotation(found.pod, ANNOTATIONS.project) ?? found.pod.metadata.labels?.[KUBE_LABELS.partOf] ?? '';
    return podToStatus(found.pod as unknown as Record<string, unknown>, project, 1);
  }

  async *logs(name: string, options: LogOptions): AsyncIterable<LogLine> {
    const found = await this.locatePod(name);
    if (!found) {
      throw new RuntimeError('KUBE_POD_NOT_FOUND', `no pod ${name}`, { hint: 'list pods with `kitten ps`' });
    }
    const containers = ((found.pod.spec?.containers as { name: string }[] | undefined) ?? []).map(
      (c) => c.name,
    );
    const service = podService(found.pod as unknown as Record<string, unknown>);
    const podName = found.pod.metadata.name;
    if (options.tail === 0 && !options.follow) return;
    const stream: PassThrough = await this.cluster.podLog(found.namespace, podName, containers[0] ?? '', {
      follow: options.follow ?? false,
      ...(options.tail !== undefined ? { tail: options.tail } : {}),
      ...(options.since ? { since: options.since } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    for await (const raw of createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY })) {
      const line = String(raw);
      const space = line.indexOf(' ');
      const stamp = space > 0 ? line.slice(0, space) : '';
      const valid = !Number.isNaN(Date.parse(stamp));
      yield {
        container: podName,
        service,
        stream: 'stdout',
        time: valid ? new Date(stamp).toISOString() : this.now().toISOString(),
        text: valid ? line.slice(space + 1) : line,
      };
    }
  }

  async exec(name: string, argv: string[]): Promise<ExecResult> {
    const found = await this.locatePod(name);
    if (!found)
      throw new RuntimeError('KUBE_POD_NOT_FOUND', `no pod ${name}`, { hint: 'list pods with `kitten ps`' });
    const container = ((found.pod.spec?.containers as { name: string }[] | undefined) ?? [])[0]?.name ?? '';
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    stdout.on('data', (c: Buffer) => out.push(c));
    stderr.on('data', (c: Buffer) => err.push(c));
    const exitCode = await new Promise<number>((resolve, reject) => {
      new Exec(this.kubeConfig)
        .exec(
          found.namespace,
          found.pod.metadata.name,
          container,
          argv,
          stdout,
          stderr,
          null,
          false,
          (status) => {
            if (status.status === 'Success') resolve(0);
            else {
              const cause = status.details?.causes?.find((c) => c.reason === 'ExitCode');
              resolve(cause?.message ? Number(cause.message) : 1);
            }
          },
        )
        .catch((error: unknown) =>
          reject(
            new RuntimeError('KUBE_EXEC_FAILED', `cannot exec in pod ${name}: ${(error as Error).message}`, {
              hint: 'exec needs the pods/exec permission and a running container',
            }),
          ),
        );
    });
    return {
      exitCode,
      stdout: Buffer.concat(out).toString('utf8'),
      stderr: Buffer.concat(err).toString('utf8'),
    };
  }

  /** Networks are NetworkPolicies on a cluster: what `ps` and the orchestrator see of them. */
  async listNetworks(project: string): Promise<NetworkStatus[]> {
    const namespace = this.namespaceFor(project);
    const policies = await this.cluster.list(
      'networking.k8s.io/v1',
      'NetworkPolicy',
      namespace,
      projectSelector(labelValue(project)),
    );
    return policies
      .filter((p) => p.metadata.name.startsWith('net-'))
      .map((p) => ({
        id: p.metadata.name,
        project,
        network: p.metadata.name.slice(4),
        driver: 'bridge' as const,
        subnet: null,
        gateway: null,
      }));
  }

  async ensureNetwork(project: string, network: NetworkSpec): Promise<NetworkStatus> {
    const label = networkLabel(dnsLabel(network.name));
    const members = { matchLabels: { [KUBE_LABELS.partOf]: labelValue(project), [label]: 'true' } };
    const name = dnsLabel(`net-${network.name}`);
    await this.cluster.apply({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: {
        name,
        namespace: this.namespaceFor(project),
        labels: { [KUBE_LABELS.partOf]: labelValue(project), [KUBE_LABELS.managedBy]: MANAGED_BY },
        annotations: { [ANNOTATIONS.project]: project },
      },
      spec: {
        podSelector: members,
        policyTypes: ['Ingress'],
        ingress: [{ from: [{ podSelector: members }] }],
      },
    });
    return { id: name, project, network: network.name, driver: network.driver, subnet: null, gateway: null };
  }

  async removeNetwork(project: string, network: string): Promise<void> {
    await this.cluster.delete(
      'networking.k8s.io/v1',
      'NetworkPolicy',
      dnsLabel(`net-${network}`),
      this.namespaceFor(project),
    );
  }

  /** One container at a time is not how a cluster runs a stack: apply it as a one-service stack. */
  async createContainer(request: CreateRequest): Promise<ContainerStatus> {
    const stack: Stack = {
      project: request.project,
      file: `${request.baseDir}/kitten.yaml`,
      format: 'kitten',
      version: '1.0',
      containers: { [request.spec.name]: request.spec },
      networks: {},
    };
    const translation = translateStack(stack, { namespace: this.namespaceFor(request.project) });
    for (const object of translation.objects) await this.cluster.apply(object);
    const pods = await this.list(request.project);
    return pods.find((p) => p.service === request.spec.name) ?? createdStatus(request);
  }

  /** Starting a pod means scaling its Deployment back up to the stack's replicas. */
  async start(name: string): Promise<void> {
    await this.scaleOwner(name, 'start');
  }

  /** Stopping a pod means scaling its Deployment to zero (a cluster would restart a lone pod). */
  async stop(name: string): Promise<void> {
    await this.scaleOwner(name, 'stop');
  }

  private async scaleOwner(name: string, action: 'start' | 'stop'): Promise<void> {
    const found = await this.locatePod(name);
    if (!found)
      throw new RuntimeError('KUBE_POD_NOT_FOUND', `no pod ${name}`, { hint: 'list pods with `kitten ps`' });
    const deploymentName = found.pod.metadata.labels?.[KUBE_LABELS.name];
    const deployment = deploymentName
      ? await this.cluster.read('apps/v1', 'Deployment', deploymentName, found.namespace)
      : null;
    if (!deployment)
      throw new RuntimeError('KUBE_NOT_SCALABLE', `pod ${name} does not belong to a Kitten Deployment`, {
        hint: 'Jobs run to completion; delete them with `kitten down`',
      });
    const current = Number(deployment.spec?.replicas ?? 1);
    const remembered = Number(annotation(deployment, ANNOTATIONS.stoppedReplicas) ?? 1) || 1;
    // A merge patch, not an apply: scaling is not part of the stack, and the next `up` restores it.
    await this.cluster.mergePatch('apps/v1', 'Deployment', deployment.metadata.name, found.namespace, {
      metadata: {
        annotations: {
          [ANNOTATIONS.stoppedReplicas]: action === 'stop' ? String(current || remembered) : null,
        },
      },
      spec: { replicas: action === 'stop' ? 0 : current > 0 ? current : remembered },
    });
  }

  async remove(name: string): Promise<void> {
    const found = await this.locatePod(name);
    if (found) await this.cluster.delete('v1', 'Pod', found.pod.metadata.name, found.namespace);
  }

  async close(): Promise<void> {
    this.podNamespaces.clear();
    await this.cluster.close();
  }

  // ----- TTL environments and connect -------------------------------------------------------

  /** Every Kitten project the credentials can see, with its expiry. */
  async expiries(): Promise<ProjectExpiry[]> {
    const selector = `${KUBE_LABELS.managedBy}=${MANAGED_BY}`;
    const namespace = this.options.namespace;
    const lists = await Promise.all([
      ...(namespace ? [] : [this.cluster.list('v1', 'Namespace', undefined, selector)]),
      ...PROJECT_KINDS.map(({ apiVersion, kind }) =>
        this.cluster.list(apiVersion, kind, namespace, selector),
      ),
    ]);
    return projectExpiries(lists.flat() as unknown as Record<string, unknown>[], this.now());
  }

  /** Deletes every expired project (or, with dryRun, only reports them). */
  async collectExpired(options: { dryRun: boolean; progress?: ProgressSink }): Promise<GcResult[]> {
    const progress = options.progress ?? (() => {});
    const results: GcResult[] = [];
    for (const project of await this.expiries()) {
      if (!project.expired) continue;
      if (!options.dryRun) {
        const scoped = new KubernetesRuntime({
          ...this.options,
          kubeConfig: this.kubeConfig,
          namespace: project.namespace,
        });
        const ns = await this.cluster.read('v1', 'Namespace', project.namespace);
        const owned =
          ns?.metadata.labels?.[KUBE_LABELS.partOf] === labelValue(project.project) &&
          ns.metadata.labels?.[KUBE_LABELS.managedBy] === MANAGED_BY;
        await scoped.removeStack(project.project, progress);
        if (owned) {
          await this.cluster.delete('v1', 'Namespace', project.namespace);
          await this.applier.untilGone(
            [{ apiVersion: 'v1', kind: 'Namespace', name: project.namespace }],
            undefined,
            Date.now() + this.removeTimeoutMs,
            this.removeTimeoutMs,
          );
          progress({ resource: `namespace:${project.namespace}`, status: 'done', text: 'deleted' });
        }
      }
      results.push({ ...project, deleted: !options.dryRun });
    }
    return results;
  }

  async connections(
    project: string,
    service: string | undefined,
    kubectlFlags: string[],
  ): Promise<ServiceConnection[]> {
    const namespace = this.namespaceFor(project);
    const services = await this.cluster.list(
      'v1',
      'Service',
      namespace,
      projectSelector(labelValue(project)),
    );
    if (services.length === 0) {
      throw new RuntimeError(
        'KUBE_PROJECT_NOT_FOUND',
        `no services of project ${project} in namespace ${namespace}`,
        {
          hint: 'deploy it with `kitten up --runtime kubernetes`, or pass -n if it lives in another namespace',
        },
      );
    }
    const nodes = await this.cluster.list('v1', 'Node', undefined).catch(() => []);
    const all = describeConnections(
      services as unknown as Record<string, unknown>[],
      nodes as unknown as Record<string, unknown>[],
      { namespace, kubectlFlags },
    );
    if (!service) return all;
    const match = all.filter((c) => c.service === service || c.kubernetes_service === service);
    if (match.length === 0) {
      throw new UsageError(
        'KUBE_SERVICE_NOT_FOUND',
        `project ${project} has no service ${service} with ports`,
        {
          hint: `services with ports: ${all.map((c) => c.service).join(', ')}`,
        },
      );
    }
    return match;
  }
}
