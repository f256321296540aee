export { clusterIdentity, localIdentity } from './identity.js';
export { type AccessOptions, type LoadedAccess, loadAccess } from './load.js';
export {
  type AccessPolicy,
  type AccessView,
  applyGrant,
  applyMembership,
  applyRevoke,
  emptyPolicy,
  type Grant,
  type GrantRequest,
  grantedNamespaces,
  type Identity,
  isAdmin,
  type RevokeRequest,
  viewFor,
} from './policy.js';
export {
  ConfigMapPolicyStore,
  defaultPolicyFile,
  FilePolicyStore,
  openPolicyStore,
  type PolicyStore,
} from './store.js';
