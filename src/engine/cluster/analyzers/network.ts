import type { Finding, Severity } from '../issue.js';
import type { Endpoints, Ingress, KubeObject, NetworkPolicy, Pod, Service } from '../objects.js';
import { matchesEquality, matchesSelector, selectorText } from '../selectors.js';
import type { Analyzer, AnalyzerResult } from './analyzer.js';

function podReady(pod: Pod): boolean {
  return pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

export const serviceAnalyzer: Analyzer = {
  name: 'Service',
  kind: 'Service',
  description: 'selector matches no pods; no ready endpoints',
  analyze: ({ snapshot }) =>
    snapshot.ofKind<Service>('Service').flatMap((svc): AnalyzerResult[] => {
      const selector = svc.spec?.selector;
      // ExternalName and selector-less Services have hand-managed endpoints: nothing to match.
      if (svc.spec?.type === 'ExternalName' || !selector || Object.keys(selector).length === 0) return [];
      const ns = svc.metadata.namespace ?? '';
      const pods = snapshot
        .ofKind<Pod>('Pod', ns)
        .filter((p) => matchesEquality(selector, p.metadata.labels) && p.status?.phase !== 'Succeeded');
      const selectorLine = selectorText(selector);
      if (pods.length === 0) {
        return [
          {
            object: svc,
            severity: 'critical',
            findings: [
              {
                mode: 'ServiceNoMatchingPods',
                text: `Service has no pods matching its selector ${selectorLine}`,
                facts: { selector: selectorLine },
              },
            ],
          },
        ];
      }
      const endpoints = snapshot.get<Endpoints>('Endpoints', ns, svc.metadata.name);
      const readyAddresses = endpoints
        ? (endpoints.subsets ?? []).reduce((n, s) => n + (s.addresses?.length ?? 0), 0)
        : pods.filter(podReady).length;
      if (readyAddresses > 0) return [];
      const notReady = pods.map((p) => p.metadata.name).sort();
      return [
        {
          object: svc,
          severity: 'critical',
          findings: [
            {
              mode: 'ServiceNoReadyEndpoints',
              text: `Service has no ready endpoints: ${notReady.length} matching pod${notReady.length === 1 ? ' is' : 's are'} not ready (${notReady.slice(0, 3).join(', ')}${notReady.length > 3 ? ', ...' : ''})`,
              facts: { selector: selectorLine, notReadyPods: notReady.join(','), pod: notReady[0] ?? '' },
            },
          ],
        },
      ];
    }),
};

const defaultClassAnnotation = 'ingressclass.kubernetes.io/is-default-class';

export const ingressAnalyzer: Analyzer = {
  name: 'Ingress',
  kind: 'Ingress',
  description: 'missing backend service, missing ingress class, missing TLS secret',
  analyze: ({ snapshot }) => {
    const classes = snapshot.ofKind('IngressClass');
    const hasDefault = classes.some((c) => c.metadata.annotations?.[defaultClassAnnotation] === 'true');
    const secretsKnown = snapshot.ofKind('Secret').length > 0;
    return snapshot.ofKind<Ingress>('Ingress').flatMap((ing): AnalyzerResult[] => {
      const ns = ing.metadata.namespace ?? '';
      const findings: Finding[] = [];
      const className =
        ing.spec?.ingressClassName ?? ing.metadata.annotations?.['kubernetes.io/ingress.class'];
      if (!className && !hasDefault) {
        findings.push({
          mode: 'IngressClassMissing',
          text: 'Ingress names no ingress class and the cluster has no default IngressClass',
          facts: { ingressClass: '' },
        });
      } else if (className && classes.length > 0 && !classes.some((c) => c.metadata.name === className)) {
        findings.push({
          mode: 'IngressClassMissing',
          text: `Ingress uses the ingress class ${className}, which does not exist`,
          facts: { ingressClass: className, available: classes.map((c) => c.metadata.name).join(',') },
        });
      }
      const backends = [
        ...(ing.spec?.defaultBackend ? [ing.spec.defaultBackend] : []),
        ...(ing.spec?.rules ?? []).flatMap((r) => (r.http?.paths ?? []).map((p) => p.backend)),
      ];
      const reported = new Set<string>();
      for (const backend of backends) {
        const name = backend.service?.name;
        if (!name || reported.has(name) || snapshot.has('Service', ns, name)) continue;
        reported.add(name);
        findings.push({
          mode: 'IngressBackendMissing',
          text: `Ingress routes to Service ${ns}/${name}, which does not exist`,
          facts: { service: name, port: backend.service?.port?.number ?? backend.service?.port?.name ?? '' },
        });
      }
      if (secretsKnown) {
        for (const tls of ing.spec?.tls ?? []) {
          if (!tls.secretName || snapshot.has('Secret', ns, tls.secretName)) continue;
          findings.push({
            mode: 'IngressTlsSecretMissing',
            text: `Ingress TLS references Secret ${ns}/${tls.secretName}, which does not exist`,
            facts: { secret: tls.secretName, hosts: (tls.hosts ?? []).join(',') },
          });
        }
      }
      if (findings.length === 0) return [];
      const severity: Severity = findings.some((f) => f.mode === 'IngressBackendMissing')
        ? 'critical'
        : 'warning';
      return [{ object: ing, severity, findings }];
    });
  },
};

export const networkPolicyAnalyzer: Analyzer = {
  name: 'NetworkPolicy',
  kind: 'NetworkPolicy',
  description: 'policy selects no pods',
  analyze: ({ snapshot }) =>
    snapshot.ofKind<NetworkPolicy>('NetworkPolicy').flatMap((np): AnalyzerResult[] => {
      const selector = np.spec?.podSelector;
      const empty =
        !selector ||
        (Object.keys(selector.matchLabels ?? {}).length === 0 &&
          (selector.matchExpressions ?? []).length === 0);
      // An empty podSelector deliberately applies to every pod in the namespace (default deny).
      if (empty) return [];
      const pods = snapshot.ofKind<KubeObject>('Pod', np.metadata.namespace ?? '');
      if (pods.some((p) => matchesSelector(selector, p.metadata.labels))) return [];
      const text = selectorText(selector);
      return [
        {
          object: np,
          severity: 'warning',
          findings: [
            {
              mode: 'NetworkPolicySelectsNoPods',
              text: `NetworkPolicy selects no pods: no pod in ${np.metadata.namespace} matches ${text}`,
              facts: { selector: text },
            },
          ],
        },
      ];
    }),
};
