import { Flags } from '@oclif/core';
import { KittenCommand } from '../../cli/kitten-command.js';
import { openCodexSession } from '../../engine/advisor/session.js';
import { parseResult } from '../../engine/cluster/analyzers/k8sgpt.js';
import type { K8sgptResult } from '../../engine/cluster/objects.js';
import { redactForSnapshot } from '../../engine/cluster/redact.js';
import { toJson, toYaml } from '../../output/format.js';
import { style } from '../../output/style.js';
import { clusterFlags, sessionOptions } from './issues.js';

export default class CodexSnapshot extends KittenCommand {
  static override summary = 'Record the cluster objects codex reads as a snapshot file (kind: List)';
  static override description =
    `Writes every kind the analyzers read (pods, workloads, services, endpoints, ingresses, claims, nodes, jobs, autoscalers, budgets, policies, config maps, secrets, events, K8sGPT Results) that you may see, as YAML (default) or JSON, to stdout. Secret values are replaced by empty strings (their keys stay, which is all the analyzers need) and managedFields are dropped. Read it back with --snapshot FILE on any codex command or the TUI.`;
  static override examples = [
    '<%= config.bin %> codex snapshot -A > cluster.yaml',
    '<%= config.bin %> codex snapshot -n shop -o json > shop.json',
  ];
  static override flags = {
    ...clusterFlags,
    output: Flags.string({ char: 'o', options: ['yaml', 'json'], default: 'yaml' }),
  };

  async run(): Promise<{ apiVersion: 'v1'; kind: 'List'; items: unknown[] }> {
    const { flags } = await this.parse(CodexSnapshot);
    const session = await openCodexSession(sessionOptions(flags));
    const view = session.access.view;
    // A K8sGPT Result is kept when the object it describes is one the person may see.
    const items = session.snapshot.objects
      .filter((o) => {
        if (o.kind !== 'Result') return true;
        const about = parseResult(o as K8sgptResult);
        return about !== undefined && view.canSee(about.namespace, about.kind);
      })
      .map(redactForSnapshot);
    const list = {
      apiVersion: 'v1' as const,
      kind: 'List' as const,
      metadata: { resourceVersion: '' },
      items,
    };
    if (!this.jsonEnabled()) {
      process.stdout.write(flags.output === 'json' ? toJson(list) : toYaml(list));
      process.stderr.write(style.dim(`${items.length} objects from ${session.source.description}\n`));
    }
    return list;
  }
}
