/**
 * Kitten's engine as a library (`import { stack, orchestrator } from 'kitten'`): everything the
 * CLI and the TUI do, with no UI. Each area is a namespace, so names never collide.
 */
export * as access from './access/index.js';
export * as advisor from './advisor/index.js';
export * as cluster from './cluster/index.js';
export * from './errors.js';
export * as intent from './intent/index.js';
export * as llm from './llm/index.js';
export { down, planUp, selectContainers, up } from './orchestrator/lifecycle.js';
export { followLogs } from './orchestrator/logs.js';
export { formatPlan, type Plan, type Step } from './orchestrator/plan.js';
export type { ProgressEvent, ProgressSink } from './progress.js';
export {
  openRuntime,
  type RuntimeChoice,
  type RuntimeOptions,
  resolveRuntimeName,
} from './runtime/select.js';
export * from './runtime/types.js';
export * as ssh from './ssh/index.js';
export { configHash } from './stack/hash.js';
export * as stack from './stack/index.js';
