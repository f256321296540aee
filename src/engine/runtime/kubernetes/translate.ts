import { createHash } from 'node:crypto';
import { dirname, isAbsolute, relative } from 'node:path';
import { KittenError } from '../../errors.js';
import { startLevels } from '../../stack/graph.js';
import type { ContainerSpec, DependsCondition, Healthcheck, Stack } from '../../stack/model.js';
import { LABELS } from '../types.js';
import { assignNames, dnsLabel, isValidLabelKey, isValidLabelValue, labelValue, portName } from './names.js';
import { ANNOTATIONS, KUBE_LABELS, type KubeObject, MANAGED_BY, networkLabel } from './objects.js';

/**
 * Stack → Kubernetes objects, as a pure function: the same stack and options give the same
 * objects byte for byte (golden files depend on it). Each container becomes a Deployment (or a
 * Job for an explicit run-once restart policy), containers with ports get a ClusterIP Service
 * named after them so `db:5432` resolves as it does under compose, bridge networks become
 * NetworkPolicies, and depends_on becomes init containers that wait on the dependency's Service.
 */
export type ExposeMode = 'none' | 'nodeport' | 'loadbalancer';

export interface TranslateOptions {
  namespace: string;
  /** The project owns its namespace: emit the Namespace object (and `down` may delete it). */
  ownNamespace?: boolean;
  /** Published ports (`8080:80`) become a `<name>-public` NodePort or LoadBalancer Service. */
  expose?: ExposeMode;
  /** TTL environments: every object is annotated with this instant. */
  expiresAt?: Date | null;
  /** Untranslatable fields fail the translation instead of warning. */
  strict?: boolean;
  /**
   * Services whose stack entry sets `restart` itself. The normalized stack reads an absent
   * restart as "no"; only an explicit "no" means run-once (a Job).
   */
  declaredRestart?: ReadonlySet<string>;
  /** Image of the init containers that wait for dependencies (needs nslookup and nc). */
  waitImage?: string;
  clusterDomain?: string;
}

export interface TranslationWarning {
  service: string | null;
  /** Where in the stack: `containers.db.volumes[0]`. */
  path: string;
  message: string;
}

export interface DependencyWait {
  service: string;
  condition: DependsCondition;
  /** How the wait is expressed: an init container, or by Kitten ordering the apply. */
  how: 'init-container' | 'apply-order';
}

export interface ServicePlan {
  service: string;
  workload: 'Deployment' | 'Job';
  name: string;
  replicas: number;
  /** Why this workload kind, in words for the plan. */
  reason: string;
  /** Service objects selecting this workload's pods. */
  services: string[];
  waitsFor: DependencyWait[];
  level: number;
  notes: string[];
}

export interface Translation {
  namespace: string;
  objects: KubeObject[];
  warnings: TranslationWarning[];
  services: ServicePlan[];
  levels: string[][];
}

export const DEFAULT_WAIT_IMAGE = 'busybox:1.36';

interface Context {
  stack: Stack;
  options: Required<Omit<TranslateOptions, 'expiresAt' | 'declaredRestart'>> & {
    expiresAt: Date | null;
    declaredRestart: ReadonlySet<string> | null;
  };
  names: Map<string, string>;
  project: string;
  warnings: TranslationWarning[];
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Same rule as every runtime: depends_on and replicas never force a new rollout. */
export function kubeConfigHash(spec: ContainerSpec): string {
  const { depends_on: _deps, replicas: _replicas, ...rest } = spec;
  return createHash('sha256').update(canonicalJson(rest)).digest('hex');
}

function isJob(ctx: Context, spec: ContainerSpec): boolean {
  if (spec.restart.policy === 'on-failure') return true;
  if (spec.restart.policy !== 'no') return false;
  return ctx.options.declaredRestart?.has(spec.name) ?? false;
}

function selectorLabels(ctx: Context, service: string): Record<string, string> {
  return {
    [KUBE_LABELS.name]: ctx.names.get(service)!,
    [KUBE_LABELS.partOf]: ctx.project,
  };
}

function commonLabels(ctx: Context, service?: string): Record<string, string> {
  return {
    ...(service ? { [KUBE_LABELS.name]: ctx.names.get(service)! } : {}),
    [KUBE_LABELS.partOf]: ctx.project,
    [KUBE_LABELS.managedBy]: MANAGED_BY,
    [LABELS.project]: ctx.project,
    ...(service ? { [LABELS.service]: labelValue(service) } : {}),
  };
}

/** Pod templates leave out the expiry: a new TTL on every `up` must not restart every pod. */
function commonAnnotations(ctx: Context, service?: string, withExpiry = true): Record<string, string> {
  return {
    [ANNOTATIONS.project]: ctx.stack.project,
    ...(service ? { [ANNOTATIONS.service]: service } : {}),
    ...(withExpiry && ctx.options.expiresAt
      ? { [ANNOTATIONS.expiresAt]: ctx.options.expiresAt.toISOString() }
      : {}),
  };
}

function meta(ctx: Context, name: string, service?: string, extraAnnotations: Record<string, string> = {}) {
  return {
    name,
    namespace: ctx.options.namespace,
    labels: commonLabels(ctx, service),
    annotations: { ...commonAnnotations(ctx, service), ...extraAnnotations },
  };
}

function warn(ctx: Context, service: string | null, path: string, message: string): void {
  ctx.warnings.push({ service, path, message });
}

function seconds(ms: number): number {
  return Math.max(1, Math.round(ms / 1000));
}

function probe(check: Healthcheck): Record<string, unknown> {
  return {
    exec: { command: check.test },
    periodSeconds: seconds(check.interval_ms),
    timeoutSeconds: seconds(check.timeout_ms),
    failureThreshold: Math.max(1, check.retries),
    ...(check.start_period_ms > 0 ? { initialDelaySeconds: Math.floor(check.start_period_ms / 1000) } : {}),
  };
}

function quantityCpu(cpus: number): string {
  const milli = Math.round(cpus * 1000);
  return milli % 1000 === 0 ? String(milli / 1000) : `${milli}m`;
}

function quantityMemory(bytes: number): string {
  for (const [unit, size] of [
    ['Gi', 1024 ** 3],
    ['Mi', 1024 ** 2],
    ['Ki', 1024],
  ] as const) {
    if (bytes % size === 0) return `${bytes / size}${unit}`;
  }
  return String(bytes);
}

function uniquePorts(spec: ContainerSpec): { port: number; protocol: 'TCP' | 'UDP' }[] {
  const seen = new Map<string, { port: number; protocol: 'TCP' | 'UDP' }>();
  for (const p of spec.ports) {
    const protocol = p.protocol === 'udp' ? 'UDP' : 'TCP';
    seen.set(`${protocol}/${p.container}`, { port: p.container, protocol });
  }
  return [...seen.values()];
}

function checkUntranslatable(ctx: Context, spec: ContainerSpec): void {
  const at = `containers.${spec.name}`;
  const base = dirname(ctx.stack.file);
  spec.volumes.forEach((v, i) => {
    const shown = isAbsolute(v.source) && ctx.stack.file ? relative(base, v.source) || '.' : v.source;
    warn(
      ctx,
      spec.name,
      `${at}.volumes[${i}]`,
      `host bind mount ${shown.startsWith('..') || isAbsolute(shown) ? shown : `./${shown}`}:${v.target} is not translated (cluster nodes do not have that path); mount a PersistentVolumeClaim instead`,
    );
  });
  for (const attachment of spec.networks) {
    const network = ctx.stack.networks[attachment.name];
    if (network?.driver === 'host') {
      warn(
        ctx,
        spec.name,
        `${at}.network`,
        'network "host" is not translated; the pod uses the cluster network',
      );
    } else if (network?.driver === 'none') {
      warn(
        ctx,
        spec.name,
        `${at}.network`,
        'network "none" is not translated; the pod uses the cluster network',
      );
    }
    if (attachment.ip) {
      warn(
        ctx,
        spec.name,
        `${at}.networks.${attachment.name}.ip`,
        `static IP ${attachment.ip} is not translated (the cluster assigns pod addresses); reach the service by its name ${ctx.names.get(spec.name)}`,
      );
    }
  }
  spec.ports.forEach((p, i) => {
    if (p.host_ip && p.host_ip !== '0.0.0.0' && p.host !== null) {
      warn(
        ctx,
        spec.name,
        `${at}.ports[${i}]`,
        `bind address ${p.host_ip} is not translated; use --expose or \`kitten connect\``,
      );
    }
  });
  if (spec.image === 'host' || spec.image.startsWith('.') || spec.image.startsWith('/')) {
    warn(
      ctx,
      spec.name,
      `${at}.image`,
      `image "${spec.image}" is a local root filesystem for the native runtime; a cluster can only pull registry images`,
    );
  }
  const invalidLabels = Object.keys(spec.labels).filter(
    (k) => !isValidLabelKey(k) || !isValidLabelValue(spec.labels[k] ?? ''),
  );
  if (invalidLabels.length > 0) {
    warn(
      ctx,
      spec.name,
      `${at}.labels`,
      `label${invalidLabels.length > 1 ? 's' : ''} ${invalidLabels.join(', ')} not valid on Kubernetes; values that are not valid label values are kept as annotations`,
    );
  }
}

function waitContainer(
  ctx: Context,
  dep: ContainerSpec,
  condition: DependsCondition,
  hasService: boolean,
): Record<string, unknown> {
  const name = ctx.names.get(dep.name)!;
  const host = `${name}.${ctx.options.namespace}.svc.${ctx.options.clusterDomain}`;
  const ports = uniquePorts(dep).filter((p) => p.protocol === 'TCP');
  const check =
    condition === 'healthy' && ports.length > 0 && hasService
      ? `nc -z -w 2 ${host} ${ports[0]!.port}`
      : `nslookup ${host} >/dev/null 2>&1`;
  const what = condition === 'healthy' ? `${name} to be ready` : `${name} to start`;
  return {
    name: dnsLabel(`wait-for-${name}`),
    image: ctx.options.waitImage,
    command: ['/bin/sh', '-c', `until ${check}; do echo "waiting for ${what}"; sleep 2; done`],
    resources: { requests: { cpu: '10m', memory: '16Mi' }, limits: { cpu: '100m', memory: '32Mi' } },
  };
}

function podTemplate(
  ctx: Context,
  spec: ContainerSpec,
  hash: string,
  initContainers: Record<string, unknown>[],
  restartPolicy: string,
) {
  const name = ctx.names.get(spec.name)!;
  const validUserLabels = Object.fromEntries(
    Object.entries(spec.labels).filter(([k, v]) => isValidLabelKey(k) && isValidLabelValue(v)),
  );
  const invalidUserLabels = Object.fromEntries(
    Object.entries(spec.labels).filter(([k, v]) => isValidLabelKey(k) && !isValidLabelValue(v)),
  );
  const networkLabels: Record<string, string> = {};
  for (const attachment of spec.networks) {
    if (ctx.stack.networks[attachment.name]?.driver === 'bridge')
      networkLabels[networkLabel(dnsLabel(attachment.name))] = 'true';
  }
  const env = Object.keys(spec.environment)
    .sort()
    .map((k) => ({ name: k, value: spec.environment[k] }));
  const ports = uniquePorts(spec);
  const resources: Record<string, Record<string, string>> = {};
  if (spec.resources.cpus !== null || spec.resources.memory !== null) {
    const amounts: Record<string, string> = {};
    if (spec.resources.cpus !== null) amounts.cpu = quantityCpu(spec.resources.cpus);
    if (spec.resources.memory !== null) amounts.memory = quantityMemory(spec.resources.memory);
    resources.requests = { ...amounts };
    resources.limits = { ...amounts };
  }
  const container: Record<string, unknown> = {
    name,
    image: spec.image,
    ...(spec.command ? { command: spec.command } : {}),
    ...(spec.workdir && spec.workdir !== '/' ? { workingDir: spec.workdir } : {}),
    ...(env.length ? { env } : {}),
    ...(ports.length
      ? {
          ports: ports.map((p) => ({
            name: portName(p.protocol, p.port),
            containerPort: p.port,
            protocol: p.protocol,
          })),
        }
      : {}),
    ...(Object.keys(resources).length ? { resources } : {}),
    ...(spec.healthcheck
      ? { readinessProbe: probe(spec.healthcheck), livenessProbe: probe(spec.healthcheck) }
      : {}),
  };
  const hostname = dnsLabel(spec.hostname);
  return {
    metadata: {
      labels: { ...validUserLabels, ...commonLabels(ctx, spec.name), ...networkLabels },
      annotations: {
        ...invalidUserLabels,
        ...commonAnnotations(ctx, spec.name, false),
        [ANNOTATIONS.configHash]: hash,
      },
    },
    spec: {
      ...(spec.hostname && hostname === spec.hostname && hostname !== name ? { hostname } : {}),
      ...(initContainers.length ? { initContainers } : {}),
      containers: [container],
      restartPolicy,
    },
  };
}

/** Which services need a Service object, and whether it must publish pods before they are ready. */
function serviceNeeds(stack: Stack): Map<string, { ports: boolean; headlessReadyOnly: boolean | null }> {
  const needs = new Map<string, { ports: boolean; headlessReadyOnly: boolean | null }>();
  for (const spec of Object.values(stack.containers)) {
    if (spec.ports.length > 0) needs.set(spec.name, { ports: true, headlessReadyOnly: null });
  }
  for (const spec of Object.values(stack.containers)) {
    for (const [dep, { condition }] of Object.entries(spec.depends_on)) {
      if (!stack.containers[dep] || condition === 'completed') continue;
      const current = needs.get(dep);
      if (current?.ports) continue;
      const readyOnly = condition === 'healthy' || (current?.headlessReadyOnly ?? false);
      needs.set(dep, { ports: false, headlessReadyOnly: readyOnly });
    }
  }
  return needs;
}

export function translateStack(stack: Stack, options: TranslateOptions): Translation {
  const project = labelValue(stack.project);
  const ctx: Context = {
    stack,
    project,
    options: {
      namespace: options.namespace,
      ownNamespace: options.ownNamespace ?? false,
      expose: options.expose ?? 'none',
      expiresAt: options.expiresAt ?? null,
      strict: options.strict ?? false,
      declaredRestart: options.declaredRestart ?? null,
      waitImage: options.waitImage ?? DEFAULT_WAIT_IMAGE,
      clusterDomain: options.clusterDomain ?? 'cluster.local',
    },
    // `-public` and `-published` name the exposing Service and NetworkPolicy: leave room for them.
    names: assignNames(Object.keys(stack.containers), 53),
    warnings: [],
  };
  const specs = Object.values(stack.containers);
  const levels = startLevels(new Map(specs.map((s) => [s.name, Object.keys(s.depends_on)])));
  const levelOf = new Map(levels.flatMap((level, i) => level.map((name) => [name, i] as const)));
  const needs = serviceNeeds(stack);

  const namespaceObjects: KubeObject[] = [];
  if (ctx.options.ownNamespace) {
    const { namespace: _ns, ...m } = meta(ctx, options.namespace);
    namespaceObjects.push({ apiVersion: 'v1', kind: 'Namespace', metadata: m });
  }

  const policies: KubeObject[] = [];
  const usedNetworks = new Set(specs.flatMap((s) => s.networks.map((n) => n.name)));
  for (const network of Object.values(stack.networks)) {
    if (network.driver !== 'bridge' || !usedNetworks.has(network.name)) continue;
    const label = networkLabel(dnsLabel(network.name));
    const members = { matchLabels: { [KUBE_LABELS.partOf]: project, [label]: 'true' } };
    policies.push({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: meta(ctx, dnsLabel(`net-${network.name}`)),
      spec: {
        podSelector: members,
        policyTypes: ['Ingress'],
        ingress: [{ from: [{ podSelector: members }] }],
      },
    });
  }

  const services: KubeObject[] = [];
  const reservedServiceNames = new Set([...ctx.names.values()].flatMap((n) => [n, `${n}-public`]));
  const workloads: KubeObject[] = [];
  const plans: ServicePlan[] = [];
  for (const spec of specs) {
    checkUntranslatable(ctx, spec);
    const name = ctx.names.get(spec.name)!;
    if (name !== spec.name) {
      warn(
        ctx,
        spec.name,
        `containers.${spec.name}`,
        `"${spec.name}" is not a valid DNS name; in the cluster it is "${name}"`,
      );
    }
  }
  for (const spec of specs) {
    const name = ctx.names.get(spec.name)!;
    const hash = kubeConfigHash(spec);
    const selector = selectorLabels(ctx, spec.name);
    const plan: ServicePlan = {
      service: spec.name,
      workload: isJob(ctx, spec) ? 'Job' : 'Deployment',
      name,
      replicas: spec.replicas,
      reason: '',
      services: [],
      waitsFor: [],
      level: levelOf.get(spec.name) ?? 0,
      notes: [],
    };
    const need = needs.get(spec.name);
    if (need) {
      const ports = uniquePorts(spec);
      const publishedPorts = spec.ports
        .filter((p) => p.host !== null)
        .map((p) => `${p.host}:${p.container}${p.protocol === 'udp' ? '/udp' : ''}`);
      services.push({
        apiVersion: 'v1',
        kind: 'Service',
        metadata: meta(
          ctx,
          name,
          spec.name,
          publishedPorts.length ? { [ANNOTATIONS.published]: publishedPorts.join(',') } : {},
        ),
        spec: need.ports
          ? {
              type: 'ClusterIP',
              selector,
              ports: ports.map((p) => ({
                name: portName(p.protocol, p.port),
                port: p.port,
                targetPort: p.port,
                protocol: p.protocol,
              })),
            }
          : { clusterIP: 'None', selector, publishNotReadyAddresses: !need.headlessReadyOnly },
      });
      plan.services.push(name);
    }
    const published = spec.ports.filter((p) => p.host !== null);
    if (published.length > 0 && ctx.options.expose !== 'none') {
      const type = ctx.options.expose === 'nodeport' ? 'NodePort' : 'LoadBalancer';
      const publicPorts = published.map((p) => {
        const protocol = p.protocol === 'udp' ? 'UDP' : 'TCP';
        const host = p.host!;
        const inRange = host >= 30000 && host <= 32767;
        if (type === 'NodePort' && !inRange) {
          plan.notes.push(
            `host port ${host} is outside the NodePort range 30000-32767; the cluster picks one (see \`kitten connect\`)`,
          );
        }
        return {
          name: portName(protocol, host),
          port: type === 'LoadBalancer' ? host : p.container,
          targetPort: p.container,
          protocol,
          ...(type === 'NodePort' && inRange ? { nodePort: host } : {}),
        };
      });
      const publicName = `${name}-public`;
      services.push({
        apiVersion: 'v1',
        kind: 'Service',
        metadata: meta(ctx, publicName, spec.name),
        spec: { type, selector, ports: publicPorts },
      });
      plan.services.push(publicName);
      if (policies.length > 0) {
        policies.push({
          apiVersion: 'networking.k8s.io/v1',
          kind: 'NetworkPolicy',
          metadata: meta(ctx, `${name}-published`, spec.name),
          spec: {
            podSelector: { matchLabels: selector },
            policyTypes: ['Ingress'],
            ingress: [
              {
                ports: published.map((p) => ({
                  port: p.container,
                  protocol: p.protocol === 'udp' ? 'UDP' : 'TCP',
                })),
              },
            ],
          },
        });
      }
    } else if (published.length > 0) {
      plan.notes.push(
        `publishes ${published.map((p) => `${p.host}→${p.container}`).join(', ')}: reach it with \`kitten connect ${stack.project} ${spec.name}\` or deploy with --expose`,
      );
    }
    if (spec.hostname && spec.hostname !== spec.name && need?.ports) {
      const alias = dnsLabel(spec.hostname);
      const taken = reservedServiceNames.has(alias);
      if (taken)
        plan.notes.push(
          `hostname ${spec.hostname} is already the name of another Service; reach it as ${name}`,
        );
      if (alias === spec.hostname && !taken) {
        reservedServiceNames.add(alias);
        services.push({
          apiVersion: 'v1',
          kind: 'Service',
          metadata: meta(ctx, alias, spec.name),
          spec: {
            type: 'ClusterIP',
            selector,
            ports: uniquePorts(spec).map((p) => ({
              name: portName(p.protocol, p.port),
              port: p.port,
              targetPort: p.port,
              protocol: p.protocol,
            })),
          },
        });
        plan.services.push(alias);
      }
    }

    const initContainers: Record<string, unknown>[] = [];
    for (const [dep, { condition }] of Object.entries(spec.depends_on).sort(([a], [b]) => (a < b ? -1 : 1))) {
      const depSpec = stack.containers[dep];
      if (!depSpec) continue;
      if (condition === 'completed') {
        plan.waitsFor.push({ service: dep, condition, how: 'apply-order' });
        plan.notes.push(
          `waits for ${dep} to complete: Kitten applies it after the ${dep} Job succeeds (plain \`kubectl apply\` does not wait)`,
        );
        continue;
      }
      plan.waitsFor.push({ service: dep, condition, how: 'init-container' });
      initContainers.push(waitContainer(ctx, depSpec, condition, Boolean(needs.get(dep)?.ports)));
    }

    if (plan.workload === 'Job') {
      const retries = spec.restart.policy === 'on-failure' ? (spec.restart.max_retries ?? 6) : 0;
      plan.reason =
        spec.restart.policy === 'on-failure'
          ? `restart: on-failure${spec.restart.max_retries !== null ? `:${spec.restart.max_retries}` : ''} runs to completion: a Job (backoffLimit ${retries})`
          : 'restart: "no" runs once: a Job (backoffLimit 0)';
      workloads.push({
        apiVersion: 'batch/v1',
        kind: 'Job',
        metadata: meta(ctx, name, spec.name, { [ANNOTATIONS.configHash]: hash }),
        spec: {
          backoffLimit: retries,
          completions: spec.replicas,
          parallelism: spec.replicas,
          template: podTemplate(
            ctx,
            spec,
            hash,
            initContainers,
            spec.restart.policy === 'on-failure' ? 'OnFailure' : 'Never',
          ),
        },
      });
    } else {
      plan.reason =
        spec.restart.policy === 'no'
          ? 'a long-running service: a Deployment (the cluster restarts it)'
          : `restart: ${spec.restart.policy}: a Deployment`;
      workloads.push({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: meta(ctx, name, spec.name, { [ANNOTATIONS.configHash]: hash }),
        spec: {
          replicas: spec.replicas,
          selector: { matchLabels: selector },
          template: podTemplate(ctx, spec, hash, initContainers, 'Always'),
        },
      });
    }
    plans.push(plan);
  }

  if (ctx.options.strict && ctx.warnings.length > 0) {
    const first = ctx.warnings[0]!;
    throw new KittenError(
      'KUBE_UNTRANSLATABLE',
      `${ctx.warnings.length} field${ctx.warnings.length === 1 ? '' : 's'} cannot run on Kubernetes as written; first: ${first.path}: ${first.message}`,
      {
        hint: 'change the stack, or drop --strict to deploy with these fields left out',
        details: { warnings: ctx.warnings },
      },
    );
  }

  const byName = (a: KubeObject, b: KubeObject) =>
    a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0;
  const orderedWorkloads = workloads
    .map((w, i) => ({ w, level: plans[i]!.level, i }))
    .sort((a, b) => a.level - b.level || a.i - b.i)
    .map((x) => x.w);
  return {
    namespace: options.namespace,
    objects: [...namespaceObjects, ...policies.sort(byName), ...services.sort(byName), ...orderedWorkloads],
    warnings: ctx.warnings,
    services: plans,
    levels,
  };
}
