import { KittenError } from '../../errors.js';
import { startLevels } from '../../stack/graph.js';
import { configHash } from '../../stack/hash.js';
import type { DependsCondition, Stack } from '../../stack/model.js';
import { assignNames, dnsLabel, labelValue, portName } from './names.js';
import { ANNOTATIONS, KUBE_LABELS, type KubeObject, networkLabel } from './objects.js';
import { podTemplate, uniquePorts, waitContainer } from './pod-template.js';
import {
  type Context,
  DEFAULT_WAIT_IMAGE,
  type ExposeMode,
  isJob,
  meta,
  selectorLabels,
  type TranslateOptions,
  type TranslationWarning,
  warn,
} from './translate-context.js';
import { checkUntranslatable } from './untranslatable.js';

export { DEFAULT_WAIT_IMAGE, type ExposeMode, type TranslateOptions, type TranslationWarning };

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
    const hash = configHash(spec);
    const selector = selectorLabels(ctx, spec.name);
    const plan: ServicePlan = {
      service: spec.name,
      workload: isJob(spec) ? 'Job' : 'Deployment',
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
