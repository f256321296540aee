import { findKind } from '../cluster/registry.js';

/** What the cluster's RBAC must allow for a kubectl argv to succeed (the first check kubectl would fail). */
export interface RbacCheck {
  verb: string;
  kind: string;
  name?: string;
  subresource?: string;
  namespace?: string;
}

function positionals(argv: readonly string[]): string[] {
  const out: string[] = [];
  const valued = new Set([
    '-n',
    '--namespace',
    '-c',
    '--container',
    '-l',
    '--selector',
    '-o',
    '--output',
    '--field-selector',
    '--sort-by',
    '--tail',
    '--replicas',
    '--to-revision',
    '--timeout',
  ]);
  for (let i = 1; i < argv.length; i++) {
    const w = argv[i] as string;
    if (w === '--') break;
    if (valued.has(w)) {
      i++;
      continue;
    }
    if (!w.startsWith('-')) out.push(w);
  }
  return out;
}

function target(word: string | undefined, fallbackKind: string): { kind: string; name?: string } {
  if (!word) return { kind: fallbackKind };
  if (word.includes('/')) {
    const [k, n] = word.split('/');
    return { kind: findKind(k ?? '')?.kind ?? fallbackKind, ...(n ? { name: n } : {}) };
  }
  return { kind: findKind(word)?.kind ?? fallbackKind };
}

/** The SelfSubjectAccessReview to ask before running a write step; undefined for reads. */
export function rbacCheckOf(argv: readonly string[]): RbacCheck | undefined {
  const p = positionals(argv);
  const nsAt = argv.indexOf('-n');
  const namespace = nsAt > 0 ? argv[nsAt + 1] : undefined;
  const ns = namespace ? { namespace } : {};
  const [verb, second, third] = p;
  switch (verb) {
    case 'rollout': {
      if (second !== 'restart' && second !== 'undo' && second !== 'pause' && second !== 'resume')
        return undefined;
      const t = target(third, 'Deployment');
      return { verb: 'patch', ...t, ...ns };
    }
    case 'set': {
      const t = target(third, 'Deployment');
      return { verb: 'patch', ...t, ...ns };
    }
    case 'scale': {
      const t = target(second, 'Deployment');
      return { verb: 'patch', ...t, subresource: 'scale', ...ns };
    }
    case 'delete': {
      const t = second?.includes('/')
        ? target(second, 'Pod')
        : { kind: findKind(second ?? '')?.kind ?? 'Pod', ...(third ? { name: third } : {}) };
      return { verb: 'delete', ...t, ...ns };
    }
    case 'cordon':
    case 'uncordon':
      return { verb: 'patch', kind: 'Node', ...(second ? { name: second } : {}) };
    case 'drain':
      return { verb: 'create', kind: 'Pod', subresource: 'eviction' };
    case 'exec':
      return { verb: 'create', kind: 'Pod', ...(second ? { name: second } : {}), subresource: 'exec', ...ns };
    case 'port-forward':
      return { verb: 'create', kind: 'Pod', subresource: 'portforward', ...ns };
    default:
      return undefined;
  }
}
