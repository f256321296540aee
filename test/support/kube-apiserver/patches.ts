/**
 * The three patch types and server-side apply, as the real API server applies them.
 * Strategic merge is approximated the way it behaves for the lists Kitten touches: lists of
 * objects that all carry `name` merge by name; other lists are replaced.
 */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function clone<T>(value: T): T {
  return structuredClone(value);
}

/** RFC 7386: null deletes, objects merge, everything else replaces. */
export function mergePatch(target: Json, patch: Json): Json {
  if (!isObject(patch)) return clone(patch);
  const result: JsonObject = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = mergePatch(result[key] ?? null, value);
  }
  return result;
}

function namedList(list: Json[]): boolean {
  return list.length > 0 && list.every((item) => isObject(item) && typeof item.name === 'string');
}

export function strategicMergePatch(target: Json, patch: Json): Json {
  if (Array.isArray(patch) && Array.isArray(target) && namedList(patch) && namedList(target)) {
    const result = target.map((item) => clone(item));
    for (const item of patch as JsonObject[]) {
      if (item.$patch === 'delete') {
        const at = result.findIndex((t) => (t as JsonObject).name === item.name);
        if (at >= 0) result.splice(at, 1);
        continue;
      }
      const at = result.findIndex((t) => (t as JsonObject).name === item.name);
      if (at >= 0) result[at] = strategicMergePatch(result[at]!, item);
      else result.push(clone(item));
    }
    return result;
  }
  if (!isObject(patch)) return clone(patch);
  const result: JsonObject = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = strategicMergePatch(result[key] ?? null, value);
  }
  return result;
}

export class PatchError extends Error {}

function pointer(path: string): string[] {
  if (path === '') return [];
  if (!path.startsWith('/')) throw new PatchError(`invalid JSON pointer: ${path}`);
  return path
    .slice(1)
    .split('/')
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function parentOf(doc: Json, parts: string[]): { parent: JsonObject | Json[]; key: string } {
  let cursor: Json = doc;
  for (const part of parts.slice(0, -1)) {
    if (Array.isArray(cursor)) cursor = cursor[Number(part)] ?? null;
    else if (isObject(cursor)) cursor = cursor[part] ?? null;
    else cursor = null;
    if (cursor === null) throw new PatchError(`path /${parts.join('/')} does not exist`);
  }
  if (!Array.isArray(cursor) && !isObject(cursor))
    throw new PatchError(`path /${parts.join('/')} does not exist`);
  return { parent: cursor, key: parts[parts.length - 1]! };
}

function read(doc: Json, parts: string[]): Json | undefined {
  let cursor: Json | undefined = doc;
  for (const part of parts) {
    if (Array.isArray(cursor)) cursor = cursor[Number(part)];
    else if (isObject(cursor)) cursor = cursor[part];
    else return undefined;
  }
  return cursor;
}

/** RFC 6902. */
export function jsonPatch(target: Json, operations: Json): Json {
  if (!Array.isArray(operations)) throw new PatchError('json patch must be an array of operations');
  let doc = clone(target);
  for (const raw of operations) {
    if (!isObject(raw)) throw new PatchError('json patch operation must be an object');
    const op = String(raw.op);
    const parts = pointer(String(raw.path ?? ''));
    const remove = (at: string[]) => {
      const { parent, key } = parentOf(doc, at);
      if (Array.isArray(parent)) parent.splice(Number(key), 1);
      else if (Object.hasOwn(parent, key)) delete parent[key];
      else throw new PatchError(`unable to remove nonexistent key: ${key}`);
    };
    const add = (at: string[], value: Json) => {
      if (at.length === 0) {
        doc = clone(value);
        return;
      }
      const { parent, key } = parentOf(doc, at);
      if (Array.isArray(parent)) {
        if (key === '-') parent.push(clone(value));
        else parent.splice(Number(key), 0, clone(value));
      } else parent[key] = clone(value);
    };
    switch (op) {
      case 'add':
        add(parts, raw.value ?? null);
        break;
      case 'remove':
        remove(parts);
        break;
      case 'replace':
        if (read(doc, parts) === undefined)
          throw new PatchError(`replace operation does not apply: doc is missing key: ${raw.path}`);
        remove(parts);
        add(parts, raw.value ?? null);
        break;
      case 'test':
        if (JSON.stringify(read(doc, parts)) !== JSON.stringify(raw.value))
          throw new PatchError(`testing value ${raw.path} failed`);
        break;
      case 'move':
      case 'copy': {
        const from = pointer(String(raw.from ?? ''));
        const value = read(doc, from);
        if (value === undefined)
          throw new PatchError(`${op} operation does not apply: doc is missing from path: ${raw.from}`);
        if (op === 'move') remove(from);
        add(parts, value);
        break;
      }
      default:
        throw new PatchError(`Unexpected kind: ${op}`);
    }
  }
  return doc;
}

/** Leaf paths of an applied configuration, as `.spec.replicas`-style strings with their values. */
export function leafPaths(value: Json, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  if (isObject(value) && Object.keys(value).length > 0) {
    for (const [key, child] of Object.entries(value)) {
      for (const [p, v] of leafPaths(child, `${prefix}.${key}`)) out.set(p, v);
    }
  } else out.set(prefix, JSON.stringify(value));
  return out;
}

/** FieldsV1 as the server writes it into managedFields: `{"f:spec": {"f:replicas": {}}}`. */
export function fieldsV1(value: Json): JsonObject {
  const out: JsonObject = {};
  if (!isObject(value)) return out;
  for (const [key, child] of Object.entries(value)) {
    out[`f:${key}`] = isObject(child) ? fieldsV1(child) : {};
  }
  return out;
}

/** Removes from `target` every path the manager applied before and no longer applies. */
function pruneDropped(target: Json, previous: Json, current: Json): Json {
  if (!isObject(target) || !isObject(previous)) return target;
  const result: JsonObject = { ...target };
  const now = isObject(current) ? current : {};
  for (const [key, prevChild] of Object.entries(previous)) {
    if (!Object.hasOwn(now, key)) delete result[key];
    else if (isObject(prevChild) && isObject(now[key])) {
      result[key] = pruneDropped(result[key] ?? null, prevChild, now[key]!);
    }
  }
  return result;
}

/** Server-side apply for one manager: fields it stopped applying go; what it applies now is merged in. */
export function applyConfiguration(existing: Json, previousApplied: Json, applied: Json): Json {
  const pruned = pruneDropped(clone(existing), previousApplied, applied);
  return applyMerge(pruned, applied);
}

function applyMerge(target: Json, applied: Json): Json {
  if (!isObject(applied)) return clone(applied);
  const result: JsonObject = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(applied)) {
    result[key] = applyMerge(result[key] ?? null, value);
  }
  return result;
}
