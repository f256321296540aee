import { Buffer } from 'node:buffer';
import { open, readFile } from 'node:fs/promises';
import { KittenError, UsageError } from '../errors.js';
import type { KubeObject } from './objects.js';
import { ClusterSnapshot } from './snapshot.js';
import { readYamlDocuments } from './snapshot-yaml.js';
import type { ClusterSource, ListOptions } from './source.js';

/**
 * Reads what `kubectl get <kinds> -A -o yaml|json` writes (a `kind: List`, or a typed list such as
 * `PodList` whose items carry no kind), multi-document YAML, or a JSON array of objects.
 */
export function parseSnapshotText(text: string, origin = 'snapshot'): KubeObject[] {
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) return objectsOf([parseJson(text, origin)], origin);
  return objectsOf(readYamlDocuments(Buffer.from(text, 'utf8'), origin), origin);
}

/** The same from the file's bytes: YAML is read without first decoding the whole file to a string. */
export function parseSnapshotBytes(bytes: Uint8Array, origin = 'snapshot'): KubeObject[] {
  if (readAsText(bytes)) return parseSnapshotText(Buffer.from(bytes).toString('utf8'), origin);
  return objectsOf(readYamlDocuments(bytes, origin), origin);
}

/** JSON (and a file with a byte order mark) is read from text, as JSON.parse needs. */
function readAsText(bytes: Uint8Array): boolean {
  let k = 0;
  while (k < bytes.length && (bytes[k] === 32 || bytes[k] === 9 || bytes[k] === 10 || bytes[k] === 13)) k++;
  return bytes[k] === 0x7b || bytes[k] === 0x5b || bytes[k] === 0xef;
}

function parseJson(text: string, origin: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError('SNAPSHOT_INVALID', `${origin}: not valid JSON: ${(error as Error).message}`, {
      hint: 'a snapshot is what `kubectl get <kinds> -A -o json` or `kitten codex snapshot` writes',
    });
  }
}

function objectsOf(documents: unknown[], origin: string): KubeObject[] {
  const objects: KubeObject[] = [];
  for (const doc of documents) collect(doc, undefined, objects, origin);
  return objects;
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
  try {
    // JSON is read as text: Node decodes it chunk by chunk, never holding the file's bytes whole.
    if (readAsText(await head(file)))
      return new ClusterSnapshot(parseSnapshotText(await readFile(file, 'utf8'), file));
    return new ClusterSnapshot(parseSnapshotBytes(await readFile(file), file));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (error instanceof KittenError || typeof code !== 'string') throw error;
    throw new UsageError(
      'SNAPSHOT_NOT_FOUND',
      `cannot read snapshot ${file}: ${code === 'ENOENT' ? 'no such file' : code}`,
      {
        hint: 'record one with `kitten codex snapshot -A > cluster.yaml`, or try fixtures/clusters/broken-shop.yaml',
      },
    );
  }
}

/** The first bytes of a file, enough to tell JSON from YAML. */
async function head(file: string): Promise<Uint8Array> {
  const handle = await open(file, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(4096), 0, 4096, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
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
