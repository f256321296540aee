import { Flags } from '@oclif/core';
import { KittenCommand } from '../../../cli/kitten-command.js';
import { loadAccess } from '../../../engine/access/load.js';
import type { Grant } from '../../../engine/access/policy.js';
import { toJson, toYaml } from '../../../output/format.js';
import { style } from '../../../output/style.js';
import { renderTable } from '../../../output/table.js';
import { storeFlags } from './grant.js';

export interface PolicyReport {
  store: string;
  mode: 'single-user' | 'policy';
  user: string;
  admin: boolean;
  admins: string[];
  groups: Record<string, string[]>;
  grants: Grant[];
}

export default class CodexAdminShow extends KittenCommand {
  static override summary = 'Show the access policy: admins, groups and every grant';
  static override description =
    'JSON (--json or -o json): {store, mode: single-user|policy, user, admin, admins[], groups{name: [users]}, grants: [{subject, namespace, kinds?, write}]}.';
  static override examples = [
    '<%= config.bin %> codex admin show',
    '<%= config.bin %> codex admin show --store configmap:kitten-system/access -o yaml',
  ];
  static override flags = {
    ...storeFlags,
    output: Flags.string({ char: 'o', options: ['table', 'json', 'yaml'], default: 'table' }),
  };

  async run(): Promise<PolicyReport> {
    const { flags } = await this.parse(CodexAdminShow);
    const access = await loadAccess(flags);
    const policy = access.policy;
    const report: PolicyReport = {
      store: access.store.description,
      mode: policy ? 'policy' : 'single-user',
      user: access.actor.user,
      admin: access.view.admin,
      admins: policy?.admins ?? [],
      groups: policy?.groups ?? {},
      grants: policy?.grants ?? [],
    };
    if (!this.jsonEnabled()) {
      if (flags.output === 'json') process.stdout.write(toJson(report));
      else if (flags.output === 'yaml') process.stdout.write(toYaml(report));
      else if (!policy) {
        process.stdout.write(
          `No access policy in ${report.store}: single-user mode, everything your kubeconfig reaches is visible.\n`,
        );
        process.stdout.write(style.dim('Create one with `kitten codex admin grant USER --namespace NS`.\n'));
      } else {
        process.stdout.write(
          `${style.dim(`policy: ${report.store}   admins: ${report.admins.join(', ')}   you: ${report.user}${report.admin ? ' (admin)' : ''}`)}\n`,
        );
        process.stdout.write(
          renderTable(report.grants, [
            { header: 'SUBJECT', get: (g) => g.subject },
            { header: 'NAMESPACE', get: (g) => g.namespace },
            { header: 'KINDS', get: (g) => g.kinds?.join(',') ?? '*' },
            { header: 'ACCESS', get: (g) => (g.write ? 'read,write' : 'read') },
          ]),
        );
        for (const [group, members] of Object.entries(report.groups))
          process.stdout.write(style.dim(`group:${group} = ${members.join(', ')}\n`));
      }
    }
    return report;
  }
}
