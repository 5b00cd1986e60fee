import { formatShares, parseTaxIncome, parseTaxShares } from "../../../domain/identifiers.js";
import { formErrors } from "../../../lib/form-errors.js";
import { text, type WizardStep } from "../wizard-types.js";

export const incomeStep: WizardStep = {
  slug: "revenus",
  title: "Revenus",
  view: "request/steps/income",
  isApplicable: () => true,
  formValues: ({ draft }) => ({
    referenceTaxIncome: draft.referenceTaxIncome === null ? "" : String(draft.referenceTaxIncome),
    taxShares: draft.taxShares === null ? "" : formatShares(Number(draft.taxShares)),
  }),
  submit(body) {
    const income = parseTaxIncome(text(body, "referenceTaxIncome"));
    const shares = parseTaxShares(text(body, "taxShares"));
    const problems: [string, string][] = [];
    if (!income.ok) problems.push(["referenceTaxIncome", income.message]);
    if (!shares.ok) problems.push(["taxShares", shares.message]);
    if (!income.ok || !shares.ok) return { kind: "invalid", errors: formErrors(problems) };
    return { kind: "saved", data: { referenceTaxIncome: income.value, taxShares: shares.value } };
  },
};
