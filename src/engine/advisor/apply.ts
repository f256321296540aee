import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LiveSource } from '../cluster/live.js';
import { UsageError } from '../errors.js';
import type { Command } from '../intent/command.js';
import { type Confirm, type RunOutcome, runCommand } from '../intent/run-command.js';
import type { AdvisedPlan } from './advise.js';
import { rbacCheckOf } from './rbac.js';
import type { CodexSession } from './session.js';

export interface ApplyOptions {
  session: CodexSession;
  yes: boolean;
  force: boolean;
  confirm?: Confirm;
  onOutput?: (stream: 'stdout' | 'stderr', chunk: string) => void;
}

export interface AppliedStep {
  step: number;
  command: string[];
  outcome: RunOutcome;
}

/**
 * Runs one plan step through the ask executor: the same policy (with the person's access), the
 * same confirmation rules, the same audit log. Before a write on a live cluster, the cluster's own
 * RBAC is asked first (SelfSubjectAccessReview), so a refusal comes with a hint, not a kubectl error.
 */
export async function applyPlanStep(
  plan: AdvisedPlan,
  stepNumber: number,
  options: ApplyOptions,
): Promise<AppliedStep> {
  const step = plan.steps[stepNumber - 1];
  if (!step) {
    throw new UsageError('PLAN_STEP_MISSING', `the plan has ${plan.steps.length} steps, not ${stepNumber}`, {
      hint: 'run the plan without --apply to see the numbered steps',
    });
  }
  if (!step.command) {
    throw new UsageError(
      'PLAN_STEP_MANUAL',
      `step ${stepNumber} ("${step.title}") is a change to make by hand, not a command`,
      {
        hint: step.edit ? `the change: ${step.edit}` : 'pick a step that shows a $ command',
      },
    );
  }
  const source = options.session.source;
  if (step.risk !== 'read' && source instanceof LiveSource) {
    const check = rbacCheckOf(step.command);
    if (check)
      await source.requireCan(check.verb, check.kind, check.namespace, check.name, check.subresource);
  }
  const command: Command = {
    tool: 'kubectl',
    argv: step.command,
    risk: step.risk,
    explanation: step.why,
    source: plan.source,
  };
  const kubeconfig = source instanceof LiveSource ? await pinnedKubeconfig(source) : undefined;
  try {
    const outcome = await runCommand(command, {
      policy: { access: options.session.access.view, defaultNamespace: plan.target.namespace || 'default' },
      yes: options.yes,
      force: options.force,
      ...(options.confirm ? { confirm: options.confirm } : {}),
      ...(options.onOutput ? { onOutput: options.onOutput } : {}),
      audit: {
        intent: `codex ${plan.mode} ${plan.issueId} --apply ${stepNumber}`,
        origin: 'codex',
        user: options.session.access.actor.user,
      },
      ...(kubeconfig ? { env: { ...process.env, KUBECONFIG: kubeconfig.file } } : {}),
    });
    return { step: stepNumber, command: step.command, outcome };
  } finally {
    if (kubeconfig) await rm(kubeconfig.dir, { recursive: true, force: true });
  }
}

/**
 * kubectl must act on the cluster Kitten read from, whatever --kubeconfig and --kube-context
 * chose, and the policy forbids --context in the argv: so kubectl gets a private kubeconfig
 * whose current context is the one in use.
 */
async function pinnedKubeconfig(source: LiveSource): Promise<{ dir: string; file: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'kitten-kube-'));
  const file = join(dir, 'config');
  await writeFile(file, source.kc.exportConfig(), { mode: 0o600 });
  return { dir, file };
}
