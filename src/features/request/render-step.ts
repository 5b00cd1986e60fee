/** Renders one step of the wizard with its tabs, its values and its messages. */
import type { Response } from "express";
import { noErrors, type FormErrors } from "../../lib/form-errors.js";
import { renderForm } from "../../lib/forms.js";
import { readPendingInput } from "./pending-input.js";
import { stepStates } from "./registry.js";
import { returningToSummary, SUMMARY } from "./step-urls.js";
import type { StepContext, WizardStep } from "./wizard-types.js";

export function renderStep(
  res: Response,
  ctx: StepContext,
  step: WizardStep,
  options: { values?: Record<string, string>; errors?: FormErrors; reasons?: string[]; status?: number; restoredInput?: Record<string, string> | null } = {},
) {
  const states = stepStates(ctx);
  const index = states.findIndex((state) => state.step.slug === step.slug);
  const current = states[index]!;
  const pending = readPendingInput(ctx.draft.pendingInput)[step.slug];
  renderForm(res, step.view, {
    title: `${step.title} – Étape ${current.number} sur ${states.length}`,
    step,
    states,
    current,
    total: states.length,
    previous: states[index - 1] ?? null,
    draft: ctx.draft,
    values: options.values ?? { ...step.formValues(ctx), ...(pending ?? {}), ...(options.restoredInput ?? {}) },
    restoredInput: Boolean(options.restoredInput),
    errors: options.errors ?? noErrors,
    reasons: options.reasons ?? [],
    returnToSummary: returningToSummary(res.req) && step.slug !== SUMMARY,
    ...(options.status ? { status: options.status } : {}),
    ...(step.locals?.(ctx, states) ?? {}),
  });
}
