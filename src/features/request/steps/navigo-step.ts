import { parseNavigoNumber } from "../../../domain/identifiers.js";
import { formErrors } from "../../../lib/form-errors.js";
import { defineStep, NO_ANSWER, textForm, type StepOutcome } from "../wizard-types.js";

/** The form of the number, shared with the summary, where it can be corrected in place. */
export const navigoForm = textForm(["navigoNumber"]);

export function submitNavigo(form: { navigoNumber: string }): StepOutcome {
  const parsed = parseNavigoNumber(form.navigoNumber);
  if (!parsed.ok) return { kind: "invalid", errors: formErrors([["navigoNumber", parsed.message]]) };
  return { kind: "saved", data: { navigoNumber: parsed.value } };
}

export const navigoStep = defineStep({
  slug: "navigo",
  title: "Numéro de Passe Navigo",
  view: "request/steps/navigo",
  isApplicable: () => true,
  formValues: ({ draft }) => ({ navigoNumber: draft.navigoNumber ?? "" }),
  form: navigoForm,
  submit: submitNavigo,
  answers: (request) => ({
    title: "Numéro de Passe Navigo",
    slug: "navigo",
    items: [{ label: "Numéro de Passe Navigo", value: request.navigoNumber ?? NO_ANSWER }],
  }),
});
