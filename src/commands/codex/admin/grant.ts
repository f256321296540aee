import { Args, Flags } from '@oclif/core';
import { KittenCommand } from '../../../cli/kitten-command.js';
import { loadAccess } from '../../../engine/access/load.js';
import { applyGrant, type Grant } from '../../../engine/access/policy.js';
import { errStyle, symbols } from '../../../output/style.js';

export const storeFlags = {
  store: Flags.string({
    description:
      'where the policy lives: file (under KITTEN_HOME, the default), file:PATH, or configmap:NS/NAME (shared by a team)',
    helpValue: 'STORE',
  }),
  kubeconfig: Flags.string({
    description: 'kubeconfig for a configmap store and for who you are',
    helpValue: 'FILE',
  }),
  context: Flags.string({ description: 'kube context (its user is who you are)', helpValue: 'NAME' }),
};

export function describeGrant(g: Grant): string {
  return `${g.subject} may ${g.write ? 'see and change' : 'see'} ${g.kinds ? g.kinds.join(', ') : 'everything'} in ${g.namespace === '*' ? 'every namespace' : g.namespace}`;
}

export default class CodexAdminGrant extends KittenCommand {
  static override summary =
    'Let a user or group see (and with --write change) a namespace, or only some kinds in it';
  static override description =
    `SUBJECT is a kube user name (as in kubeconfigs) or group:NAME. A new grant for the same subject and namespace replaces the old one. --namespace '*' covers every namespace and cluster-scoped objects such as nodes. The first grant ever written makes you an admin of the policy; only admins may grant, revoke or use --as. With no policy at all, Kitten is in single-user mode and everything is visible.

JSON (--json): {store, grant: {subject, namespace, kinds?, write}, replaced, admins}.`;
  static override examples = [
    '<%= config.bin %> codex admin grant bob --namespace shop',
    '<%= config.bin %> codex admin grant group:payments-team --namespace payments --write',
    '<%= config.bin %> codex admin grant carol --namespace shop --kinds pods,deployments --store configmap:kitten-system/access',
  ];
  static override args = { subject: Args.string({ description: 'USER or group:NAME', required: true }) };
  static override flags = {
    ...storeFlags,
    namespace: Flags.string({
      char: 'n',
      description: 'namespace to grant (* for all)',
      required: true,
      helpValue: 'NS',
    }),
    kinds: Flags.string({
      description: 'only these kinds (comma-separated kubectl names); default every kind',
      helpValue: 'KINDS',
    }),
    write: Flags.boolean({
      description: 'also allow changes (plan steps, ask commands that write)',
      default: false,
    }),
    admin: Flags.boolean({ description: 'also make the subject an admin of the policy', default: false }),
  };

  async run(): Promise<{ store: string; grant: Grant; replaced: boolean; admins: string[] }> {
    const { args, flags } = await this.parse(CodexAdminGrant);
    const access = await loadAccess(flags);
    const kinds = flags.kinds
      ?.split(',')
      .map((k) => k.trim())
      .filter(Boolean);
    const result = applyGrant(
      access.policy,
      {
        subject: args.subject,
        namespace: flags.namespace,
        ...(kinds ? { kinds } : {}),
        write: flags.write,
        admin: flags.admin,
      },
      access.actor,
    );
    await access.store.save(result.policy);
    if (!this.jsonEnabled()) {
      process.stderr.write(
        `${errStyle.green(symbols.ok)} ${describeGrant(result.grant)}${result.replaced ? ' (replaces the earlier grant)' : ''}\n`,
      );
      if (result.bootstrappedAdmin) {
        process.stderr.write(
          `${errStyle.dim(`  ${access.actor.user} is now an admin of the policy in ${access.store.description}; Kitten is no longer in single-user mode`)}\n`,
        );
      }
    }
    return {
      store: access.store.description,
      grant: result.grant,
      replaced: result.replaced,
      admins: result.policy.admins,
    };
  }
}
