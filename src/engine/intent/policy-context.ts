import type { Tool } from './command.js';
import type { PolicyContext } from './policy.js';

/**
 * The policy context for this invocation: the access grant of whoever runs Kitten (when an
 * access policy exists) and the namespace kubectl uses without -n. docker commands skip the
 * kubeconfig entirely.
 */
export async function loadPolicyContext(tool: Tool): Promise<PolicyContext> {
  if (tool === 'docker') return {};
  const [{ loadAccess }, kube] = await Promise.all([
    import('../access/index.js'),
    import('../cluster/kubeconfig.js'),
  ]);
  const { view } = await loadAccess();
  let defaultNamespace: string | undefined;
  if (kube.kubeconfigAvailable()) {
    try {
      defaultNamespace = kube.contextNamespace(await kube.loadKubeConfig());
    } catch {
      // A broken kubeconfig fails the kubectl command itself, with kubectl's own message.
    }
  }
  return { ...(view.restricted ? { access: view } : {}), ...(defaultNamespace ? { defaultNamespace } : {}) };
}
