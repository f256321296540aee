import { isObject, type JsonObject } from './patches.js';
import type { ResourceType } from './resources.js';

/**
 * The subset of apiserver validation that catches real translation bugs: names, labels,
 * selectors that must match their templates, containers, ports and Job restart policies.
 */
export interface Cause {
  field: string;
  message: string;
  reason?: string;
}

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

function invalid(field: string, value: unknown, why: string): Cause {
  return { field, message: `Invalid value: ${JSON.stringify(value)}: ${why}` };
}

function required(field: string): Cause {
  return { field, message: 'Required value', reason: 'FieldValueRequired' };
}

export function checkDns1123Label(field: string, value: string): Cause[] {
  if (value.length > 63 || !DNS1123_LABEL.test(value)) {
    return [
      invalid(
        field,
        value,
        "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
      ),
    ];
  }
  return [];
}

function checkName(type: ResourceType, name: string): Cause[] {
  if (type.kind === 'Service') {
    if (name.length > 63 || !DNS1035_LABEL.test(name)) {
      return [
        invalid(
          'metadata.name',
          name,
          "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')",
        ),
      ];
    }
    return [];
  }
  if (type.kind === 'Namespace') return checkDns1123Label('metadata.name', name);
  if (name.length > 253 || !DNS1123_SUBDOMAIN.test(name)) {
    return [
      invalid(
        'metadata.name',
        name,
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
      ),
    ];
  }
  return [];
}

function checkLabels(field: string, labels: unknown): Cause[] {
  if (!isObject(labels)) return [];
  const causes: Cause[] = [];
  for (const [key, value] of Object.entries(labels)) {
    const slash = key.lastIndexOf('/');
    const name = slash >= 0 ? key.slice(slash + 1) : key;
    const prefix = slash >= 0 ? key.slice(0, slash) : '';
    if (name.length > 63 || !LABEL_NAME.test(name) || (prefix && !DNS1123_SUBDOMAIN.test(prefix))) {
      causes.push(invalid(field, key, "name part must consist of alphanumeric characters, '-', '_' or '.'"));
    }
    const text = String(value);
    if (text.length > 63 || !LABEL_VALUE.test(text)) {
      causes.push(
        invalid(
          field,
          text,
          "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
        ),
      );
    }
  }
  return causes;
}

function checkPodSpec(field: string, spec: unknown, kind: string): Cause[] {
  if (!isObject(spec)) return [required(field)];
  const causes: Cause[] = [];
  const seen = new Set<string>();
  for (const list of ['initContainers', 'containers'] as const) {
    const containers = spec[list];
    if (list === 'containers' && (!Array.isArray(containers) || containers.length === 0)) {
      causes.push(required(`${field}.containers`));
      continue;
    }
    if (!Array.isArray(containers)) continue;
    containers.forEach((c, i) => {
      const at = `${field}.${list}[${i}]`;
      if (!isObject(c)) return;
      const name = typeof c.name === 'string' ? c.name : '';
      if (!name) causes.push(required(`${at}.name`));
      else causes.push(...checkDns1123Label(`${at}.name`, name));
      if (seen.has(name)) causes.push({ field: `${at}.name`, message: `Duplicate value: "${name}"` });
      seen.add(name);
      if (typeof c.image !== 'string' || c.image === '') causes.push(required(`${at}.image`));
      const ports = Array.isArray(c.ports) ? c.ports : [];
      ports.forEach((p, j) => {
        const port = isObject(p) ? p.containerPort : undefined;
        if (typeof port !== 'number' || port < 1 || port > 65535) {
          causes.push(
            invalid(`${at}.ports[${j}].containerPort`, port, 'must be between 1 and 65535, inclusive'),
          );
        }
      });
    });
  }
  const policy = spec.restartPolicy;
  if (kind === 'Job' && policy !== 'OnFailure' && policy !== 'Never') {
    causes.push({
      field: `${field}.restartPolicy`,
      message: `Unsupported value: ${JSON.stringify(policy ?? 'Always')}: supported values: "OnFailure", "Never"`,
      reason: 'FieldValueNotSupported',
    });
  }
  return causes;
}

function selectorMatchesTemplate(selector: unknown, templateLabels: unknown): boolean {
  if (!isObject(selector)) return false;
  const labels = isObject(templateLabels) ? templateLabels : {};
  const matchLabels = isObject(selector.matchLabels) ? selector.matchLabels : {};
  return Object.entries(matchLabels).every(([k, v]) => labels[k] === v);
}

const WORKLOADS = new Set(['Deployment', 'StatefulSet', 'ReplicaSet', 'DaemonSet']);

export function validate(type: ResourceType, object: JsonObject): Cause[] {
  const metadata = isObject(object.metadata) ? object.metadata : {};
  const name = typeof metadata.name === 'string' ? metadata.name : '';
  const causes: Cause[] = [];
  if (!name)
    causes.push({ field: 'metadata.name', message: 'Required value: name or generateName is required' });
  else causes.push(...checkName(type, name));
  causes.push(...checkLabels('metadata.labels', metadata.labels));
  const spec = isObject(object.spec) ? object.spec : undefined;
  if (WORKLOADS.has(type.kind)) {
    const template = spec && isObject(spec.template) ? spec.template : {};
    const templateMeta = isObject(template.metadata) ? template.metadata : {};
    if (!spec || !isObject(spec.selector)) causes.push(required('spec.selector'));
    else if (!selectorMatchesTemplate(spec.selector, templateMeta.labels)) {
      causes.push(
        invalid(
          'spec.template.metadata.labels',
          templateMeta.labels ?? {},
          '`selector` does not match template `labels`',
        ),
      );
    }
    causes.push(...checkLabels('spec.template.metadata.labels', templateMeta.labels));
    causes.push(...checkPodSpec('spec.template.spec', template.spec, type.kind));
    if (spec && typeof spec.replicas === 'number' && spec.replicas < 0) {
      causes.push(invalid('spec.replicas', spec.replicas, 'must be greater than or equal to 0'));
    }
  }
  if (type.kind === 'Job') {
    const template = spec && isObject(spec.template) ? spec.template : {};
    const templateMeta = isObject(template.metadata) ? template.metadata : {};
    causes.push(...checkLabels('spec.template.metadata.labels', templateMeta.labels));
    causes.push(...checkPodSpec('spec.template.spec', template.spec, 'Job'));
  }
  if (type.kind === 'Pod') causes.push(...checkPodSpec('spec', spec, 'Pod'));
  if (type.kind === 'Service' && spec) {
    const ports = Array.isArray(spec.ports) ? spec.ports : [];
    ports.forEach((p, i) => {
      if (!isObject(p)) return;
      if (typeof p.port !== 'number' || p.port < 1 || p.port > 65535) {
        causes.push(invalid(`spec.ports[${i}].port`, p.port, 'must be between 1 and 65535, inclusive'));
      }
      if (ports.length > 1 && typeof p.name !== 'string') causes.push(required(`spec.ports[${i}].name`));
    });
  }
  return causes;
}

/** Fields the real API server refuses to change on update (`field is immutable`). */
export function validateUpdate(type: ResourceType, before: JsonObject, after: JsonObject): Cause[] {
  const spec = (o: JsonObject) => (isObject(o.spec) ? o.spec : {});
  const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
  const immutable = (field: string, value: unknown): Cause => ({
    field,
    message: `Invalid value: ${JSON.stringify(value)}: field is immutable`,
  });
  const causes: Cause[] = [];
  if (WORKLOADS.has(type.kind) && !same(spec(before).selector, spec(after).selector)) {
    causes.push(immutable('spec.selector', spec(after).selector));
  }
  if (type.kind === 'Job' && !same(spec(before).template, spec(after).template)) {
    causes.push(immutable('spec.template', spec(after).template));
  }
  if (type.kind === 'Service') {
    const was = spec(before).clusterIP;
    const now = spec(after).clusterIP;
    // Headless (None) and allocated addresses cannot turn into each other.
    if (now !== undefined && now !== null && now !== '' && (was === 'None') !== (now === 'None')) {
      causes.push(immutable('spec.clusterIPs[0]', now));
    }
  }
  return causes;
}
