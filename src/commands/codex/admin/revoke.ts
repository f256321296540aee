import { Args, Flags } from '@oclif/core';
import { KittenCommand } from '../../../cli/kitten-command.js';
import { loadAccess } from '../../../engine/access/load.js';
import { applyRevoke, type Grant } from '../../../engine/access/policy.js';
import { errStyle, symbols } from '../../../output/style.js';
import { describeGrant, storeFlags } from './grant.js';

export default class CodexAdminRevoke extends KittenCommand {
  static override summary = 'Take back a grant: all of a subject’s, one namespace’s, or some kinds of it';
  static override description = 'JSON (--json): {store, removed: [grant], changed: [grant], admins}.';
  static override examples = [
    '<%= config.bin %> codex admin revoke bob',
    '<%= config.bin %> codex admin revoke bob --namespace shop --kinds secrets',
    '<%= config.bin %> codex admin revoke carol --admin',
  ];
  static override args = { subject: Args.string({ description: 'USER or group:NAME', required: true }) };
  static override flags = {
    ...storeFlags,
    namespace: Flags.string({ char: 'n', description: 'only the grant for this namespace', helpValue: 'NS' }),
    kinds: Flags.string({
      description: 'only these kinds of the grant (comma-separated)',
      helpValue: 'KINDS',
    }),
    admin: Flags.boolean({ description: 'also remove the subject from the admins', default: false }),
  };

  async run(): Promise<{ store: string; removed: Grant[]; changed: Grant[]; admins: string[] }> {
    const { args, flags } = await this.parse(CodexAdminRevoke);
    const access = await loadAccess(flags);
    const kinds = flags.kinds
      ?.split(',')
      .map((k) => k.trim())
      .filter(Boolean);
    const result = applyRevoke(
      access.policy,
      {
        subject: args.subject,
        ...(flags.namespace ? { namespace: flags.namespace } : {}),
        ...(kinds ? { kinds } : {}),
        admin: flags.admin,
      },
      access.actor,
    );
    await access.store.save(result.policy);
    if (!this.jsonEnabled()) {
      for (const g of result.removed)
        process.stderr.write(`${errStyle.green(symbols.ok)} revoked: ${describeGrant(g)}\n`);
      for (const g of result.changed)
        process.stderr.write(`${errStyle.green(symbols.ok)} now: ${describeGrant(g)}\n`);
      if (flags.admin)
        process.stderr.write(`${errStyle.green(symbols.ok)} ${args.subject} is no longer an admin\n`);
    }
    return {
      store: access.store.description,
      removed: result.removed,
      changed: result.changed,
      admins: result.policy.admins,
    };
  }
}
