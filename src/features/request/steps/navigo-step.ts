import { z } from "zod";
import { parseNavigoNumber } from "../../../domain/identifiers.js";
import { defineStep, NO_ANSWER, parsedText, type StepOutcome } from "../wizard-types.js";

/** The form of the number, shared with the summary, where it can be corrected in place. */
export const navigoForm = z.object({ navigoNumber: parsedText(parseNavigoNumber) });

export function submitNavigo({ navigoNumber }: z.infer<typeof navigoForm>): StepOutcome {
  return { kind: "saved", data: { navigoNumber } };
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
