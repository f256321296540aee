import type { Runtime, StackDeployer } from '../types.js';
import { KubernetesRuntime, type KubernetesRuntimeOptions } from './driver.js';

export { apiError } from './api-errors.js';
export type { ServiceConnection } from './connection.js';
export {
  type GcResult,
  type KubernetesDeployExtra,
  KubernetesRuntime,
  type KubernetesRuntimeOptions,
} from './driver.js';
export { type ProjectExpiry, parseTtl, projectExpiries } from './expiry.js';
export { gcInstallManifests } from './gc-install.js';
export { loadKubeConfig } from './kubeconfig.js';
export { manifestsYaml } from './manifests.js';
export type { KubeObject } from './objects.js';
export { planKubernetes } from './plan.js';
export {
  type ExposeMode,
  type TranslateOptions,
  type Translation,
  type TranslationWarning,
  translateStack,
} from './translate.js';

export function createKubernetesRuntime(
  options: KubernetesRuntimeOptions = {},
): KubernetesRuntime & Runtime & StackDeployer {
  return new KubernetesRuntime(options);
}
