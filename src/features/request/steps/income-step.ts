import { formatShares, parseTaxIncome, parseTaxShares } from "../../../domain/identifiers.js";
import { formErrors } from "../../../lib/form-errors.js";
import { defineStep, NO_ANSWER, textForm } from "../wizard-types.js";

export const incomeStep = defineStep({
  slug: "revenus",
  title: "Revenus",
  view: "request/steps/income",
  isApplicable: () => true,
  formValues: ({ draft }) => ({
    referenceTaxIncome: draft.referenceTaxIncome === null ? "" : String(draft.referenceTaxIncome),
    taxShares: draft.taxShares === null ? "" : formatShares(Number(draft.taxShares)),
  }),
  form: textForm(["referenceTaxIncome", "taxShares"]),
  submit(form) {
    const income = parseTaxIncome(form.referenceTaxIncome);
    const shares = parseTaxShares(form.taxShares);
    const problems: [string, string][] = [];
    if (!income.ok) problems.push(["referenceTaxIncome", income.message]);
    if (!shares.ok) problems.push(["taxShares", shares.message]);
    if (!income.ok || !shares.ok) return { kind: "invalid", errors: formErrors(problems) };
    return { kind: "saved", data: { referenceTaxIncome: income.value, taxShares: shares.value } };
  },
  answers: (request) => ({
    title: "Revenus",
    slug: "revenus",
    items: [
      { label: "Revenu fiscal de référence", value: request.referenceTaxIncome === null ? NO_ANSWER : `${request.referenceTaxIncome.toLocaleString("fr-FR")} €` },
      { label: "Nombre de parts fiscales", value: request.taxShares === null ? NO_ANSWER : formatShares(Number(request.taxShares)) },
    ],
  }),
});
