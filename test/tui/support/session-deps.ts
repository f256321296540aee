import type { ClusterSessionDeps } from '../../../src/tui/session/cluster-session.js';

/**
 * A ClusterSession's dependencies for a test or bench that exercises one part of it: no cluster,
 * no stack, everyone may see everything, and the advisor and translator must not be reached.
 * Each caller overrides what its scenario is about.
 */
export function sessionDeps(overrides: Partial<ClusterSessionDeps>): ClusterSessionDeps {
  return {
    target: { type: 'context', name: 'none' },
    source: null,
    analyze: () => [],
    access: { user: 'dana', canSee: () => true },
    namespace: null,
    runtime: 'auto',
    llm: 'offline',
    stack: null,
    plan: async () => {
      throw new Error('the advisor is not part of this scenario');
    },
    translate: async () => {
      throw new Error('the translator is not part of this scenario');
    },
    run: async () => ({ status: 'declined' }),
    ...overrides,
  };
}
