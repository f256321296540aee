import { Flags } from '@oclif/core';
import { fileFlag, KittenCommand, projectFlag } from '../cli/kitten-command.js';
import { resolveProject, runtimeFlags, runtimeOptions } from '../cli/runtime-flags.js';
import { openRuntime } from '../engine/runtime/select.js';
import type { ContainerStatus } from '../engine/runtime/types.js';
import { renderContainers } from '../output/containers.js';
import { toJson, toYaml } from '../output/format.js';

export default class Ps extends KittenCommand {
  static override summary = "List a project's containers (state, ports, ip, restarts)";
  static override description =
    'JSON (--json or -o json): one object per container with name, service, replica, image, state (created|running|restarting|exited), health, pid, ip, ports [{host, container, protocol, host_ip}], restarts, exit_code, config_hash, started_at, finished_at — the same shape from every runtime.';
  static override examples = [
    '<%= config.bin %> ps',
    '<%= config.bin %> ps --all -o wide',
    '<%= config.bin %> ps --json',
  ];
  static override flags = {
    file: fileFlag,
    project: projectFlag,
    ...runtimeFlags,
    all: Flags.boolean({ char: 'a', description: 'every Kitten project on this runtime', default: false }),
    output: Flags.string({ char: 'o', options: ['table', 'wide', 'json', 'yaml'], default: 'table' }),
  };

  async run(): Promise<ContainerStatus[]> {
    const { flags } = await this.parse(Ps);
    const project = flags.all ? undefined : await resolveProject(flags);
    const runtime = await openRuntime(runtimeOptions(flags), project ? { project } : {});
    try {
      const projects = project ? [project] : await runtime.projects();
      const containers = (await Promise.all(projects.map((p) => runtime.list(p)))).flat();
      if (!this.jsonEnabled()) {
        const out =
          flags.output === 'json'
            ? toJson(containers)
            : flags.output === 'yaml'
              ? toYaml(containers)
              : renderContainers(containers, flags.output === 'wide');
        process.stdout.write(out);
      }
      return containers;
    } finally {
      await runtime.close();
    }
  }
}
