import type { Finding } from '../issue.js';
import type { HorizontalPodAutoscaler, PodDisruptionBudget, Workload } from '../objects.js';
import { conditionOf } from '../objects.js';
import { matchesSelector, selectorText } from '../selectors.js';
import type { Analyzer, AnalyzerResult } from './analyzer.js';

export const hpaAnalyzer: Analyzer = {
  name: 'HorizontalPodAutoscaler',
  kind: 'HorizontalPodAutoscaler',
  description: 'scale target missing; unable to compute replicas (metrics, missing requests)',
  analyze: ({ snapshot }) =>
    snapshot.ofKind<HorizontalPodAutoscaler>('HorizontalPodAutoscaler').flatMap((hpa): AnalyzerResult[] => {
      const ns = hpa.metadata.namespace ?? '';
      const ref = hpa.spec?.scaleTargetRef;
      if (!ref) return [];
      const target = snapshot.get<Workload>(ref.kind, ns, ref.name);
      if (!target) {
        return [
          {
            object: hpa,
            severity: 'critical',
            findings: [
              {
                mode: 'HpaTargetMissing',
                text: `HorizontalPodAutoscaler scales ${ref.kind} ${ns}/${ref.name}, which does not exist`,
                facts: { targetKind: ref.kind, targetName: ref.name },
              },
            ],
          },
        ];
      }
      const findings: Finding[] = [];
      const active = conditionOf(hpa.status?.conditions, 'ScalingActive');
      const able = conditionOf(hpa.status?.conditions, 'AbleToScale');
      const resourceMetrics = (hpa.spec?.metrics ?? [])
        .filter((m) => m.type === 'Resource')
        .map((m) => m.resource?.name ?? '');
      const containers = target.spec?.template?.spec.containers ?? [];
      const withoutRequests = containers
        .filter((c) => resourceMetrics.some((r) => r && !c.resources?.requests?.[r]))
        .map((c) => c.name);
      const facts = {
        targetKind: ref.kind,
        targetName: ref.name,
        ...(withoutRequests.length > 0
          ? { containersWithoutRequests: withoutRequests.join(','), metric: resourceMetrics.join(',') }
          : {}),
      };
      if (active?.status === 'False') {
        findings.push({
          mode: 'HpaUnableToCompute',
          text: `HorizontalPodAutoscaler cannot compute replicas (${active.reason ?? 'ScalingActive=False'})${active.message ? `: ${active.message}` : ''}`,
          facts: { ...facts, reason: active.reason ?? '', message: active.message ?? '' },
        });
      } else if (able?.status === 'False') {
        findings.push({
          mode: 'HpaUnableToCompute',
          text: `HorizontalPodAutoscaler cannot scale (${able.reason ?? 'AbleToScale=False'})${able.message ? `: ${able.message}` : ''}`,
          facts: { ...facts, reason: able.reason ?? '', message: able.message ?? '' },
        });
      } else if (withoutRequests.length > 0) {
        findings.push({
          mode: 'HpaUnableToCompute',
          text: `HorizontalPodAutoscaler scales on ${resourceMetrics.join(',')} but containers ${withoutRequests.join(', ')} of ${ref.kind} ${ref.name} set no ${resourceMetrics.join('/')} request`,
          facts: { ...facts, reason: 'MissingResourceRequests', message: '' },
        });
      }
      return findings.length > 0 ? [{ object: hpa, severity: 'warning', findings }] : [];
    }),
};

export const pdbAnalyzer: Analyzer = {
  name: 'PodDisruptionBudget',
  kind: 'PodDisruptionBudget',
  description: 'budget allows no disruption (drains and upgrades block), selector matches no pods',
  analyze: ({ snapshot }) =>
    snapshot.ofKind<PodDisruptionBudget>('PodDisruptionBudget').flatMap((pdb): AnalyzerResult[] => {
      const ns = pdb.metadata.namespace ?? '';
      const selector = pdb.spec?.selector;
      const pods = snapshot.ofKind('Pod', ns).filter((p) => matchesSelector(selector, p.metadata.labels));
      const selectorLine = selectorText(selector);
      if (pods.length === 0) {
        return [
          {
            object: pdb,
            severity: 'warning',
            findings: [
              {
                mode: 'PdbSelectsNoPods',
                text: `PodDisruptionBudget selects no pods: nothing in ${ns} matches ${selectorLine}`,
                facts: { selector: selectorLine },
              },
            ],
          },
        ];
      }
      const allowed = pdb.status?.disruptionsAllowed;
      const condition = conditionOf(pdb.status?.conditions, 'DisruptionAllowed');
      if (allowed !== 0 && condition?.status !== 'False') return [];
      const spec =
        pdb.spec?.maxUnavailable !== undefined
          ? `maxUnavailable ${pdb.spec.maxUnavailable}`
          : `minAvailable ${pdb.spec?.minAvailable ?? '?'}`;
      return [
        {
          object: pdb,
          severity: 'warning',
          findings: [
            {
              mode: 'PdbBlocksDisruptions',
              text: `PodDisruptionBudget allows 0 disruptions (${spec}, ${pdb.status?.currentHealthy ?? 0} healthy of ${pdb.status?.expectedPods ?? pods.length} expected): node drains will block`,
              facts: {
                selector: selectorLine,
                budget: spec,
                currentHealthy: pdb.status?.currentHealthy ?? 0,
                expectedPods: pdb.status?.expectedPods ?? pods.length,
                ...(condition?.reason ? { reason: condition.reason } : {}),
              },
            },
          ],
        },
      ];
    }),
};
