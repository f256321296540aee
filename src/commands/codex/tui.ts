import { KittenCommand } from '../../cli/kitten-command.js';
import { runFullScreen, tuiFlags } from '../tui.js';

export default class CodexTui extends KittenCommand {
  static override summary = 'Full-screen terminal UI starting on the cluster issues table';
  static override description =
    'The same app as `kitten tui`, opened on the Issues tab: p makes a remediation plan, r a root-cause analysis.';
  static override examples = ['<%= config.bin %> codex tui --snapshot fixtures/clusters/broken-shop.yaml'];
  static override flags = tuiFlags;

  async run(): Promise<void> {
    const { flags } = await this.parse(CodexTui);
    await runFullScreen(this.jsonEnabled(), 'codex tui', flags, 'issues');
  }
}
