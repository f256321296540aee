import { Flags } from '@oclif/core';
import { KittenCommand } from '../cli/kitten-command.js';
import { UsageError } from '../engine/errors.js';
import { assertTerminal, runTui } from '../tui/command.js';

export const tuiFlags = {
  snapshot: Flags.string({
    description:
      'read the cluster from a snapshot file (kubectl get -o yaml|json) instead of a live API server',
    helpValue: 'FILE',
  }),
  context: Flags.string({ description: 'kube context to use (default: the current one)', helpValue: 'NAME' }),
  namespace: Flags.string({
    char: 'n',
    description: 'start in this namespace (default: all granted)',
    helpValue: 'NS',
  }),
  kubeconfig: Flags.string({
    description: 'kubeconfig file (default: $KUBECONFIG or ~/.kube/config)',
    helpValue: 'PATH',
  }),
};

export default class Tui extends KittenCommand {
  static override summary =
    'Full-screen terminal UI: issues, local stacks and cluster resources, with plans and ask';
  static override description =
    `Keys: ←/→ or 1–9 tabs, ↑/↓ j/k g/G PgUp/PgDn move, / filter, : command (:pods, :ns shop, :ctx NAME, :q), Enter details, l logs, p plan, r root cause, a ask, ? help, q quit.
Needs a terminal; in scripts use \`kitten codex issues --json\`.`;
  static override examples = [
    '<%= config.bin %> tui --snapshot fixtures/clusters/broken-shop.yaml',
    '<%= config.bin %> tui --context prod-eu -n shop',
  ];
  static override flags = tuiFlags;

  async run(): Promise<void> {
    const { flags } = await this.parse(Tui);
    await runFullScreen(this.jsonEnabled(), 'kitten tui', flags, 'Pod');
  }
}

export async function runFullScreen(
  json: boolean,
  name: string,
  flags: { snapshot?: string; context?: string; namespace?: string; kubeconfig?: string },
  initialTab: string,
): Promise<void> {
  if (json) {
    throw new UsageError('TUI_NO_JSON', `${name} has no JSON output`, {
      hint: 'for machine-readable issues use `kitten codex issues --json`',
    });
  }
  if (flags.snapshot && (flags.context || flags.kubeconfig)) {
    throw new UsageError(
      'TUI_SOURCE_CONFLICT',
      '--snapshot cannot be combined with --context or --kubeconfig',
      {
        hint: 'pick one: a snapshot file, or a live cluster',
      },
    );
  }
  assertTerminal(process, name);
  await runTui(flags, initialTab);
}
