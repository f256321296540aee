import { ContainerAction } from '../cli/container-action.js';
import type { Runtime } from '../engine/runtime/types.js';

export default class Restart extends ContainerAction {
  static override summary = "Restart a project's containers (all, or the services named)";
  protected readonly verb = 'restarted';
  protected async act(runtime: Runtime, name: string): Promise<void> {
    await runtime.stop(name);
    await runtime.start(name);
  }
}
