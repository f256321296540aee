import { ContainerAction } from '../cli/container-action.js';
import type { Runtime } from '../engine/runtime/types.js';

export default class Stop extends ContainerAction {
  static override summary = "Stop a project's containers (all, or the services named)";
  protected readonly verb = 'stopped';
  protected act(runtime: Runtime, name: string): Promise<void> {
    return runtime.stop(name);
  }
}
