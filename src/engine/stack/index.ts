export * from './graph.js';
export * from './load.js';
export type * from './model.js';
export * from './plan.js';
export { formatPort, parsePort } from './ports.js';
export { stackJsonSchema } from './spec.js';
export { formatDuration, parseCpus, parseDuration, parseMemory } from './units.js';
