import type { Finding } from '../issue.js';
import type { ConfigMap, CronJob, KubeObject, Pod, PodSpec, Secret, Workload } from '../objects.js';
import type { ClusterSnapshot } from '../snapshot.js';
import type { Analyzer, AnalyzerResult } from './analyzer.js';

interface Reference {
  kind: 'ConfigMap' | 'Secret';
  name: string;
  key?: string;
  via: string;
}

/** Every non-optional ConfigMap/Secret reference of a pod spec: env, envFrom, volumes, pull secrets. */
export function configReferences(spec: PodSpec | undefined): Reference[] {
  if (!spec) return [];
  const refs: Reference[] = [];
  for (const c of [...(spec.initContainers ?? []), ...spec.containers]) {
    for (const env of c.env ?? []) {
      const cm = env.valueFrom?.configMapKeyRef;
      if (cm && !cm.optional)
        refs.push({
          kind: 'ConfigMap',
          name: cm.name,
          key: cm.key,
          via: `env ${env.name} of container ${c.name}`,
        });
      const s = env.valueFrom?.secretKeyRef;
      if (s && !s.optional)
        refs.push({
          kind: 'Secret',
          name: s.name,
          key: s.key,
          via: `env ${env.name} of container ${c.name}`,
        });
    }
    for (const from of c.envFrom ?? []) {
      if (from.configMapRef && !from.configMapRef.optional)
        refs.push({ kind: 'ConfigMap', name: from.configMapRef.name, via: `envFrom of container ${c.name}` });
      if (from.secretRef && !from.secretRef.optional)
        refs.push({ kind: 'Secret', name: from.secretRef.name, via: `envFrom of container ${c.name}` });
    }
  }
  for (const v of spec.volumes ?? []) {
    if (v.configMap && !v.configMap.optional)
      refs.push({ kind: 'ConfigMap', name: v.configMap.name, via: `volume ${v.name}` });
    if (v.secret && !v.secret.optional)
      refs.push({ kind: 'Secret', name: v.secret.secretName, via: `volume ${v.name}` });
    for (const source of v.projected?.sources ?? []) {
      if (source.configMap && !source.configMap.optional)
        refs.push({ kind: 'ConfigMap', name: source.configMap.name, via: `projected volume ${v.name}` });
      if (source.secret && !source.secret.optional)
        refs.push({ kind: 'Secret', name: source.secret.name, via: `projected volume ${v.name}` });
    }
  }
  for (const pull of spec.imagePullSecrets ?? [])
    refs.push({ kind: 'Secret', name: pull.name, via: 'imagePullSecrets' });
  return refs;
}

function podSpecOf(object: KubeObject): PodSpec | undefined {
  if (object.kind === 'Pod') return (object as Pod).spec;
  if (object.kind === 'CronJob') return (object as CronJob).spec?.jobTemplate?.spec?.template?.spec;
  return (object as Workload).spec?.template?.spec;
}

function missing(snapshot: ClusterSnapshot, ns: string, ref: Reference): Finding | undefined {
  const object = snapshot.get<ConfigMap | Secret>(ref.kind, ns, ref.name);
  if (!object) {
    return {
      mode: ref.kind === 'ConfigMap' ? 'ConfigMapMissing' : 'SecretMissing',
      text: `${ref.kind} ${ns}/${ref.name} is referenced by ${ref.via} but does not exist`,
      facts: { refKind: ref.kind, refName: ref.name, via: ref.via, ...(ref.key ? { key: ref.key } : {}) },
    };
  }
  if (!ref.key) return undefined;
  const data = {
    ...(object.data ?? {}),
    ...((object as Secret).stringData ?? {}),
    ...((object as ConfigMap).binaryData ?? {}),
  };
  if (Object.hasOwn(data, ref.key)) return undefined;
  return {
    mode: 'ConfigKeyMissing',
    text: `${ref.kind} ${ns}/${ref.name} has no key ${ref.key} (referenced by ${ref.via}); it has ${Object.keys(data).sort().join(', ') || 'no keys'}`,
    facts: {
      refKind: ref.kind,
      refName: ref.name,
      key: ref.key,
      via: ref.via,
      keys: Object.keys(data).sort().join(','),
    },
  };
}

const ownerKinds = ['Deployment', 'StatefulSet', 'DaemonSet', 'CronJob', 'Job', 'Pod'];

/**
 * Looks at the object a person edits (the Deployment, not its pods): a pod is checked only when
 * no controller owns it, and a Job only when no CronJob does. A snapshot without any ConfigMap
 * (or Secret) in a namespace was recorded without that kind, so absence proves nothing there.
 */
export const configReferenceAnalyzer: Analyzer = {
  name: 'ConfigReference',
  kind: '*',
  description: 'ConfigMap or Secret (or a key in one) referenced by a workload but missing',
  analyze: ({ snapshot }) => {
    const recorded = (kind: string) => new Set(snapshot.ofKind(kind).map((o) => o.metadata.namespace ?? ''));
    const namespacesWith = { ConfigMap: recorded('ConfigMap'), Secret: recorded('Secret') };
    return ownerKinds.flatMap((kind) =>
      snapshot.ofKind(kind).flatMap((object): AnalyzerResult[] => {
        if ((object.metadata.ownerReferences ?? []).length > 0) return [];
        const ns = object.metadata.namespace ?? '';
        const seen = new Set<string>();
        const findings: Finding[] = [];
        for (const ref of configReferences(podSpecOf(object))) {
          if (!namespacesWith[ref.kind].has(ns)) continue;
          const finding = missing(snapshot, ns, ref);
          if (!finding) continue;
          // A missing object is one finding however many env vars point into it.
          const key = `${ref.kind}/${ref.name}/${finding.mode === 'ConfigKeyMissing' ? ref.key : ''}`;
          if (seen.has(key)) continue;
          seen.add(key);
          findings.push(finding);
        }
        return findings.length > 0 ? [{ object, severity: 'critical', findings }] : [];
      }),
    );
  },
};
