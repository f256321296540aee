import { KittenError, RuntimeError } from '../errors.js';
import type { ProgressSink } from '../progress.js';
import type { Runtime } from '../runtime/types.js';
import { configHash } from '../stack/hash.js';
import type { Stack } from '../stack/model.js';
import type { Plan, Step } from './plan.js';

export interface ExecuteOptions {
  progress: ProgressSink;
  /** Leave what this run created in place when a step fails (default: remove it). */
  keepOnFailure?: boolean;
  /** Upper bound for each wait step, in ms. */
  waitTimeoutMs?: number;
  /** How many steps run at once. */
  concurrency?: number;
  /** Poll interval for wait steps (tests shorten it). */
  pollMs?: number;
}

export interface ExecuteResult {
  done: number[];
  created: { containers: string[]; networks: string[] };
}

const DEFAULT_WAIT_MS = 120_000;

/** Runs each step as soon as its edges are done; on failure, removes what this run created. */
export async function executePlan(
  stack: Stack,
  plan: Plan,
  runtime: Runtime,
  options: ExecuteOptions,
): Promise<ExecuteResult> {
  const { progress } = options;
  const concurrency = options.concurrency ?? 8;
  const done = new Set<number>();
  const started = new Set<number>();
  const created = { containers: [] as string[], networks: [] as string[] };
  let failure: unknown;

  await new Promise<void>((resolve) => {
    let running = 0;
    const schedule = () => {
      if (failure === undefined) {
        for (const step of plan.steps) {
          if (running >= concurrency) break;
          if (started.has(step.id) || !step.deps.every((d) => done.has(d))) continue;
          started.add(step.id);
          running++;
          runStep(stack, step, runtime, options, created)
            .then(() => {
              done.add(step.id);
            })
            .catch((error: unknown) => {
              failure ??= error;
              progress({ resource: step.resource, status: 'error', text: describe(error) });
            })
            .finally(() => {
              running--;
              schedule();
            });
        }
      }
      if (running === 0) resolve();
    };
    schedule();
  });

  if (failure !== undefined) {
    if (!options.keepOnFailure) await rollback(runtime, stack.project, created, progress);
    throw failure instanceof KittenError
      ? failure
      : new RuntimeError('UP_FAILED', describe(failure), {
          hint: 'see the step above; run with KITTEN_DEBUG=1 for details',
        });
  }
  return { done: [...done], created };
}

async function runStep(
  stack: Stack,
  step: Step,
  runtime: Runtime,
  options: ExecuteOptions,
  created: ExecuteResult['created'],
): Promise<void> {
  const { progress } = options;
  const say = (status: 'working' | 'done', text: string) =>
    progress({ resource: step.resource, status, text });
  const name = step.container ?? '';
  switch (step.kind) {
    case 'create-network': {
      say('working', 'creating');
      await runtime.ensureNetwork(stack.project, step.network!);
      created.networks.push(step.network!.name);
      say('done', 'created');
      return;
    }
    case 'create-container': {
      const spec = stack.containers[step.service!]!;
      say('working', 'creating');
      await runtime.createContainer({
        project: stack.project,
        spec,
        replica: step.replica!,
        name,
        configHash: configHash(spec),
        baseDir: stack.file.replace(/\/[^/]*$/, '') || '/',
      });
      created.containers.push(name);
      say('done', 'created');
      return;
    }
    case 'start-container':
      say('working', 'starting');
      await runtime.start(name);
      say('done', 'started');
      return;
    case 'stop-container':
      say('working', 'stopping');
      await runtime.stop(name);
      say('done', 'stopped');
      return;
    case 'remove-container':
      say('working', 'removing');
      await runtime.remove(name);
      say('done', 'removed');
      return;
    case 'wait-healthy':
      say('working', 'waiting to be healthy');
      await waitHealthy(runtime, name, step.service ?? name, options);
      say('done', 'healthy');
      return;
    case 'wait-completed':
      say('working', 'waiting to complete');
      await waitFor(runtime, name, options, (s) => {
        if (s.state !== 'exited') return false;
        if (s.exit_code === 0) return true;
        throw new RuntimeError('FAILED_TO_COMPLETE', `${name} exited with ${s.exit_code}`, {
          hint: `see \`kitten logs ${step.service}\``,
        });
      });
      say('done', 'completed');
      return;
  }
}

/** Until the container reports healthy; unhealthy or exited first is an error naming its logs. */
export async function waitHealthy(
  runtime: Runtime,
  name: string,
  service: string,
  options: Pick<ExecuteOptions, 'waitTimeoutMs' | 'pollMs'>,
): Promise<void> {
  await waitFor(runtime, name, options, (s) => {
    if (s.health === 'healthy') return true;
    if (s.health === 'unhealthy') {
      throw new RuntimeError('UNHEALTHY', `${name} is unhealthy`, { hint: `see \`kitten logs ${service}\`` });
    }
    if (s.state === 'exited') {
      throw new RuntimeError('EXITED', `${name} exited (${s.exit_code}) before it was healthy`, {
        hint: `see \`kitten logs ${service}\``,
      });
    }
    return false;
  });
}

async function waitFor(
  runtime: Runtime,
  name: string,
  options: Pick<ExecuteOptions, 'waitTimeoutMs' | 'pollMs'>,
  ready: (status: NonNullable<Awaited<ReturnType<Runtime['inspect']>>>) => boolean,
): Promise<void> {
  const deadline = Date.now() + (options.waitTimeoutMs ?? DEFAULT_WAIT_MS);
  const poll = options.pollMs ?? 200;
  for (;;) {
    const status = await runtime.inspect(name);
    if (!status) throw new RuntimeError('CONTAINER_GONE', `${name} disappeared while waiting for it`);
    if (ready(status)) return;
    if (Date.now() > deadline) {
      throw new RuntimeError(
        'WAIT_TIMEOUT',
        `timed out waiting for ${name} (state ${status.state}${status.health ? `, ${status.health}` : ''})`,
        {
          hint: 'raise --timeout or check its healthcheck',
        },
      );
    }
    await new Promise((r) => setTimeout(r, poll));
  }
}

async function rollback(
  runtime: Runtime,
  project: string,
  created: ExecuteResult['created'],
  progress: ProgressSink,
): Promise<void> {
  for (const name of [...created.containers].reverse()) {
    try {
      await runtime.stop(name, { timeoutMs: 2000 });
    } catch {
      // Already stopped or never started: removal below is what matters.
    }
    try {
      await runtime.remove(name);
      progress({ resource: `container:${name}`, status: 'warning', text: 'removed (rolled back)' });
    } catch (error) {
      progress({
        resource: `container:${name}`,
        status: 'error',
        text: `could not roll back: ${describe(error)}`,
      });
    }
  }
  for (const network of [...created.networks].reverse()) {
    try {
      await runtime.removeNetwork(project, network);
      progress({ resource: `network:${network}`, status: 'warning', text: 'removed (rolled back)' });
    } catch (error) {
      progress({
        resource: `network:${network}`,
        status: 'error',
        text: `could not roll back: ${describe(error)}`,
      });
    }
  }
}

export function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
