import type { ContainerSpec, DependsCondition, Healthcheck } from '../../stack/model.js';
import { dnsLabel, isValidLabelKey, isValidLabelValue, portName } from './names.js';
import { ANNOTATIONS, networkLabel } from './objects.js';
import { type Context, commonAnnotations, commonLabels } from './translate-context.js';

/**
 * One stack container as a pod template: the container, its probes and resources, and the init
 * containers that wait for what it depends on.
 */

function seconds(ms: number): number {
  return Math.max(1, Math.round(ms / 1000));
}

export function probe(check: Healthcheck): Record<string, unknown> {
  return {
    exec: { command: check.test },
    periodSeconds: seconds(check.interval_ms),
    timeoutSeconds: seconds(check.timeout_ms),
    failureThreshold: Math.max(1, check.retries),
    ...(check.start_period_ms > 0 ? { initialDelaySeconds: Math.floor(check.start_period_ms / 1000) } : {}),
  };
}

export function quantityCpu(cpus: number): string {
  const milli = Math.round(cpus * 1000);
  return milli % 1000 === 0 ? String(milli / 1000) : `${milli}m`;
}

export function quantityMemory(bytes: number): string {
  for (const [unit, size] of [
    ['Gi', 1024 ** 3],
    ['Mi', 1024 ** 2],
    ['Ki', 1024],
  ] as const) {
    if (bytes % size === 0) return `${bytes / size}${unit}`;
  }
  return String(bytes);
}

export function uniquePorts(spec: ContainerSpec): { port: number; protocol: 'TCP' | 'UDP' }[] {
  const seen = new Map<string, { port: number; protocol: 'TCP' | 'UDP' }>();
  for (const p of spec.ports) {
    const protocol = p.protocol === 'udp' ? 'UDP' : 'TCP';
    seen.set(`${protocol}/${p.container}`, { port: p.container, protocol });
  }
  return [...seen.values()];
}

export function waitContainer(
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

export function podTemplate(
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
