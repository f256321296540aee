import { registerAnalyzer } from './analyzer.js';
import { cronJobAnalyzer, jobAnalyzer } from './batch.js';
import { configReferenceAnalyzer } from './config-references.js';
import { ingressAnalyzer, networkPolicyAnalyzer, serviceAnalyzer } from './network.js';
import { nodeAnalyzer } from './node.js';
import { podAnalyzer } from './pod.js';
import { hpaAnalyzer, pdbAnalyzer } from './scaling.js';
import { pvcAnalyzer } from './storage.js';
import {
  daemonSetAnalyzer,
  deploymentAnalyzer,
  replicaSetAnalyzer,
  statefulSetAnalyzer,
} from './workload.js';

/** Kitten's core set, K8sGPT's core set and a little more; registered once on import. */
export const coreAnalyzers = [
  podAnalyzer,
  deploymentAnalyzer,
  statefulSetAnalyzer,
  replicaSetAnalyzer,
  daemonSetAnalyzer,
  serviceAnalyzer,
  ingressAnalyzer,
  pvcAnalyzer,
  nodeAnalyzer,
  jobAnalyzer,
  cronJobAnalyzer,
  hpaAnalyzer,
  pdbAnalyzer,
  networkPolicyAnalyzer,
  configReferenceAnalyzer,
];

for (const analyzer of coreAnalyzers) registerAnalyzer(analyzer);
