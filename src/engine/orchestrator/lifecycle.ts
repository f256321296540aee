import { RuntimeError, UsageError } from '../errors.js';
import type { ProgressSink } from '../progress.js';
import {
  type ContainerStatus,
  isStackDeployer,
  type Runtime,
  type StackDeployOptions,
} from '../runtime/types.js';
import type { Stack } from '../stack/model.js';
import { describe, type ExecuteOptions, executePlan, waitHealthy } from './execute.js';
import type { Plan } from './plan.js';
import { type ReconcileOptions, reconcile } from './reconcile.js';

/**
 * up = reconcile → plan → execute, the same over every runtime. Runtimes that deploy whole stacks
 * (the StackDeployer capability) get the stack instead.
 */
export interface UpOptions extends ReconcileOptions, Omit<ExecuteOptions, 'progress'> {
  progress: ProgressSink;
  wait?: boolean;
  extra?: Record<string, unknown>;
}

export async function planUp(stack: Stack, runtime: Runtime, options: ReconcileOptions = {}): Promise<Plan> {
  const unknown = (options.services ?? []).filter((s) => !(s in stack.containers));
  if (unknown.length > 0) {
    throw new UsageError(
      'UNKNOWN_SERVICE',
      `no service ${unknown.map((s) => `"${s}"`).join(', ')} in ${stack.file}`,
      {
        hint: `services: ${Object.keys(stack.containers).join(', ')}`,
      },
    );
  }
  const [containers, networks] = await Promise.all([
    runtime.list(stack.project),
    runtime.listNetworks(stack.project),
  ]);
  return reconcile(stack, { containers, networks }, options);
}

export async function up(stack: Stack, runtime: Runtime, options: UpOptions): Promise<{ plan: Plan | null }> {
  if (isStackDeployer(runtime)) {
    const deploy: StackDeployOptions = {
      wait: options.wait ?? true,
      timeoutMs: options.waitTimeoutMs ?? 300_000,
      removeOrphans: options.removeOrphans ?? false,
      ...(options.extra ? { extra: options.extra } : {}),
    };
    await runtime.deployStack(stack, deploy, options.progress);
    return { plan: null };
  }
  const plan = await planUp(stack, runtime, options);
  for (const warning of plan.warnings)
    options.progress({ resource: `project:${stack.project}`, status: 'warning', text: warning });
  for (const name of plan.unchanged)
    options.progress({ resource: `container:${name}`, status: 'done', text: 'up to date' });
  await executePlan(stack, plan, runtime, options);
  if (options.wait) await waitUntilHealthy(stack, runtime, options);
  return { plan };
}

/**
 * `up --wait` (the default): return only when every running container that has a healthcheck
 * reports healthy, so what follows `up -d` (a curl, a test) finds the stack ready.
 */
async function waitUntilHealthy(stack: Stack, runtime: Runtime, options: UpOptions): Promise<void> {
  const checked = (await runtime.list(stack.project)).filter(
    (c) => c.state === 'running' && stack.containers[c.service]?.healthcheck && c.health !== 'healthy',
  );
  await Promise.all(
    checked.map(async (c) => {
      const resource = `container:${c.name}`;
      options.progress({ resource, status: 'working', text: 'waiting to be healthy' });
      await waitHealthy(runtime, c.name, c.service, options);
      options.progress({ resource, status: 'done', text: 'healthy' });
    }),
  );
}

/** Stops and removes every container of the project, then its networks: no local state needed. */
export async function down(
  project: string,
  runtime: Runtime,
  progress: ProgressSink,
): Promise<{ containers: string[]; networks: string[] }> {
  if (isStackDeployer(runtime)) {
    // Listed first so the result says what went, as it does for every runtime.
    const [containers, networks] = await Promise.all([runtime.list(project), runtime.listNetworks(project)]);
    await runtime.removeStack(project, progress);
    return { containers: containers.map((c) => c.name), networks: networks.map((n) => n.network) };
  }
  const containers = await runtime.list(project);
  const failures: string[] = [];
  await Promise.all(
    containers.map(async (c) => {
      const resource = `container:${c.name}`;
      try {
        if (c.state === 'running' || c.state === 'restarting') {
          progress({ resource, status: 'working', text: 'stopping' });
          await runtime.stop(c.name);
        }
        progress({ resource, status: 'working', text: 'removing' });
        await runtime.remove(c.name);
        progress({ resource, status: 'done', text: 'removed' });
      } catch (error) {
        failures.push(`${c.name}: ${describe(error)}`);
        progress({ resource, status: 'error', text: describe(error) });
      }
    }),
  );
  const networks = await runtime.listNetworks(project);
  for (const n of networks) {
    try {
      await runtime.removeNetwork(project, n.network);
      progress({ resource: `network:${n.network}`, status: 'done', text: 'removed' });
    } catch (error) {
      failures.push(`network ${n.network}: ${describe(error)}`);
      progress({ resource: `network:${n.network}`, status: 'error', text: describe(error) });
    }
  }
  if (failures.length > 0) {
    throw new RuntimeError(
      'DOWN_INCOMPLETE',
      `could not remove ${failures.length} resource(s): ${failures[0]}`,
      {
        hint: 'run `kitten down` again; see KITTEN_DEBUG=1 for details',
      },
    );
  }
  return { containers: containers.map((c) => c.name), networks: networks.map((n) => n.network) };
}

/**
 * The containers of the named services (all when none named), for stop/start/restart/logs/exec.
 * A container's own name (`shop-web-2`) picks just that replica, as `docker restart` would.
 */
export async function selectContainers(
  runtime: Runtime,
  project: string,
  services: string[],
): Promise<ContainerStatus[]> {
  const all = await runtime.list(project);
  if (services.length === 0) return all;
  const known = new Set(all.flatMap((c) => [c.service, c.name]));
  const missing = services.filter((s) => !known.has(s));
  if (missing.length > 0) {
    throw new UsageError(
      'UNKNOWN_SERVICE',
      `project ${project} has no container for ${missing.map((s) => `"${s}"`).join(', ')}`,
      {
        hint: all.length
          ? `services: ${[...new Set(all.map((c) => c.service))].sort().join(', ')}`
          : `nothing runs in project ${project}: run \`kitten up\` first`,
      },
    );
  }
  return all.filter((c) => services.includes(c.service) || services.includes(c.name));
}
