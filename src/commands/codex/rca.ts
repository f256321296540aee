import { Args } from '@oclif/core';
import { KittenCommand } from '../../cli/kitten-command.js';
import { type PlanResult, planFlags, runPlan } from './plan.js';

export default class CodexRca extends KittenCommand {
  static override summary =
    'A root-cause analysis for an issue: reproduce it, change it upstream, stop it coming back';
  static override description =
    `Same inputs and JSON shape as \`codex plan\` (mode "rca"): how to reproduce the failure, what to change in manifests, Helm values or code, and how to prevent and alert on a recurrence.`;
  static override examples = [
    '<%= config.bin %> codex rca 5f91 --snapshot fixtures/clusters/broken-shop.yaml',
    '<%= config.bin %> codex rca 5f91 --context "started after the 2.4 release" --anonymize',
  ];
  static override args = { id: Args.string({ description: 'issue id or a unique prefix', required: true }) };
  static override flags = planFlags;

  async run(): Promise<PlanResult> {
    const { args, flags } = await this.parse(CodexRca);
    return runPlan(this, 'rca', args.id, flags);
  }
}
