import { Args } from '@oclif/core';
import { selectContainers } from '../engine/orchestrator/lifecycle.js';
import { openRuntime } from '../engine/runtime/select.js';
import type { Runtime } from '../engine/runtime/types.js';
import { style, symbols } from '../output/style.js';
import { fileFlag, KittenCommand, projectFlag } from './kitten-command.js';
import { resolveProject, runtimeFlags, runtimeOptions } from './runtime-flags.js';

/** stop, start and restart: the same shape, one runtime call per selected container. */
export abstract class ContainerAction extends KittenCommand {
  static override strict = false;
  static override args = {
    services: Args.string({ description: 'only these services, or containers by name (default: all)' }),
  };
  static override flags = { file: fileFlag, project: projectFlag, ...runtimeFlags };

  protected abstract readonly verb: string;
  protected abstract act(runtime: Runtime, name: string): Promise<void>;

  async run(): Promise<{ project: string; containers: string[] }> {
    const { flags, argv } = await this.parse(this.constructor as typeof ContainerAction);
    const project = await resolveProject(flags);
    const runtime = await openRuntime(runtimeOptions(flags), { project });
    try {
      const containers = await selectContainers(runtime, project, argv as string[]);
      await Promise.all(
        containers.map(async (c) => {
          await this.act(runtime, c.name);
          if (!this.jsonEnabled())
            process.stdout.write(`${style.green(symbols.ok)} ${c.name} ${this.verb}\n`);
        }),
      );
      return { project, containers: containers.map((c) => c.name) };
    } finally {
      await runtime.close();
    }
  }
}
