import { userInfo } from 'node:os';
import type { KubeHttp } from '../cluster/kube-http.js';
import { type KubeconfigOptions, kubeconfigUser } from '../cluster/kubeconfig.js';
import type { Identity } from './policy.js';

/**
 * Who is asking: the kube context's user (as named in the kubeconfig), or the login name when
 * there is no kubeconfig at all (snapshot-only use). Groups come from the policy's own group
 * lists, and from the cluster when it can say (SelfSubjectReview).
 */
export function localIdentity(kube: KubeconfigOptions = {}): Identity {
  // A broken kubeconfig is reported by whatever needs the cluster; identity falls back.
  const user = kubeconfigUser(kube);
  return { user: user || process.env.KITTEN_USER || userInfo().username, groups: [] };
}

interface SelfSubjectReview {
  status?: { userInfo?: { username?: string; groups?: string[] } };
}

/**
 * Asks the API server who the credentials belong to (authentication.k8s.io/v1, Kubernetes 1.28+).
 * The context's user name stays the identity; the server adds the groups it knows.
 */
export async function clusterIdentity(http: KubeHttp, fallback: Identity): Promise<Identity> {
  try {
    const review = await http.post<SelfSubjectReview>('/apis/authentication.k8s.io/v1/selfsubjectreviews', {
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'SelfSubjectReview',
    });
    const groups = review.status?.userInfo?.groups ?? [];
    return { user: fallback.user, groups: [...new Set([...fallback.groups, ...groups])] };
  } catch {
    // Older clusters (and the loopback test server) do not serve it: keep the local identity.
    return fallback;
  }
}
