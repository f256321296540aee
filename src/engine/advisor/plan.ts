import * as z from 'zod';

/**
 * DESIGN.md's Plan. A step with a command carries a kubectl argv that passed the ask policy
 * for the person asking; a step without one is a change to make by hand (a manifest, Helm value
 * or code edit), with `edit` saying exactly what.
 */
export type PlanMode = 'remediation' | 'rca';
export type PlanSource = 'offline' | 'llm';
export type StepRisk = 'read' | 'write' | 'destructive';

export interface PlanStep {
  title: string;
  command?: string[];
  risk: StepRisk;
  why: string;
  /** The exact change to make by hand when no allowed command can make it. */
  edit?: string;
}

export interface Plan {
  issueId: string;
  mode: PlanMode;
  summary: string;
  steps: PlanStep[];
  verification: PlanStep[];
  rollback: PlanStep[];
  source: PlanSource;
  /** The object the plan is about. */
  target: { kind: string; namespace: string; name: string };
  /** What the person added with --context, as given. */
  context?: string;
  /** K8sGPT's own explanation of the issue (its Result's spec.details), when there is one. */
  k8sgptDetails?: string;
}

const stepSchema = z.object({
  title: z.string().min(1).max(300),
  command: z.array(z.string()).min(2).max(64).optional(),
  risk: z.enum(['read', 'write', 'destructive']),
  why: z.string().min(1).max(2000),
  edit: z.string().max(4000).optional(),
});

/** What a model must answer: the plan body, before Kitten checks every command against the policy. */
export const planAnswerSchema = z.object({
  summary: z.string().min(1).max(1000),
  steps: z.array(stepSchema).min(1).max(20),
  verification: z.array(stepSchema).max(10),
  rollback: z.array(stepSchema).max(10),
});

export type PlanAnswer = z.infer<typeof planAnswerSchema>;
