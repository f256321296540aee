export { type AdvisedPlan, type AdviseOptions, advise, finalizeSteps, type RefusedStep } from './advise.js';
export { Anonymizer } from './anonymize.js';
export { draftOfflinePlan } from './offline.js';
export {
  type Plan,
  type PlanMode,
  type PlanSource,
  type PlanStep,
  planAnswerSchema,
  type StepRisk,
} from './plan.js';
