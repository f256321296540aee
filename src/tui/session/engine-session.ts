import { randomUUID } from 'node:crypto';
import { loadAccess } from '../../engine/access/load.js';
import { grantedNamespaces } from '../../engine/access/policy.js';
import { type AdvisedPlan, advise } from '../../engine/advisor/advise.js';
import type { PlanStep } from '../../engine/advisor/plan.js';
import { analyzeSnapshot } from '../../engine/cluster/analysis.js';
import type { Issue } from '../../engine/cluster/issue.js';
import { kubeconfigAvailable } from '../../engine/cluster/kubeconfig.js';
import { openClusterSource } from '../../engine/cluster/open.js';
import { KittenError, UsageError } from '../../engine/errors.js';
import { appendAudit, auditFile } from '../../engine/intent/audit.js';
import type { Command } from '../../engine/intent/command.js';
import { sanitizeContext } from '../../engine/intent/context.js';
import {
  type Confirm as EngineConfirm,
  type RunOutcome as EngineOutcome,
  runCommand,
} from '../../engine/intent/run-command.js';
import { translateWithLlm } from '../../engine/intent/translate-llm.js';
import { type Translation, translateOffline } from '../../engine/intent/translate-offline.js';
import { isLlmError, providerFromEnv, readLlmConfig } from '../../engine/llm/index.js';
import { openRuntime } from '../../engine/runtime/select.js';
import type { Runtime } from '../../engine/runtime/types.js';
import { ClusterSession, type KnownNames, type StackPort } from './cluster-session.js';
import type { CommandView, Confirm, PlanStepView, PlanView, RunOutcome } from './port.js';

export interface TuiTarget {
  snapshot?: string;
  context?: string;
  namespace?: string;
  kubeconfig?: string;
}

/**
 * The Stack tab's view of local projects: the runtime is chosen (docker when an engine answers,
 * else native) on first use, so probing for it never delays the first frame.
 */
export function runtimeStack(env: NodeJS.ProcessEnv = process.env): StackPort & { close(): Promise<void> } {
  return stackOf(() => openRuntime({ runtime: 'auto', env }));
}

/** The Stack tab over one runtime, opened on first use. */
export function stackOf(open: () => Promise<Runtime>): StackPort & { close(): Promise<void> } {
  let opening: Promise<Runtime> | undefined;
  let name: string | null = null;
  const runtime = () => {
    opening ??= open().then((rt) => {
      name = rt.name;
      return rt;
    });
    return opening;
  };
  return {
    runtimeName: () => name,
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
    // As `kitten restart` does: a restart is a stop and a start.
    async act(action, name) {
      const rt = await runtime();
      if (action !== 'start') await rt.stop(name);
      if (action !== 'stop') await rt.start(name);
    },
    async close() {
      if (opening) await (await opening).close();
    },
  };
}

/** The advisor's plan in the TUI's terms: each step's argv becomes a Command the executor can run. */
export function toPlanView(plan: AdvisedPlan): PlanView {
  const step = (s: PlanStep): PlanStepView => ({
    title: s.title,
    risk: s.risk,
    why: s.why,
    ...(s.edit ? { edit: s.edit } : {}),
    ...(s.command && (s.command[0] === 'kubectl' || s.command[0] === 'docker')
      ? {
          command: {
            tool: s.command[0],
            argv: s.command,
            risk: s.risk,
            explanation: s.why,
            source: plan.source,
          },
        }
      : {}),
  });
  return {
    issueId: plan.issueId,
    mode: plan.mode,
    summary: plan.summary,
    steps: plan.steps.map(step),
    verification: plan.verification.map(step),
    rollback: plan.rollback.map(step),
    source: plan.source,
    ...(plan.context ? { context: plan.context } : {}),
    ...(plan.refused ? { refused: plan.refused } : {}),
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

/**
 * Builds the TUI's session from the real engine: the cluster source (snapshot or live), the
 * analyzers, the access policy, the offline translator, the one executor (`runCommand`, whose
 * policy and confirmation rules are the only gate), and the local runtimes for the Stack tab.
 */
export async function openEngineSession(
  target: TuiTarget,
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ session: ClusterSession; close: () => Promise<void> }> {
  const kube = {
    ...(target.kubeconfig ? { kubeconfig: target.kubeconfig } : {}),
    ...(target.context ? { context: target.context } : {}),
  };
  const { view: access, identity, policy } = await loadAccess(kube);
  // A restricted person's live source lists only the namespaces granted to them.
  const granted = grantedNamespaces(policy, identity);
  const namespaces = granted === '*' ? {} : { namespaces: granted };
  // Without a snapshot or a kubeconfig there is no cluster, but local stacks still show.
  const noCluster = !target.snapshot && !kubeconfigAvailable(kube, env);
  const source = noCluster
    ? null
    : await openClusterSource({
        ...kube,
        ...namespaces,
        ...(target.snapshot ? { snapshot: target.snapshot } : {}),
      });
  const user = identity.user;
  const llm = readLlmConfig(env) ? providerFromEnv(env) : undefined;
  const stack = runtimeStack(env);
  const namespace = target.namespace ?? null;
  let issues = new Map<string, Issue>();
  const session = new ClusterSession({
    target: target.snapshot
      ? { type: 'snapshot', name: target.snapshot }
      : { type: 'context', name: target.context ?? source?.description.replace(/^context /, '') ?? 'none' },
    ...(target.snapshot
      ? {}
      : {
          openContext: (name: string) => openClusterSource({ ...kube, ...namespaces, context: name }),
        }),
    source,
    sourceProblem:
      'no cluster: no kubeconfig found (pass --kubeconfig or --snapshot FILE); showing local stacks',
    analyze: (snapshot) => {
      const found = analyzeSnapshot(snapshot, { access });
      issues = new Map(found.map((issue) => [issue.id, issue]));
      return found;
    },
    access,
    namespace,
    runtime: env.KITTEN_RUNTIME ?? 'auto',
    llm: llm ? (readLlmConfig(env)?.model ?? 'remote') : 'offline',
    stack,
    plan: async (view, mode, context, _signal, snapshot) => {
      // The session hands back the analysis' own Issue (with its findings), by id.
      const issue = issues.get(view.id);
      if (!issue)
        throw new KittenError('ISSUE_GONE', `issue ${view.id} is no longer reported`, {
          hint: 'it may have been fixed; pick another',
        });
      return toPlanView(
        await advise(issue, {
          mode,
          snapshot,
          ...(access.restricted ? { access } : {}),
          ...(context ? { userContext: context } : {}),
          provider: providerFromEnv(env),
          anonymize: env.KITTEN_LLM_ANONYMIZE === '1',
        }),
      );
    },
    translate: async (intent: string, _signal: AbortSignal, known: KnownNames): Promise<CommandView> => {
      const options = {
        ...(known.namespace ? { namespace: known.namespace } : {}),
        context: sanitizeContext({
          pods: known.pods,
          deployments: known.deployments,
          services: known.services,
          nodes: known.nodes,
          containers: known.containers,
          reachable: known.reachable,
        }),
      };
      let note = '';
      let translation: Translation;
      try {
        translation = llm
          ? await translateWithLlm(intent, { ...options, provider: llm })
          : translateOffline(intent, options);
      } catch (error) {
        if (!isLlmError(error)) throw error;
        // A model that fails is reported, and the built-in translator still answers.
        note = ` (the model failed: ${error.message}; the offline translator answered)`;
        translation = translateOffline(intent, options);
      }
      if (!translation.ok) {
        throw new UsageError('INTENT_UNSUPPORTED', `${translation.reason}${note}`, {
          hint: 'say it as one action on one thing, e.g. "restart deployment checkout in namespace shop"',
        });
      }
      return { ...translation.command, explanation: translation.command.explanation + note };
    },
    audit: (record) =>
      appendAudit(
        {
          time: new Date().toISOString(),
          request_id: randomUUID(),
          user,
          origin: 'tui',
          intent: record.intent,
          argv: record.argv,
          host: 'local',
          risk: 'write',
          status: record.status,
          exit_code: record.exitCode,
          reason: record.reason,
        },
        auditFile(env),
      ),
    run: async (command, confirm, purpose) =>
      toRunOutcome(
        await runCommand(command as Command, {
          confirm: confirmFor(confirm),
          policy: {
            ...(access.restricted ? { access } : {}),
            ...(namespace ? { defaultNamespace: namespace } : {}),
          },
          audit: { intent: purpose, origin: 'tui', user },
          env,
        }),
      ),
  });
  return { session, close: () => stack.close() };
}
