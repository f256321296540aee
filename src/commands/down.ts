import { fileFlag, KittenCommand, projectFlag } from '../cli/kitten-command.js';
import { progressFlag } from '../cli/progress-flag.js';
import { resolveProject, runtimeFlags, runtimeOptions } from '../cli/runtime-flags.js';
import { down } from '../engine/orchestrator/lifecycle.js';
import { openRuntime } from '../engine/runtime/select.js';

export default class Down extends KittenCommand {
  static override summary = "Stop and remove a project's containers and networks";
  static override examples = ['<%= config.bin %> down', '<%= config.bin %> down -p shop --runtime docker'];
  static override flags = { file: fileFlag, project: projectFlag, ...runtimeFlags, progress: progressFlag };

  async run(): Promise<{
    project: string;
    runtime: string;
    removed: { containers: string[]; networks: string[] };
  }> {
    const { flags } = await this.parse(Down);
    const project = await resolveProject(flags);
    const renderer = this.progress(flags.progress);
    const runtime = await openRuntime(runtimeOptions(flags, renderer.sink), { project });
    try {
      const removed = await down(project, runtime, renderer.sink);
      renderer.stop();
      if (
        !this.jsonEnabled() &&
        removed.containers.length === 0 &&
        removed.networks.length === 0 &&
        runtime.name !== 'kubernetes'
      ) {
        process.stderr.write(`nothing to remove in project ${project} (${runtime.name})\n`);
      }
      return { project, runtime: runtime.name, removed };
    } finally {
      renderer.stop();
      await runtime.close();
    }
  }
}
