import { qualifiedName, type ResourceType } from './resources.js';

/** A `kind: Status` failure, shaped and worded as the real API server words it. */
export interface StatusBody {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure' | 'Success';
  message: string;
  reason: string;
  details?: Record<string, unknown>;
  code: number;
}

export class ApiFailure extends Error {
  constructor(readonly body: StatusBody) {
    super(body.message);
  }
}

function status(
  code: number,
  reason: string,
  message: string,
  details?: Record<string, unknown>,
): ApiFailure {
  return new ApiFailure({
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    ...(details ? { details } : {}),
    code,
  });
}

function subject(type: ResourceType, name?: string): string {
  return name ? `${qualifiedName(type)} "${name}"` : qualifiedName(type);
}

export const failures = {
  notFound: (type: ResourceType, name: string) =>
    status(404, 'NotFound', `${subject(type, name)} not found`, {
      name,
      group: type.group,
      kind: type.plural,
    }),
  namespaceNotFound: (namespace: string) =>
    status(404, 'NotFound', `namespaces "${namespace}" not found`, { name: namespace, kind: 'namespaces' }),
  pathNotFound: () => status(404, 'NotFound', 'the server could not find the requested resource', {}),
  alreadyExists: (type: ResourceType, name: string) =>
    status(409, 'AlreadyExists', `${subject(type, name)} already exists`, {
      name,
      group: type.group,
      kind: type.plural,
    }),
  conflict: (type: ResourceType, name: string) =>
    status(
      409,
      'Conflict',
      `Operation cannot be fulfilled on ${subject(type, name)}: the object has been modified; please apply your changes to the latest version and try again`,
      { name, group: type.group, kind: type.plural },
    ),
  applyConflict: (type: ResourceType, name: string, manager: string, fields: string[]) =>
    status(
      409,
      'Conflict',
      `Apply failed with ${fields.length} conflict${fields.length === 1 ? '' : 's'}: ${fields
        .map((f) => `conflict with "${manager}": ${f}`)
        .join(', ')}`,
      {
        name,
        group: type.group,
        kind: type.plural,
        causes: fields.map((field) => ({
          reason: 'FieldManagerConflict',
          message: `conflict with "${manager}"`,
          field,
        })),
      },
    ),
  forbidden: (type: ResourceType, verb: string, user: string, name?: string, namespace?: string) =>
    status(
      403,
      'Forbidden',
      `${subject(type, name)} is forbidden: User "${user}" cannot ${verb} resource "${type.plural}" in API group "${type.group}"${
        namespace ? ` in the namespace "${namespace}"` : ' at the cluster scope'
      }`,
      { ...(name ? { name } : {}), group: type.group, kind: type.plural },
    ),
  quotaExceeded: (type: ResourceType, name: string, quota: string, resource: string) =>
    status(
      403,
      'Forbidden',
      `${subject(type, name)} is forbidden: exceeded quota: ${quota}, requested: ${resource}=1, used: ${resource}=10, limited: ${resource}=10`,
      { name, group: type.group, kind: type.plural },
    ),
  invalid: (
    type: ResourceType,
    name: string,
    causes: { field: string; message: string; reason?: string }[],
  ) =>
    status(
      422,
      'Invalid',
      `${type.kind}${type.group ? `.${type.group}` : ''} "${name}" is invalid: ${causes
        .map((c) => `${c.field}: ${c.message}`)
        .join(', ')}`,
      {
        name,
        group: type.group,
        kind: type.kind,
        causes: causes.map((c) => ({
          reason: c.reason ?? 'FieldValueInvalid',
          message: c.message,
          field: c.field,
        })),
      },
    ),
  namespaceTerminating: (type: ResourceType, name: string, namespace: string) =>
    status(
      403,
      'Forbidden',
      `${subject(type, name)} is forbidden: unable to create new content in namespace ${namespace} because it is being terminated`,
      {
        name,
        group: type.group,
        kind: type.plural,
        causes: [
          {
            reason: 'NamespaceTerminating',
            message: `namespace ${namespace} is being terminated`,
            field: 'metadata.namespace',
          },
        ],
      },
    ),
  badRequest: (message: string) => status(400, 'BadRequest', message),
  unauthorized: () => status(401, 'Unauthorized', 'Unauthorized'),
  internal: (message: string) =>
    status(500, 'InternalError', `Internal error occurred: ${message}`, {
      causes: [{ message }],
    }),
  methodNotAllowed: () =>
    status(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource'),
  gone: (rv: string) => status(410, 'Expired', `too old resource version: ${rv}`),
  unsupportedMediaType: (type: string) =>
    status(
      415,
      'UnsupportedMediaType',
      `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json; got ${type}`,
    ),
};
