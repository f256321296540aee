import { Args, Flags } from '@oclif/core';
import { KittenCommand } from '../../../cli/kitten-command.js';
import { loadAccess } from '../../../engine/access/load.js';
import { applyMembership } from '../../../engine/access/policy.js';
import { errStyle, symbols } from '../../../output/style.js';
import { storeFlags } from './grant.js';

export default class CodexAdminMember extends KittenCommand {
  static override summary = 'Add a user to one of the policy’s groups (or --remove them)';
  static override description =
    'Grants to group:NAME reach its members. A live cluster also reports the groups its authenticator knows (SelfSubjectReview); these lists cover clusters that do not, and snapshot-only use.\n\nJSON (--json): {store, group, members[]}.';
  static override examples = [
    '<%= config.bin %> codex admin member group:payments-team carol',
    '<%= config.bin %> codex admin member payments-team carol --remove',
  ];
  static override args = {
    group: Args.string({ description: 'group:NAME or NAME', required: true }),
    user: Args.string({ description: 'user name', required: true }),
  };
  static override flags = {
    ...storeFlags,
    remove: Flags.boolean({ description: 'take the user out of the group', default: false }),
  };

  async run(): Promise<{ store: string; group: string; members: string[] }> {
    const { args, flags } = await this.parse(CodexAdminMember);
    const access = await loadAccess(flags);
    const { policy, changed } = applyMembership(
      access.policy,
      { group: args.group, user: args.user, remove: flags.remove },
      access.actor,
    );
    await access.store.save(policy);
    const group = args.group.replace(/^group:/, '');
    if (!this.jsonEnabled()) {
      const done = flags.remove
        ? `${args.user} is no longer in group:${group}`
        : `${args.user} is in group:${group}`;
      process.stderr.write(`${errStyle.green(symbols.ok)} ${done}${changed ? '' : ' (already so)'}\n`);
    }
    return { store: access.store.description, group, members: policy.groups[group] ?? [] };
  }
}
