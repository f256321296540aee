import { ContainerAction } from '../cli/container-action.js';
import type { Runtime } from '../engine/runtime/types.js';

export default class Start extends ContainerAction {
  static override summary = "Start a project's stopped containers (all, or the services named)";
  protected readonly verb = 'started';
  protected act(runtime: Runtime, name: string): Promise<void> {
    return runtime.start(name);
  }
}
