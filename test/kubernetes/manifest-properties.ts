import { expect } from 'vitest';
import { DNS1035_LABEL, DNS1123_LABEL } from '../../src/engine/runtime/kubernetes/names.js';
import type { KubeObject } from '../../src/engine/runtime/kubernetes/objects.js';
import type { JsonObject } from '../support/kube-apiserver/patches.js';
import { BUILTIN_RESOURCES } from '../support/kube-apiserver/resources.js';
import { validate } from '../support/kube-apiserver/validation.js';

/**
 * The acceptance properties of a set of manifests: names are valid DNS labels, workload
 * selectors match their pod templates, every Service selects the pods of exactly one workload in
 * the same set, every NetworkPolicy selects some pods, and the API server's validation accepts
 * every object.
 */
type Plain = Record<string, unknown>;

function labelsOf(o: unknown): Record<string, string> {
  return ((o as Plain | undefined)?.labels as Record<string, string>) ?? {};
}

function templateLabels(o: KubeObject): Record<string, string> {
  return labelsOf(((o.spec as Plain).template as Plain).metadata);
}

function selects(selector: Record<string, string>, labels: Record<string, string>): boolean {
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

export function checkManifestProperties(objects: KubeObject[]): void {
  const seen = new Set<string>();
  for (const o of objects) {
    const key = `${o.kind}/${o.metadata.name}`;
    expect(seen.has(key), `duplicate ${key}`).toBe(false);
    seen.add(key);
    expect(o.metadata.name, key).toMatch(o.kind === 'Service' ? DNS1035_LABEL : DNS1123_LABEL);
    expect(o.metadata.name.length, key).toBeLessThanOrEqual(63);
    const type = BUILTIN_RESOURCES.find((t) => t.kind === o.kind)!;
    expect(validate(type, structuredClone(o) as unknown as JsonObject), key).toEqual([]);
  }
  const workloads = objects.filter((o) => o.kind === 'Deployment' || o.kind === 'Job');
  for (const w of workloads) {
    if (w.kind === 'Deployment') {
      const matchLabels = ((w.spec as Plain).selector as Plain).matchLabels as Record<string, string>;
      expect(selects(matchLabels, templateLabels(w)), `${w.metadata.name} selector`).toBe(true);
    }
    const containers = (((w.spec as Plain).template as Plain).spec as Plain).containers as Plain[];
    for (const c of containers) expect(c.name).toMatch(DNS1123_LABEL);
  }
  for (const svc of objects.filter((o) => o.kind === 'Service')) {
    const selector = (svc.spec as Plain).selector as Record<string, string>;
    const targets = workloads.filter((w) => selects(selector, templateLabels(w)));
    expect(targets.length, `Service ${svc.metadata.name} selects exactly one workload's pods`).toBe(1);
  }
  for (const policy of objects.filter((o) => o.kind === 'NetworkPolicy')) {
    const selector = ((policy.spec as Plain).podSelector as Plain).matchLabels as Record<string, string>;
    expect(
      workloads.some((w) => selects(selector, templateLabels(w))),
      `${policy.metadata.name} selects pods`,
    ).toBe(true);
  }
}
