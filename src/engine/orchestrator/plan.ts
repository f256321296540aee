import type { NetworkSpec } from '../stack/model.js';

/**
 * A plan is a value: single runtime calls with dependency edges, printable (`up --plan`), testable
 * without a runtime, then executed step by step as soon as each step's edges are done.
 */
export type StepKind =
  | 'create-network'
  | 'create-container'
  | 'start-container'
  | 'stop-container'
  | 'remove-container'
  | 'wait-healthy'
  | 'wait-completed';

export interface Step {
  id: number;
  kind: StepKind;
  /** `network:<name>` or `container:<name>`. */
  resource: string;
  /** Why this step exists, in words a person reads in `up --plan`. */
  reason: string;
  deps: number[];
  service?: string;
  replica?: number;
  container?: string;
  network?: NetworkSpec;
}

export interface Plan {
  project: string;
  steps: Step[];
  /** Containers whose config is unchanged and running: left alone. */
  unchanged: string[];
  warnings: string[];
}

/** `[3] -> #1,#2 container:shop-web-1 create-container (config changed)` — the shape compose prints. */
export function formatPlan(plan: Plan): string {
  if (plan.steps.length === 0)
    return `project ${plan.project}: nothing to do (${plan.unchanged.length} up to date)\n`;
  const lines = plan.steps.map((s) => {
    const deps = s.deps.length ? ` -> ${s.deps.map((d) => `#${d}`).join(',')}` : '';
    return `[${s.id}]${deps} ${s.resource} ${s.kind} (${s.reason})`;
  });
  return `${lines.join('\n')}\n`;
}
