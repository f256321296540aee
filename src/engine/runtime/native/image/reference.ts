import { UsageError } from '../../../errors.js';

/**
 * Image references as Docker reads them: `busybox` is docker.io/library/busybox:latest,
 * `127.0.0.1:5000/team/app:1.2` names its registry, `app@sha256:…` pins a digest.
 */
export interface ImageReference {
  registry: string;
  repository: string;
  tag: string | null;
  digest: string | null;
  /** How Kitten lists it: short for Docker Hub (`busybox:latest`), full otherwise. */
  familiar: string;
}

export const DOCKER_HUB = 'docker.io';
const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^sha256:[a-f0-9]{64}$/;

export function parseReference(text: string): ImageReference {
  const bad = (why: string) =>
    new UsageError('IMAGE_REFERENCE_INVALID', `${text} is not an image reference: ${why}`, {
      hint: 'write NAME[:TAG] such as busybox:1.36 or 127.0.0.1:5000/team/app:latest',
    });
  let rest = text.trim();
  let digest: string | null = null;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) throw bad('the digest must be sha256:<64 hex>');
  }
  let tag: string | null = null;
  const lastSlash = rest.lastIndexOf('/');
  const lastColon = rest.lastIndexOf(':');
  if (lastColon > lastSlash) {
    tag = rest.slice(lastColon + 1);
    rest = rest.slice(0, lastColon);
    if (!TAG.test(tag)) throw bad(`the tag "${tag}" has characters a tag cannot have`);
  }
  const parts = rest.split('/');
  let registry = DOCKER_HUB;
  const first = parts[0] ?? '';
  if (parts.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost')) {
    registry = first;
    parts.shift();
  }
  if (parts.length === 0 || parts.some((p) => !COMPONENT.test(p)))
    throw bad('use lower-case names separated by /');
  if (registry === DOCKER_HUB && parts.length === 1) parts.unshift('library');
  const repository = parts.join('/');
  if (tag === null && digest === null) tag = 'latest';
  const shortRepo =
    registry === DOCKER_HUB && repository.startsWith('library/') ? repository.slice(8) : repository;
  const name = registry === DOCKER_HUB ? shortRepo : `${registry}/${repository}`;
  const familiar = `${name}${tag ? `:${tag}` : ''}${digest ? `@${digest}` : ''}`;
  return { registry, repository, tag, digest, familiar };
}

/** The base URL of the registry's HTTP API: plain HTTP only for loopback registries, as Docker allows. */
export function registryBaseUrl(registry: string, insecure: readonly string[] = []): string {
  if (registry === DOCKER_HUB) return 'https://registry-1.docker.io';
  const host = registry.replace(/:[0-9]+$/, '');
  const plain =
    host === 'localhost' || host === '127.0.0.1' || host === '[::1]' || insecure.includes(registry);
  return `${plain ? 'http' : 'https'}://${registry}`;
}
