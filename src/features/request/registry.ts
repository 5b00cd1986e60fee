/**
 * The wizard, as data: its steps in order. Which apply, which are done and
 * which can be opened follow from the draft alone.
 */
import { aidantStep } from "./steps/aidant-step.js";
import { documentsStep } from "./steps/documents-step.js";
import { eligibilityStep } from "./steps/eligibility-step.js";
import { feedbackStep } from "./steps/feedback-step.js";
import { incomeStep } from "./steps/income-step.js";
import { navigoStep } from "./steps/navigo-step.js";
import { participationStep } from "./steps/participation-step.js";
import { summaryStep } from "./steps/summary-step.js";
import { typeStep } from "./steps/type-step.js";
import { zonageStep } from "./steps/zonage-step.js";
import type { StepContext, StepState, WizardStep } from "./wizard-types.js";

export const WIZARD_STEPS: readonly WizardStep[] = [
  typeStep,
  eligibilityStep,
  navigoStep,
  zonageStep,
  incomeStep,
  aidantStep,
  participationStep,
  documentsStep,
  summaryStep,
  feedbackStep,
];

/** The applicable steps with their number, whether done, and whether they can be opened. */
export function stepStates(ctx: StepContext): StepState[] {
  const applicable = WIZARD_STEPS.filter((step) => step.isApplicable(ctx.draft));
  const complete = applicable.map((step) => ctx.draft.completedSteps.includes(step.slug) && (step.isStillComplete?.(ctx) ?? true));
  const firstIncomplete = complete.indexOf(false);
  const lastReachable = firstIncomplete === -1 ? applicable.length - 1 : firstIncomplete;
  return applicable.map((step, index) => ({ step, number: index + 1, complete: complete[index]!, reachable: index <= lastReachable }));
}

/** Where « Créer ou compléter ma demande » resumes: the first step not yet complete. */
export function resumeStep(states: StepState[]): StepState {
  return states.find((state) => !state.complete) ?? states[states.length - 1]!;
}

export function findStep(slug: string): WizardStep | undefined {
  return WIZARD_STEPS.find((step) => step.slug === slug);
}

/** The first step still to complete before the request can be submitted (every step but the one that submits it); none when it can be. */
export function firstStepBlockingSubmission(states: readonly StepState[]): StepState | undefined {
  return states.find((state) => !state.step.submits && !state.complete);
}
