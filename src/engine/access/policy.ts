import * as z from 'zod';
import { findKind, resolveKind } from '../cluster/registry.js';
import { RefusedError, UsageError } from '../errors.js';

/**
 * The access policy an admin manages: who may see (and change) which namespaces and kinds.
 * Pure: loading and saving live in store.ts. Without a policy Kitten runs in single-user mode
 * and everything the kubeconfig reaches is visible.
 */
export const grantSchema = z.object({
  /** A user name, or `group:NAME`. */
  subject: z.string().min(1),
  /** A namespace, or `*` for every namespace and cluster-scoped objects (nodes). */
  namespace: z.string().min(1),
  /** Kind names (`Pod`, `Deployment`); absent means every kind. */
  kinds: z.array(z.string().min(1)).optional(),
  write: z.boolean(),
});

export const accessPolicySchema = z.object({
  version: z.literal(1),
  admins: z.array(z.string().min(1)),
  /** Group members Kitten knows of itself; a live cluster also reports the user's groups. */
  groups: z.record(z.string(), z.array(z.string().min(1))).default({}),
  grants: z.array(grantSchema),
});

export type Grant = z.infer<typeof grantSchema>;
export type AccessPolicy = z.infer<typeof accessPolicySchema>;

export interface Identity {
  user: string;
  groups: string[];
}

/** What the rest of Kitten asks; structurally what the ask policy accepts. */
export interface AccessView {
  user: string;
  /** True when a policy applies (false in single-user mode). */
  restricted: boolean;
  admin: boolean;
  canSee(namespace: string, kind?: string): boolean;
  canWrite(namespace: string, kind?: string): boolean;
}

const namespacePattern = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

export function emptyPolicy(): AccessPolicy {
  return { version: 1, admins: [], groups: {}, grants: [] };
}

/** Kind words (`po`, `deployments`, `Deployment`) to registry kind names; unknown words kept lower-case. */
function kindName(word: string): string {
  return findKind(word)?.kind ?? word.toLowerCase();
}

function subjectsOf(identity: Identity, policy: AccessPolicy): Set<string> {
  const subjects = new Set([identity.user]);
  for (const g of identity.groups) subjects.add(`group:${g}`);
  for (const [group, members] of Object.entries(policy.groups)) {
    if (members.includes(identity.user)) subjects.add(`group:${group}`);
  }
  return subjects;
}

export function isAdmin(policy: AccessPolicy | undefined, identity: Identity): boolean {
  if (!policy) return true;
  const subjects = subjectsOf(identity, policy);
  return policy.admins.some((a) => subjects.has(a));
}

export function viewFor(policy: AccessPolicy | undefined, identity: Identity): AccessView {
  if (!policy) {
    return { user: identity.user, restricted: false, admin: true, canSee: () => true, canWrite: () => true };
  }
  const subjects = subjectsOf(identity, policy);
  const mine = policy.grants.filter((g) => subjects.has(g.subject));
  const allows = (needsWrite: boolean) => (namespace: string, kind?: string) => {
    const wanted = kind ? kindName(kind) : undefined;
    return mine.some(
      (g) =>
        (g.namespace === '*' || (namespace !== '' && namespace !== '*' && g.namespace === namespace)) &&
        (!needsWrite || g.write) &&
        (!g.kinds || wanted === undefined || g.kinds.includes(wanted)),
    );
  };
  return {
    user: identity.user,
    restricted: true,
    admin: policy.admins.some((a) => subjects.has(a)),
    canSee: allows(false),
    canWrite: allows(true),
  };
}

/** Namespaces the view grants explicitly (`*` when every one): what a live source lists. */
export function grantedNamespaces(policy: AccessPolicy | undefined, identity: Identity): string[] | '*' {
  if (!policy) return '*';
  const subjects = subjectsOf(identity, policy);
  const namespaces = new Set(policy.grants.filter((g) => subjects.has(g.subject)).map((g) => g.namespace));
  return namespaces.has('*') ? '*' : [...namespaces].sort();
}

function checkSubject(subject: string): void {
  const ok = subject.startsWith('group:') ? subject.length > 'group:'.length : !subject.includes(':');
  if (!ok || /\s/.test(subject)) {
    throw new UsageError('ACCESS_SUBJECT_INVALID', `"${subject}" is not a user or group:NAME`, {
      hint: 'name a kube user (as in your kubeconfig) or a group as group:NAME',
    });
  }
}

function checkNamespace(namespace: string): void {
  if (namespace !== '*' && !namespacePattern.test(namespace)) {
    throw new UsageError('ACCESS_NAMESPACE_INVALID', `"${namespace}" is not a namespace name`, {
      hint: 'namespaces are lower-case letters, digits and dashes; `*` grants every namespace and nodes',
    });
  }
}

export function requireAdmin(policy: AccessPolicy | undefined, identity: Identity, action: string): void {
  if (isAdmin(policy, identity)) return;
  throw new RefusedError(
    'ACCESS_NOT_ADMIN',
    `${identity.user} is not an admin of the access policy and cannot ${action}`,
    {
      hint: `ask an admin (${policy?.admins.join(', ') || 'none'}) to run it, or to make you one with --admin`,
    },
  );
}

export interface GrantRequest {
  subject: string;
  namespace: string;
  kinds?: string[];
  write?: boolean;
  /** Also make the subject an admin of the policy. */
  admin?: boolean;
}

/**
 * Adds or replaces the subject's grant for a namespace. The first grant ever written also makes
 * the person writing it an admin, so setting up a policy never locks its author out.
 */
export function applyGrant(
  policy: AccessPolicy | undefined,
  request: GrantRequest,
  actor: Identity,
): { policy: AccessPolicy; grant: Grant; replaced: boolean; bootstrappedAdmin: boolean } {
  requireAdmin(policy, actor, 'grant access');
  checkSubject(request.subject);
  checkNamespace(request.namespace);
  const kinds = request.kinds?.length
    ? [...new Set(request.kinds.map((k) => resolveKind(k).kind))].sort()
    : undefined;
  const grant: Grant = {
    subject: request.subject,
    namespace: request.namespace,
    ...(kinds ? { kinds } : {}),
    write: request.write ?? false,
  };
  const base = policy ?? emptyPolicy();
  const bootstrappedAdmin = !policy || base.admins.length === 0;
  const admins = new Set(base.admins);
  if (bootstrappedAdmin) admins.add(actor.user);
  if (request.admin) admins.add(request.subject);
  const rest = base.grants.filter((g) => !(g.subject === grant.subject && g.namespace === grant.namespace));
  return {
    policy: { ...base, admins: [...admins].sort(), grants: [...rest, grant].sort(compareGrants) },
    grant,
    replaced: rest.length !== base.grants.length,
    bootstrappedAdmin,
  };
}

export interface RevokeRequest {
  subject: string;
  /** Only this namespace's grant; absent means every grant of the subject. */
  namespace?: string;
  /** Only these kinds from the grant; the grant goes when none are left. */
  kinds?: string[];
  /** Also remove the subject from the admins. */
  admin?: boolean;
}

export function applyRevoke(
  policy: AccessPolicy | undefined,
  request: RevokeRequest,
  actor: Identity,
): { policy: AccessPolicy; removed: Grant[]; changed: Grant[] } {
  if (!policy) {
    throw new UsageError('ACCESS_NO_POLICY', 'there is no access policy to revoke from', {
      hint: 'Kitten is in single-user mode; create a policy with `kitten codex admin grant`',
    });
  }
  requireAdmin(policy, actor, 'revoke access');
  checkSubject(request.subject);
  if (request.namespace) checkNamespace(request.namespace);
  const kinds = request.kinds?.map((k) => resolveKind(k).kind);
  const removed: Grant[] = [];
  const changed: Grant[] = [];
  const grants: Grant[] = [];
  for (const g of policy.grants) {
    const matches =
      g.subject === request.subject && (!request.namespace || g.namespace === request.namespace);
    if (!matches) {
      grants.push(g);
      continue;
    }
    if (!kinds) {
      removed.push(g);
      continue;
    }
    if (!g.kinds) {
      throw new UsageError(
        'ACCESS_REVOKE_KINDS',
        `${g.subject} holds every kind in ${g.namespace}; Kitten cannot subtract kinds from "all"`,
        { hint: `revoke the whole grant, then grant the kinds that should remain with --kinds` },
      );
    }
    const left = g.kinds.filter((k) => !kinds.includes(k));
    if (left.length === 0) removed.push(g);
    else {
      const next = { ...g, kinds: left };
      changed.push(next);
      grants.push(next);
    }
  }
  const admins = request.admin ? policy.admins.filter((a) => a !== request.subject) : policy.admins;
  if (removed.length === 0 && changed.length === 0 && admins.length === policy.admins.length) {
    throw new UsageError('ACCESS_NOTHING_TO_REVOKE', `${request.subject} has no matching grant`, {
      hint: 'see every grant with `kitten codex admin show`',
    });
  }
  if (admins.length === 0) {
    throw new RefusedError('ACCESS_LAST_ADMIN', `revoking would leave the access policy without an admin`, {
      hint: 'make someone else an admin first with `kitten codex admin grant USER --namespace NS --admin`',
    });
  }
  return { policy: { ...policy, admins, grants }, removed, changed };
}

/**
 * Adds or removes a user in one of the policy's own groups (for clusters that do not report
 * groups, and for snapshot-only use). Live clusters add the groups their authenticator knows.
 */
export function applyMembership(
  policy: AccessPolicy | undefined,
  request: { group: string; user: string; remove?: boolean },
  actor: Identity,
): { policy: AccessPolicy; changed: boolean } {
  requireAdmin(policy, actor, 'change group members');
  const group = request.group.replace(/^group:/, '');
  if (!group || /[\s:]/.test(group)) {
    throw new UsageError('ACCESS_GROUP_INVALID', `"${request.group}" is not a group name`, {
      hint: 'name it as group:NAME or NAME',
    });
  }
  checkSubject(request.user);
  if (request.user.startsWith('group:')) {
    throw new UsageError('ACCESS_SUBJECT_INVALID', 'a group cannot be a member of a group', {
      hint: 'add users one by one',
    });
  }
  const base = policy ?? emptyPolicy();
  const members = new Set(base.groups[group] ?? []);
  const had = members.has(request.user);
  if (request.remove) members.delete(request.user);
  else members.add(request.user);
  const groups = { ...base.groups };
  if (members.size > 0) groups[group] = [...members].sort();
  else delete groups[group];
  const admins = base.admins.length === 0 ? [actor.user] : base.admins;
  return { policy: { ...base, admins, groups }, changed: had === Boolean(request.remove) };
}

function compareGrants(a: Grant, b: Grant): number {
  return a.subject.localeCompare(b.subject) || a.namespace.localeCompare(b.namespace);
}

/** Parses a stored policy, with one clear error when someone edited it by hand and broke it. */
export function parsePolicy(text: string, origin: string): AccessPolicy {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new UsageError('ACCESS_POLICY_INVALID', `${origin}: not valid JSON: ${(error as Error).message}`, {
      hint: 'fix the file by hand, or remove it and grant again with `kitten codex admin grant`',
    });
  }
  const parsed = accessPolicySchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UsageError(
      'ACCESS_POLICY_INVALID',
      `${origin}: ${issue?.path.join('.') || 'policy'}: ${issue?.message ?? 'invalid'}`,
      { hint: 'fix the file by hand, or remove it and grant again with `kitten codex admin grant`' },
    );
  }
  return parsed.data;
}
