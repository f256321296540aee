import type { KubeconfigOptions } from '../cluster/kubeconfig.js';
import { RefusedError } from '../errors.js';
import { localIdentity } from './identity.js';
import { type AccessPolicy, type AccessView, type Identity, isAdmin, viewFor } from './policy.js';
import { openPolicyStore, type PolicyStore } from './store.js';

export interface AccessOptions extends KubeconfigOptions {
  /** `file`, `file:PATH` or `configmap:NS/NAME`; else KITTEN_ACCESS_STORE, else the file under KITTEN_HOME. */
  store?: string;
  /** See as another user; only an admin may. */
  as?: string;
  /** Groups the caller already knows (from a live SelfSubjectReview). */
  groups?: string[];
}

export interface LoadedAccess {
  view: AccessView;
  identity: Identity;
  /** Who is really asking (differs from identity with --as). */
  actor: Identity;
  policy: AccessPolicy | undefined;
  store: PolicyStore;
}

/** The access view for this invocation: the policy, the caller, and `--as` if an admin asked for it. */
export async function loadAccess(options: AccessOptions = {}): Promise<LoadedAccess> {
  const store = await openPolicyStore(options.store ?? process.env.KITTEN_ACCESS_STORE, options);
  const policy = await store.load();
  const local = localIdentity(options);
  const actor: Identity = { user: local.user, groups: [...local.groups, ...(options.groups ?? [])] };
  let identity = actor;
  if (options.as && options.as !== actor.user) {
    if (policy && !isAdmin(policy, actor)) {
      throw new RefusedError(
        'ACCESS_AS_NOT_ADMIN',
        `only an admin of the access policy may use --as (you are ${actor.user})`,
        {
          hint: `admins: ${policy.admins.join(', ')}`,
        },
      );
    }
    identity = { user: options.as, groups: [] };
  }
  return { view: viewFor(policy, identity), identity, actor, policy, store };
}
