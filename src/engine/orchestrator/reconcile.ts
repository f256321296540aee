import { type ContainerStatus, containerName, type NetworkStatus } from '../runtime/types.js';
import { configHash } from '../stack/hash.js';
import type { Stack } from '../stack/model.js';
import { startOrder } from '../stack/plan.js';
import type { Plan, Step, StepKind } from './plan.js';

export interface Observed {
  containers: ContainerStatus[];
  networks: NetworkStatus[];
}

export interface ReconcileOptions {
  removeOrphans?: boolean;
  /** Recreate every container even when its config is unchanged. */
  forceRecreate?: boolean;
  /** Only these services (and what they depend on). */
  services?: string[];
}

/** Networks a runtime has to create; `host` and `none` are the runtime's own. */
function needsCreation(driver: string): boolean {
  return driver === 'bridge';
}

/**
 * Desired stack vs. what the runtime reports → the steps that make them equal. Unchanged running
 * containers are left alone; a changed config hash means stop, remove, create, start.
 */
export function reconcile(stack: Stack, observed: Observed, options: ReconcileOptions = {}): Plan {
  const steps: Step[] = [];
  const warnings: string[] = [];
  const unchanged: string[] = [];
  const add = (
    kind: StepKind,
    resource: string,
    reason: string,
    deps: number[],
    extra: Partial<Step> = {},
  ): number => {
    const id = steps.length + 1;
    steps.push({ id, kind, resource, reason, deps: [...new Set(deps)].sort((a, b) => a - b), ...extra });
    return id;
  };

  const wanted = selectServices(stack, options.services);
  const byName = new Map(observed.containers.map((c) => [c.name, c]));
  const existingNetworks = new Map(observed.networks.map((n) => [n.network, n]));

  // Networks first: every container create waits for the networks it joins.
  const networkStep = new Map<string, number>();
  const usedNetworks = new Set(
    [...wanted].flatMap((s) => stack.containers[s]?.networks.map((n) => n.name) ?? []),
  );
  for (const name of usedNetworks) {
    const net = stack.networks[name];
    if (!net || !needsCreation(net.driver)) continue;
    const existing = existingNetworks.get(name);
    if (!existing) {
      networkStep.set(name, add('create-network', `network:${name}`, 'missing', [], { network: net }));
    } else if (net.subnet && existing.subnet && existing.subnet !== net.subnet) {
      warnings.push(
        `network ${name} exists with subnet ${existing.subnet}, the file says ${net.subnet}: run \`kitten down\` first to recreate it`,
      );
    }
  }

  // Per service: the step after which dependants may start, by condition.
  const startedStep = new Map<string, number[]>();
  const healthyStep = new Map<string, number>();
  const completedStep = new Map<string, number>();
  const dependedOn = new Map<string, Set<'healthy' | 'completed'>>();
  for (const s of wanted) {
    for (const [dep, { condition }] of Object.entries(stack.containers[s]?.depends_on ?? {})) {
      if (condition === 'started') continue;
      const set = dependedOn.get(dep) ?? new Set();
      set.add(condition);
      dependedOn.set(dep, set);
    }
  }

  for (const level of startOrder(stack)) {
    for (const service of level) {
      if (!wanted.has(service)) continue;
      const spec = stack.containers[service]!;
      const hash = configHash(spec);
      const gate: number[] = [];
      for (const [dep, { condition }] of Object.entries(spec.depends_on)) {
        if (condition === 'healthy' && healthyStep.has(dep)) gate.push(healthyStep.get(dep)!);
        else if (condition === 'completed' && completedStep.has(dep)) gate.push(completedStep.get(dep)!);
        else gate.push(...(startedStep.get(dep) ?? []));
      }
      const netDeps = spec.networks
        .map((n) => networkStep.get(n.name))
        .filter((id): id is number => id !== undefined);
      const starts: number[] = [];
      for (let replica = 1; replica <= spec.replicas; replica++) {
        const name = containerName(stack.project, service, replica);
        const resource = `container:${name}`;
        const ids = { service, replica, container: name };
        const current = byName.get(name);
        let removed: number | undefined;
        if (current && (current.config_hash !== hash || options.forceRecreate)) {
          const why = options.forceRecreate ? 'recreate forced' : 'config changed';
          const stop =
            current.state === 'running' || current.state === 'restarting'
              ? add('stop-container', resource, why, [], ids)
              : undefined;
          removed = add('remove-container', resource, why, stop ? [stop] : [], ids);
        }
        if (!current || removed !== undefined) {
          const created = add(
            'create-container',
            resource,
            current ? 'config changed' : 'no existing container',
            [...netDeps, ...(removed ? [removed] : [])],
            ids,
          );
          starts.push(add('start-container', resource, 'created', [created, ...gate], ids));
        } else if (current.state === 'running' || current.state === 'restarting') {
          unchanged.push(name);
        } else {
          starts.push(add('start-container', resource, `was ${current.state}`, gate, ids));
        }
      }
      startedStep.set(service, starts);
      const conditions = dependedOn.get(service);
      const first = `container:${containerName(stack.project, service, 1)}`;
      if (conditions?.has('healthy')) {
        healthyStep.set(
          service,
          add('wait-healthy', first, 'a dependant waits for it to be healthy', starts, {
            service,
            replica: 1,
            container: containerName(stack.project, service, 1),
          }),
        );
      }
      if (conditions?.has('completed')) {
        completedStep.set(
          service,
          add('wait-completed', first, 'a dependant waits for it to complete', starts, {
            service,
            replica: 1,
            container: containerName(stack.project, service, 1),
          }),
        );
      }
    }
  }

  // Replicas beyond the wanted count, and services no longer in the file.
  for (const c of observed.containers) {
    const spec = stack.containers[c.service];
    const extraReplica = spec && wanted.has(c.service) && c.replica > spec.replicas;
    const orphan = !spec;
    if (!extraReplica && !orphan) continue;
    if (orphan && !options.removeOrphans) {
      warnings.push(
        `container ${c.name} belongs to service "${c.service}", which is not in the file: pass --remove-orphans to remove it`,
      );
      continue;
    }
    const reason = orphan ? 'orphan: service not in the file' : `scaled down to ${spec?.replicas}`;
    const ids = { service: c.service, replica: c.replica, container: c.name };
    const stop =
      c.state === 'running' || c.state === 'restarting'
        ? add('stop-container', `container:${c.name}`, reason, [], ids)
        : undefined;
    add('remove-container', `container:${c.name}`, reason, stop ? [stop] : [], ids);
  }

  return { project: stack.project, steps, unchanged, warnings };
}

/** The services asked for plus everything they depend on, transitively. */
function selectServices(stack: Stack, services: string[] | undefined): Set<string> {
  if (!services || services.length === 0) return new Set(Object.keys(stack.containers));
  const out = new Set<string>();
  const visit = (s: string) => {
    if (out.has(s)) return;
    out.add(s);
    for (const dep of Object.keys(stack.containers[s]?.depends_on ?? {})) visit(dep);
  };
  services.forEach(visit);
  return out;
}
