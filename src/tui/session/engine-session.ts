import { viewFor } from '../../engine/access/policy.js';
import { analyzeSnapshot } from '../../engine/cluster/analysis.js';
import { SnapshotSource } from '../../engine/cluster/snapshot-file.js';
import type { ClusterSource } from '../../engine/cluster/source.js';
import { KittenError, UsageError } from '../../engine/errors.js';
import { currentUser } from '../../engine/intent/audit.js';
import type { Command } from '../../engine/intent/command.js';
import {
  type Confirm as EngineConfirm,
  type RunOutcome as EngineOutcome,
  runCommand,
} from '../../engine/intent/run-command.js';
import { translateOffline } from '../../engine/intent/translate-offline.js';
import { openRuntime } from '../../engine/runtime/select.js';
import type { Runtime } from '../../engine/runtime/types.js';
import { ClusterSession, type KnownNames, type StackPort } from './cluster-session.js';
import type { CommandView, Confirm, RunOutcome } from './port.js';

export interface TuiTarget {
  snapshot?: string;
  context?: string;
  namespace?: string;
  kubeconfig?: string;
}

/** Which LLM answers (`offline` unless an OpenAI-compatible endpoint is configured), for the header. */
export function llmLabel(env: NodeJS.ProcessEnv = process.env): string {
  const model = env.KITTEN_LLM_MODEL;
  const configured = env.KITTEN_LLM_API_KEY || env.OPENAI_API_KEY || env.KITTEN_LLM_BASE_URL;
  return model && configured ? model : 'offline';
}

/**
 * The Stack tab's view of local projects: the runtime is chosen (docker when an engine answers,
 * else native) on first use, so probing for it never delays the first frame.
 */
export function runtimeStack(env: NodeJS.ProcessEnv = process.env): StackPort & { close(): Promise<void> } {
  let opening: Promise<Runtime> | undefined;
  const runtime = () => {
    opening ??= openRuntime({ runtime: 'auto', env });
    return opening;
  };
  return {
    async list() {
      const rt = await runtime();
      const projects = await rt.projects();
      const lists = await Promise.all(projects.map((p) => rt.list(p)));
      return lists.flat();
    },
    async inspect(name) {
      const found = await (await runtime()).inspect(name);
      if (!found) throw new KittenError('CONTAINER_GONE', `container ${name} no longer exists`);
      return found;
    },
    async *logs(name, options) {
      yield* (await runtime()).logs(name, options);
    },
    async close() {
      if (opening) await (await opening).close();
    },
  };
}

/** Maps the executor's outcome onto what the TUI shows. */
export function toRunOutcome(outcome: EngineOutcome): RunOutcome {
  switch (outcome.status) {
    case 'REJECTED':
      return { status: 'refused', reason: outcome.reason ?? 'refused by policy' };
    case 'NOT_CONFIRMED':
      return { status: 'declined', reason: outcome.reason ?? 'declined' };
    default:
      return {
        status: 'ran',
        result: {
          exitCode: outcome.exitCode ?? 1,
          stdout: outcome.stdout,
          stderr: outcome.stderr,
          reason: outcome.reason,
        },
      };
  }
}

/** Asks the TUI's confirm in the executor's terms: y/N for write, the typed name for destructive. */
export function confirmFor(confirm: Confirm): EngineConfirm {
  return (request) =>
    confirm({
      command: request.command,
      typeToConfirm: request.kind === 'type-name' ? request.subject : null,
    });
}

export async function openClusterSource(target: TuiTarget): Promise<ClusterSource> {
  if (target.snapshot) return SnapshotSource.open(target.snapshot);
  throw new UsageError('NO_CLUSTER', 'no cluster to show: pass --snapshot FILE', {
    hint: 'try `kitten tui --snapshot fixtures/clusters/broken-shop.yaml`',
  });
}

/**
 * Builds the TUI's session from the real engine: the cluster source (snapshot or live), the
 * analyzers, the access policy, the offline translator, the one executor (`runCommand`, whose
 * policy and confirmation rules are the only gate), and the local runtimes for the Stack tab.
 */
export async function openEngineSession(
  target: TuiTarget,
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ session: ClusterSession; close: () => Promise<void> }> {
  const source = await openClusterSource(target);
  const user = currentUser();
  const access = viewFor(undefined, { user, groups: [] });
  const stack = runtimeStack(env);
  const namespace = target.namespace ?? null;
  const session = new ClusterSession({
    target: target.snapshot
      ? { type: 'snapshot', name: target.snapshot }
      : { type: 'context', name: target.context ?? source.description },
    source,
    analyze: (snapshot) => analyzeSnapshot(snapshot, { access }),
    access,
    namespace,
    runtime: env.KITTEN_RUNTIME ?? 'auto',
    llm: llmLabel(env),
    stack,
    plan: async () => {
      throw new KittenError('ADVISOR_UNAVAILABLE', 'plans are not available in this build', {
        hint: 'run `kitten codex plan ISSUE` instead',
      });
    },
    translate: async (intent: string, _signal: AbortSignal, known: KnownNames): Promise<CommandView> => {
      const translation = translateOffline(intent, {
        ...(known.namespace ? { namespace: known.namespace } : {}),
        context: {
          pods: known.pods,
          deployments: known.deployments,
          services: known.services,
          nodes: known.nodes,
          containers: known.containers,
          reachable: known.reachable,
        },
      });
      if (!translation.ok) {
        throw new UsageError('INTENT_UNSUPPORTED', translation.reason, {
          hint: 'say it as one action on one thing, e.g. "restart deployment checkout in shop"',
        });
      }
      return translation.command;
    },
    run: async (command, confirm, purpose) =>
      toRunOutcome(
        await runCommand(command as Command, {
          confirm: confirmFor(confirm),
          policy: { access, ...(namespace ? { defaultNamespace: namespace } : {}) },
          audit: { intent: purpose, origin: 'tui', user },
          env,
        }),
      ),
  });
  return { session, close: () => stack.close() };
}
