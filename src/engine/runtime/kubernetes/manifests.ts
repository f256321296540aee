import { stringify } from 'yaml';
import type { KubeObject } from './objects.js';

/** Multi-document YAML that `kubectl apply -f -` accepts, one object per document, in apply order. */
export function manifestsYaml(objects: readonly KubeObject[]): string {
  return objects.map((o) => `---\n${stringify(o, { lineWidth: 0, aliasDuplicateObjects: false })}`).join('');
}
