import type { FailureMode } from '../../cluster/issue.js';
import type { Knowledge } from './context.js';
import { infrastructureKnowledge } from './infrastructure.js';
import { networkKnowledge } from './network.js';
import { operationsKnowledge } from './operations.js';
import { podKnowledge } from './pods.js';
import { workloadKnowledge } from './workloads.js';

/** One entry per failure mode the analyzers report; the type makes a missing one a compile error. */
export const knowledgeBase: Record<FailureMode, Knowledge> = {
  ...podKnowledge,
  ...workloadKnowledge,
  ...networkKnowledge,
  ...infrastructureKnowledge,
  ...operationsKnowledge,
  ConfigMapMissing: podKnowledge.CreateContainerConfigError,
  SecretMissing: podKnowledge.CreateContainerConfigError,
  ConfigKeyMissing: podKnowledge.CreateContainerConfigError,
};
