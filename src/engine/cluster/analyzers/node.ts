import type { Finding } from '../issue.js';
import type { NodeObject } from '../objects.js';
import { conditionOf } from '../objects.js';
import type { Analyzer, AnalyzerResult } from './analyzer.js';

const pressures = ['MemoryPressure', 'DiskPressure', 'PIDPressure', 'NetworkUnavailable'];

export const nodeAnalyzer: Analyzer = {
  name: 'Node',
  kind: 'Node',
  description: 'NotReady; memory, disk or PID pressure; network unavailable',
  analyze: ({ snapshot }) =>
    snapshot.ofKind<NodeObject>('Node').flatMap((node): AnalyzerResult[] => {
      const conditions = node.status?.conditions;
      const findings: Finding[] = [];
      const ready = conditionOf(conditions, 'Ready');
      if (ready && ready.status !== 'True') {
        findings.push({
          mode: 'NodeNotReady',
          text: `Node is NotReady (${ready.reason ?? ready.status})${ready.message ? `: ${ready.message}` : ''}`,
          facts: {
            reason: ready.reason ?? ready.status,
            message: ready.message ?? '',
            since: ready.lastTransitionTime ?? '',
          },
        });
      }
      for (const type of pressures) {
        const c = conditionOf(conditions, type);
        if (c?.status !== 'True') continue;
        findings.push({
          mode: 'NodePressure',
          text: `Node has ${type}${c.message ? `: ${c.message}` : ''}`,
          facts: { condition: type, message: c.message ?? '' },
        });
      }
      if (findings.length === 0) return [];
      return [
        {
          object: node,
          severity: findings.some((f) => f.mode === 'NodeNotReady') ? 'critical' : 'warning',
          findings,
        },
      ];
    }),
};
