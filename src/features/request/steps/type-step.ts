import { formErrors } from "../../../lib/form-errors.js";
import { text, type WizardStep } from "../wizard-types.js";

export const REQUEST_TYPES = { FIRST: "Première demande", RENEWAL: "Renouvellement" } as const;

export const typeStep: WizardStep = {
  slug: "type",
  title: "Type de demande",
  view: "request/steps/type",
  isApplicable: () => true,
  formValues: ({ draft }) => ({ type: draft.type ?? "" }),
  submit(body) {
    const type = text(body, "type");
    if (type !== "FIRST" && type !== "RENEWAL") {
      return { kind: "invalid", errors: formErrors([["type", "Indiquez s'il s'agit d'une première demande ou d'un renouvellement."]]) };
    }
    return { kind: "saved", data: { type } };
  },
  locals: () => ({ types: REQUEST_TYPES }),
};
