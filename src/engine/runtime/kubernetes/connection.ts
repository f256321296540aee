import { ANNOTATIONS, KUBE_LABELS } from './objects.js';

/**
 * `kitten connect`: for each service, the ways in: a port-forward command that always works
 * (through the API server), and when the stack was deployed with --expose, node or load-balancer
 * addresses. Pure: it reads Service and Node objects already fetched.
 */
type Plain = Record<string, unknown>;

export interface Endpoint {
  address: string;
  port: number;
  protocol: 'TCP' | 'UDP';
}

export interface ServiceConnection {
  service: string;
  namespace: string;
  /** The ClusterIP Service, reachable inside the cluster at `<name>.<namespace>.svc`. */
  kubernetes_service: string;
  in_cluster: string[];
  port_forward: string[] | null;
  node_ports: Endpoint[];
  load_balancer: Endpoint[];
  /** Set when a LoadBalancer has no address yet. */
  pending: boolean;
}

function obj(value: unknown): Plain {
  return value && typeof value === 'object' ? (value as Plain) : {};
}

interface ServicePort {
  name?: string;
  port: number;
  targetPort?: number | string;
  nodePort?: number;
  protocol?: string;
}

function ports(svc: Plain): ServicePort[] {
  return ((obj(svc.spec).ports as ServicePort[] | undefined) ?? []).filter((p) => typeof p.port === 'number');
}

function stackService(svc: Plain): string {
  const m = obj(svc.metadata);
  return (
    (obj(m.annotations) as Record<string, string>)[ANNOTATIONS.service] ??
    (obj(m.labels) as Record<string, string>)[KUBE_LABELS.name] ??
    ''
  );
}

export function nodeAddresses(nodes: Plain[]): string[] {
  const external: string[] = [];
  const internal: string[] = [];
  for (const node of nodes) {
    for (const a of (obj(node.status).addresses as { type?: string; address?: string }[] | undefined) ?? []) {
      if (a.type === 'ExternalIP' && a.address) external.push(a.address);
      if (a.type === 'InternalIP' && a.address) internal.push(a.address);
    }
  }
  return external.length ? external : internal;
}

export interface ConnectionContext {
  namespace: string;
  kubectlFlags: string[];
}

/** Container port → the host port the stack published it on, so port-forward uses the same local port. */
function publishedPorts(svc: Plain): Map<number, number> {
  const text = (obj(obj(svc.metadata).annotations) as Record<string, string>)[ANNOTATIONS.published] ?? '';
  const out = new Map<number, number>();
  for (const entry of text.split(',')) {
    const m = /^(\d+):(\d+)(\/udp)?$/.exec(entry.trim());
    if (m && !m[3]) out.set(Number(m[2]), Number(m[1]));
  }
  return out;
}

export function describeConnections(
  services: Plain[],
  nodes: Plain[],
  ctx: ConnectionContext,
): ServiceConnection[] {
  const addresses = nodeAddresses(nodes);
  const byService = new Map<string, Plain[]>();
  for (const svc of services) {
    const name = stackService(svc);
    byService.set(name, [...(byService.get(name) ?? []), svc]);
  }
  const out: ServiceConnection[] = [];
  for (const service of [...byService.keys()].sort()) {
    const list = byService.get(service)!;
    const internal =
      list.find((s) => obj(s.spec).type !== 'NodePort' && obj(s.spec).type !== 'LoadBalancer') ?? list[0]!;
    const internalName = String(obj(internal.metadata).name);
    const internalPorts = ports(internal);
    const headless = obj(internal.spec).clusterIP === 'None';
    const local = publishedPorts(internal);
    const forwards = internalPorts.map((p) => `${local?.get(p.port) ?? p.port}:${p.port}`);
    const connection: ServiceConnection = {
      service,
      namespace: ctx.namespace,
      kubernetes_service: internalName,
      in_cluster: internalPorts.map((p) => `${internalName}.${ctx.namespace}.svc:${p.port}`),
      port_forward:
        forwards.length && !headless
          ? [
              'kubectl',
              ...ctx.kubectlFlags,
              '-n',
              ctx.namespace,
              'port-forward',
              `service/${internalName}`,
              ...forwards,
            ]
          : null,
      node_ports: [],
      load_balancer: [],
      pending: false,
    };
    for (const svc of list) {
      const spec = obj(svc.spec);
      if (spec.type === 'NodePort' || spec.type === 'LoadBalancer') {
        for (const p of ports(svc)) {
          if (!p.nodePort) continue;
          for (const address of addresses) {
            connection.node_ports.push({
              address,
              port: p.nodePort,
              protocol: p.protocol === 'UDP' ? 'UDP' : 'TCP',
            });
          }
        }
      }
      if (spec.type === 'LoadBalancer') {
        const ingress =
          (obj(obj(svc.status).loadBalancer).ingress as { ip?: string; hostname?: string }[] | undefined) ??
          [];
        if (ingress.length === 0) connection.pending = true;
        for (const entry of ingress) {
          const address = entry.ip ?? entry.hostname;
          if (!address) continue;
          for (const p of ports(svc))
            connection.load_balancer.push({
              address,
              port: p.port,
              protocol: p.protocol === 'UDP' ? 'UDP' : 'TCP',
            });
        }
      }
    }
    out.push(connection);
  }
  return out;
}
