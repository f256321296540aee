import { Args } from '@oclif/core';
import { fileFlag, KittenCommand, projectFlag } from '../cli/kitten-command.js';
import { resolveProject, runtimeFlags, runtimeOptions } from '../cli/runtime-flags.js';
import { UsageError } from '../engine/errors.js';
import { selectContainers } from '../engine/orchestrator/lifecycle.js';
import { openRuntime } from '../engine/runtime/select.js';
import type { ExecResult } from '../engine/runtime/types.js';

export default class Exec extends KittenCommand {
  static override summary = "Run a command in a service's container";
  static override examples = ['<%= config.bin %> exec web -- cat /etc/hosts'];
  static override strict = false;
  static override args = {
    service: Args.string({ required: true, description: 'service (its first replica)' }),
  };
  static override flags = { file: fileFlag, project: projectFlag, ...runtimeFlags };

  async run(): Promise<ExecResult> {
    const { flags, args, argv } = await this.parse(Exec);
    const command = (argv as string[]).slice(1);
    if (command.length === 0)
      throw new UsageError('NO_COMMAND', 'no command given', {
        hint: 'kitten exec SERVICE -- CMD [ARGS...]',
      });
    const project = await resolveProject(flags);
    const runtime = await openRuntime(runtimeOptions(flags), { project });
    try {
      const [container] = await selectContainers(runtime, project, [args.service]);
      const result = await runtime.exec(container!.name, command);
      if (!this.jsonEnabled()) {
        process.stdout.write(result.stdout);
        process.stderr.write(result.stderr);
      }
      if (result.exitCode !== 0) process.exitCode = result.exitCode;
      return result;
    } finally {
      await runtime.close();
    }
  }
}
