import { parseNavigoNumber } from "../../../domain/identifiers.js";
import { formErrors } from "../../../lib/form-errors.js";
import { text, type StepOutcome, type WizardStep } from "../wizard-types.js";

/** Shared with the summary, where the number can be corrected in place. */
export function submitNavigo(body: Record<string, unknown>): StepOutcome {
  const parsed = parseNavigoNumber(text(body, "navigoNumber"));
  if (!parsed.ok) return { kind: "invalid", errors: formErrors([["navigoNumber", parsed.message]]) };
  return { kind: "saved", data: { navigoNumber: parsed.value } };
}

export const navigoStep: WizardStep = {
  slug: "navigo",
  title: "Numéro de Passe Navigo",
  view: "request/steps/navigo",
  isApplicable: () => true,
  formValues: ({ draft }) => ({ navigoNumber: draft.navigoNumber ?? "" }),
  submit: submitNavigo,
};
