import type { ContainerSpec, Stack } from '../../stack/model.js';
import { LABELS } from '../types.js';
import { labelValue } from './names.js';
import { ANNOTATIONS, KUBE_LABELS, MANAGED_BY } from './objects.js';

/** What a translation is asked for, and the shared state its parts (pod templates, checks) read. */
export type ExposeMode = 'none' | 'nodeport' | 'loadbalancer';

export interface TranslateOptions {
  namespace: string;
  /** The project owns its namespace: emit the Namespace object (and `down` may delete it). */
  ownNamespace?: boolean;
  /** Published ports (`8080:80`) become a `<name>-public` NodePort or LoadBalancer Service. */
  expose?: ExposeMode;
  /** TTL environments: every object is annotated with this instant. */
  expiresAt?: Date | null;
  /** Untranslatable fields fail the translation instead of warning. */
  strict?: boolean;
  /** Image of the init containers that wait for dependencies (needs nslookup and nc). */
  waitImage?: string;
  clusterDomain?: string;
}

export interface TranslationWarning {
  service: string | null;
  /** Where in the stack: `containers.db.volumes[0]`. */
  path: string;
  message: string;
}

export const DEFAULT_WAIT_IMAGE = 'busybox:1.36';

export interface Context {
  stack: Stack;
  options: Required<Omit<TranslateOptions, 'expiresAt'>> & {
    expiresAt: Date | null;
  };
  names: Map<string, string>;
  project: string;
  warnings: TranslationWarning[];
}

/** A run-once container (on-failure, or a declared "no") is a Job on a cluster; the rest are Deployments. */
export function isJob(spec: ContainerSpec): boolean {
  if (spec.restart.policy === 'on-failure') return true;
  if (spec.restart.policy !== 'no') return false;
  return spec.restart.declared === true;
}

export function selectorLabels(ctx: Context, service: string): Record<string, string> {
  return {
    [KUBE_LABELS.name]: ctx.names.get(service)!,
    [KUBE_LABELS.partOf]: ctx.project,
  };
}

export function commonLabels(ctx: Context, service?: string): Record<string, string> {
  return {
    ...(service ? { [KUBE_LABELS.name]: ctx.names.get(service)! } : {}),
    [KUBE_LABELS.partOf]: ctx.project,
    [KUBE_LABELS.managedBy]: MANAGED_BY,
    [LABELS.project]: ctx.project,
    ...(service ? { [LABELS.service]: labelValue(service) } : {}),
  };
}

/** Pod templates leave out the expiry: a new TTL on every `up` must not restart every pod. */
export function commonAnnotations(ctx: Context, service?: string, withExpiry = true): Record<string, string> {
  return {
    [ANNOTATIONS.project]: ctx.stack.project,
    ...(service ? { [ANNOTATIONS.service]: service } : {}),
    ...(withExpiry && ctx.options.expiresAt
      ? { [ANNOTATIONS.expiresAt]: ctx.options.expiresAt.toISOString() }
      : {}),
  };
}

export function meta(
  ctx: Context,
  name: string,
  service?: string,
  extraAnnotations: Record<string, string> = {},
) {
  return {
    name,
    namespace: ctx.options.namespace,
    labels: commonLabels(ctx, service),
    annotations: { ...commonAnnotations(ctx, service), ...extraAnnotations },
  };
}

export function warn(ctx: Context, service: string | null, path: string, message: string): void {
  ctx.warnings.push({ service, path, message });
}
