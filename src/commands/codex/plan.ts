import { Args, Flags } from '@oclif/core';
import { KittenCommand } from '../../cli/kitten-command.js';
import { type AdvisedPlan, advise } from '../../engine/advisor/advise.js';
import { type AppliedStep, applyPlanStep } from '../../engine/advisor/apply.js';
import type { PlanMode, PlanStep } from '../../engine/advisor/plan.js';
import { openCodexSession, sessionIssue } from '../../engine/advisor/session.js';
import { UsageError } from '../../engine/errors.js';
import { providerFromEnv } from '../../engine/llm/index.js';
import { toJson, toYaml } from '../../output/format.js';
import { terminalConfirm } from '../../output/prompt.js';
import { errStyle, style, symbols } from '../../output/style.js';
import { clusterFlags, sessionOptions } from './issues.js';

const riskColour = { read: style.green, write: style.yellow, destructive: (t: string) => style.red.bold(t) };

function renderSteps(title: string, steps: PlanStep[], numbered: boolean): string {
  if (steps.length === 0) return '';
  const lines = [style.bold(title)];
  steps.forEach((s, i) => {
    lines.push(
      `  ${numbered ? `${i + 1}. ` : '- '}${s.title}${s.command ? `  ${riskColour[s.risk](`[${s.risk}]`)}` : ''}`,
    );
    if (s.command) lines.push(`     ${style.cyan(`$ ${s.command.join(' ')}`)}`);
    if (s.edit) lines.push(`     ${style.magenta('edit:')} ${s.edit}`);
    lines.push(`     ${style.dim(`why: ${s.why}`)}`);
  });
  return `${lines.join('\n')}\n`;
}

export function renderPlan(plan: AdvisedPlan): string {
  const t = plan.target;
  const head = `${style.bold(plan.mode === 'rca' ? 'Root-cause analysis' : 'Remediation plan')} for ${t.kind} ${t.namespace ? `${t.namespace}/` : ''}${t.name} ${style.dim(`(issue ${plan.issueId}, ${plan.source})`)}`;
  return [
    `${head}\n${plan.summary}\n`,
    plan.context ? `${style.dim(`context: ${plan.context}`)}\n` : '',
    plan.k8sgptDetails ? `${style.bold('K8sGPT says')}\n${plan.k8sgptDetails.replace(/^/gm, '  ')}\n` : '',
    renderSteps(plan.mode === 'rca' ? 'Analysis' : 'Steps', plan.steps, true),
    renderSteps('Verify', plan.verification, false),
    renderSteps('Roll back', plan.rollback, false),
    plan.refused?.length
      ? `${style.bold('Refused by policy')}\n${plan.refused.map((r) => `  - ${r.title}: ${r.command.join(' ')} (${r.reason})`).join('\n')}\n`
      : '',
  ]
    .filter(Boolean)
    .join('\n');
}

export interface PlanResult {
  plan: AdvisedPlan;
  applied?: AppliedStep;
}

export const planFlags = {
  ...clusterFlags,
  context: Flags.string({
    description: 'extra words for the plan (what you know that the cluster does not)',
    helpValue: 'TEXT',
  }),
  'kube-context': Flags.string({
    description: 'kube context to use (default: the current one)',
    helpValue: 'NAME',
  }),
  apply: Flags.integer({
    description: 'run step N of the plan through the ask executor (its confirmation rules)',
    helpValue: 'N',
    min: 1,
  }),
  yes: Flags.boolean({
    char: 'y',
    description: 'with --apply: confirm a read or write step without a prompt',
  }),
  force: Flags.boolean({ description: 'with --apply --yes: also confirm a destructive step' }),
  offline: Flags.boolean({ description: 'use the offline knowledge base even when a model is configured' }),
  anonymize: Flags.boolean({ description: 'mask names before they reach the model and restore them after' }),
  output: Flags.string({ char: 'o', options: ['text', 'json', 'yaml'], default: 'text' }),
};

/** `codex plan` and `codex rca` differ only in the mode they ask for. */
export async function runPlan(
  command: KittenCommand & { jsonEnabled(): boolean },
  mode: PlanMode,
  id: string,
  flags: PlanFlagValues,
): Promise<PlanResult> {
  if (flags.apply !== undefined && flags.snapshot) {
    throw new UsageError('APPLY_NEEDS_CLUSTER', '--apply runs against a live cluster, not a snapshot', {
      hint: 'drop --snapshot (and pick the cluster with --kube-context), or copy the step’s command',
    });
  }
  const session = await openCodexSession(sessionOptions({ ...flags, context: flags['kube-context'] }));
  const issue = sessionIssue(session, id);
  const provider = flags.offline ? undefined : providerFromEnv();
  const logs =
    issue.kind === 'Pod' && session.source.logs && provider?.remote
      ? await session.source.logs(issue.namespace, issue.name, { tail: 40 }).catch(() => undefined)
      : undefined;
  const plan = await advise(issue, {
    mode,
    snapshot: session.snapshot,
    access: session.access.view,
    now: session.now,
    offline: Boolean(flags.offline),
    ...(provider ? { provider } : {}),
    ...(flags.anonymize ? { anonymize: true } : {}),
    ...(flags.context ? { userContext: flags.context } : {}),
    ...(logs ? { logs } : {}),
  });
  const json = command.jsonEnabled() || flags.output !== 'text';
  const result: PlanResult = { plan };
  if (!command.jsonEnabled()) {
    if (flags.output === 'json') process.stdout.write(toJson(plan));
    else if (flags.output === 'yaml') process.stdout.write(toYaml(plan));
    else process.stdout.write(renderPlan(plan));
  }
  if (flags.apply !== undefined) {
    const interactive = !json && Boolean(process.stdin.isTTY && process.stderr.isTTY);
    result.applied = await applyPlanStep(plan, flags.apply, {
      session,
      yes: Boolean(flags.yes),
      force: Boolean(flags.force),
      ...(interactive ? { confirm: terminalConfirm } : {}),
      ...(json
        ? {}
        : {
            onOutput: (stream: 'stdout' | 'stderr', chunk: string) =>
              (stream === 'stdout' ? process.stdout : process.stderr).write(chunk),
          }),
    });
    const outcome = result.applied.outcome;
    if (!json) {
      const ok = outcome.status === 'SUCCESS';
      process.stderr.write(
        `${ok ? errStyle.green(symbols.ok) : errStyle.red(symbols.fail)} step ${flags.apply}: ${outcome.status}${outcome.reason ? `: ${outcome.reason}` : ''}\n`,
      );
      if (outcome.status === 'NOT_CONFIRMED' && !interactive)
        process.stderr.write(
          errStyle.dim(
            `  hint: pass --yes${outcome.risk === 'destructive' ? ' --force' : ''} to confirm without a terminal\n`,
          ),
        );
    }
    process.exitCode =
      outcome.status === 'SUCCESS'
        ? 0
        : outcome.status === 'REJECTED' || outcome.status === 'NOT_CONFIRMED'
          ? 3
          : 1;
  }
  return result;
}

export interface PlanFlagValues {
  snapshot?: string;
  kubeconfig?: string;
  'kube-context'?: string;
  namespace?: string;
  as?: string;
  store?: string;
  context?: string;
  apply?: number;
  yes?: boolean;
  force?: boolean;
  offline?: boolean;
  anonymize?: boolean;
  output: string;
}

export default class CodexPlan extends KittenCommand {
  static override summary =
    'A remediation plan for an issue: get it working now, touching only the broken object';
  static override description =
    `ISSUE_ID is an id from \`codex issues\`, or a unique prefix of one. Offline (no model configured, or --offline) the plan comes from Kitten's knowledge base, filled with the issue's facts; with KITTEN_LLM_* set, a model writes it and Kitten validates it. Every command is a kubectl argv checked by the same policy as \`ask\` and scoped to the issue's namespace; --apply N runs step N with ask's confirmation rules (write: y/N, destructive: type the name; --yes / --yes --force without a terminal).

JSON (--json or -o json): {plan: {issueId, mode, summary, steps: [{title, command?, risk, why, edit?}], verification[], rollback[], source: offline|llm, target: {kind, namespace, name}, context?, k8sgptDetails?, refused?}, applied?: {step, outcome}}.`;
  static override examples = [
    '<%= config.bin %> codex plan 5f91 --snapshot fixtures/clusters/broken-shop.yaml',
    '<%= config.bin %> codex plan 5f9157d21e55 --context "redis moved last night"',
    '<%= config.bin %> codex plan 5f91 --apply 4 --yes',
  ];
  static override args = { id: Args.string({ description: 'issue id or a unique prefix', required: true }) };
  static override flags = planFlags;

  async run(): Promise<PlanResult> {
    const { args, flags } = await this.parse(CodexPlan);
    return runPlan(this, 'remediation', args.id, flags);
  }
}
