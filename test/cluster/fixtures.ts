import { fileURLToPath } from 'node:url';
import { analyzeSnapshot } from '../../src/engine/cluster/analysis.js';
import type { Issue } from '../../src/engine/cluster/issue.js';
import type { ClusterSnapshot } from '../../src/engine/cluster/snapshot.js';
import { loadSnapshot } from '../../src/engine/cluster/snapshot-file.js';

/** The instant the fixture clusters were "recorded"; every AGE and grace period is relative to it. */
export const NOW = new Date('2026-11-21T12:00:00Z');

export const fixturePath = (name: string) =>
  fileURLToPath(new URL(`../../fixtures/clusters/${name}`, import.meta.url));

const cache = new Map<string, Promise<ClusterSnapshot>>();
export function fixture(
  name: 'healthy.yaml' | 'broken-shop.yaml' | 'edge-cases.yaml',
): Promise<ClusterSnapshot> {
  let loaded = cache.get(name);
  if (!loaded) {
    loaded = loadSnapshot(fixturePath(name));
    cache.set(name, loaded);
  }
  return loaded;
}

export async function brokenShopIssues(): Promise<Issue[]> {
  return analyzeSnapshot(await fixture('broken-shop.yaml'), { now: NOW });
}

export async function edgeCaseIssues(): Promise<Issue[]> {
  return analyzeSnapshot(await fixture('edge-cases.yaml'), { now: NOW });
}
