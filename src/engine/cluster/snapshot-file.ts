import { readFile } from 'node:fs/promises';
import { parseAllDocuments } from 'yaml';
import { UsageError } from '../errors.js';
import { readFastYaml, Unsupported } from './fast-yaml.js';
import type { KubeObject } from './objects.js';
import { ClusterSnapshot } from './snapshot.js';
import type { ClusterSource, ListOptions } from './source.js';

/**
 * Reads what `kubectl get <kinds> -A -o yaml|json` writes (a `kind: List`, or a typed list such as
 * `PodList` whose items carry no kind), multi-document YAML, or a JSON array of objects.
 */
export function parseSnapshotText(text: string, origin = 'snapshot'): KubeObject[] {
  const trimmed = text.trimStart();
  let documents: unknown[];
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      documents = [JSON.parse(text)];
    } catch (error) {
      throw new UsageError('SNAPSHOT_INVALID', `${origin}: not valid JSON: ${(error as Error).message}`, {
        hint: 'a snapshot is what `kubectl get <kinds> -A -o json` or `kitten codex snapshot` writes',
      });
    }
  } else {
    documents = fastDocuments(text) ?? [];
    if (documents.length > 0) {
      const objects: KubeObject[] = [];
      for (const doc of documents) collect(doc, undefined, objects, origin);
      return objects;
    }
    for (const doc of parseAllDocuments(text, { uniqueKeys: false })) {
      const problem = doc.errors[0];
      if (problem) {
        throw new UsageError(
          'SNAPSHOT_INVALID',
          `${origin}: not valid YAML: ${problem.message.split('\n')[0]}`,
          {
            hint: 'a snapshot is what `kubectl get <kinds> -A -o yaml` or `kitten codex snapshot` writes',
          },
        );
      }
      documents.push(doc.toJS({ maxAliasCount: -1 }));
    }
  }
  const objects: KubeObject[] = [];
  for (const doc of documents) collect(doc, undefined, objects, origin);
  return objects;
}

/** kubectl-shaped YAML through the fast reader; undefined when it needs the full parser. */
function fastDocuments(text: string): unknown[] | undefined {
  try {
    const docs = readFastYaml(text);
    return docs.length > 0 ? docs : undefined;
  } catch (error) {
    if (error instanceof Unsupported) return undefined;
    throw error;
  }
}

function collect(value: unknown, impliedKind: string | undefined, into: KubeObject[], origin: string): void {
  if (value === null || value === undefined) return;
  if (Array.isArray(value)) {
    for (const item of value) collect(item, impliedKind, into, origin);
    return;
  }
  if (typeof value !== 'object') {
    throw new UsageError(
      'SNAPSHOT_INVALID',
      `${origin}: expected Kubernetes objects, found ${typeof value}`,
      {
        hint: 'each document must be an object with kind and metadata.name, or a List of them',
      },
    );
  }
  const record = value as Record<string, unknown>;
  const kind = typeof record.kind === 'string' ? record.kind : impliedKind;
  if (Array.isArray(record.items) && (kind === undefined || kind.endsWith('List'))) {
    const itemKind = kind && kind !== 'List' ? kind.slice(0, -'List'.length) : undefined;
    for (const item of record.items) collect(item, itemKind, into, origin);
    return;
  }
  const metadata = record.metadata as { name?: unknown } | undefined;
  if (!kind || !metadata || typeof metadata.name !== 'string') {
    throw new UsageError(
      'SNAPSHOT_INVALID',
      `${origin}: object #${into.length + 1} has no ${kind ? 'metadata.name' : 'kind'}`,
      { hint: 'each object needs kind and metadata.name, as `kubectl get -o yaml` writes them' },
    );
  }
  if (record.kind !== kind) record.kind = kind;
  into.push(record as KubeObject);
}

export async function loadSnapshot(file: string): Promise<ClusterSnapshot> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(
      'SNAPSHOT_NOT_FOUND',
      `cannot read snapshot ${file}: ${code === 'ENOENT' ? 'no such file' : code}`,
      {
        hint: 'record one with `kitten codex snapshot -A > cluster.yaml`, or try fixtures/clusters/broken-shop.yaml',
      },
    );
  }
  return new ClusterSnapshot(parseSnapshotText(text, file));
}

/** A snapshot file as a ClusterSource: never changes, no watch, no logs. */
export class SnapshotSource implements ClusterSource {
  readonly mode = 'snapshot' as const;
  readonly description: string;
  private readonly data: ClusterSnapshot;

  constructor(data: ClusterSnapshot, description: string) {
    this.data = data;
    this.description = description;
  }

  static async open(file: string): Promise<SnapshotSource> {
    return new SnapshotSource(await loadSnapshot(file), file);
  }

  async list(kind: string, options: ListOptions = {}): Promise<KubeObject[]> {
    return this.data.ofKind(kind, options.namespace);
  }

  async snapshot(options: ListOptions = {}): Promise<ClusterSnapshot> {
    const ns = options.namespace;
    if (ns === undefined) return this.data;
    return this.data.filter((o) =>
      o.kind === 'Namespace' ? o.metadata.name === ns : !o.metadata.namespace || o.metadata.namespace === ns,
    );
  }
}
