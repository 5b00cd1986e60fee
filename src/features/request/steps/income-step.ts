import { z } from "zod";
import { formatShares, parseTaxIncome, parseTaxShares } from "../../../domain/identifiers.js";
import { formatNumber } from "../../../views/format.js";
import { defineStep, NO_ANSWER, parsedText } from "../wizard-types.js";

export const incomeStep = defineStep({
  slug: "revenus",
  title: "Revenus",
  view: "request/steps/income",
  isApplicable: () => true,
  formValues: ({ draft }) => ({
    referenceTaxIncome: draft.referenceTaxIncome === null ? "" : String(draft.referenceTaxIncome),
    taxShares: draft.taxShares === null ? "" : formatShares(Number(draft.taxShares)),
  }),
  form: z.object({ referenceTaxIncome: parsedText(parseTaxIncome), taxShares: parsedText(parseTaxShares) }),
  submit: ({ referenceTaxIncome, taxShares }) => ({ kind: "saved", data: { referenceTaxIncome, taxShares } }),
  answers: (request) => ({
    title: "Revenus",
    slug: "revenus",
    items: [
      { label: "Revenu fiscal de référence", value: request.referenceTaxIncome === null ? NO_ANSWER : `${formatNumber(request.referenceTaxIncome)} €` },
      { label: "Nombre de parts fiscales", value: request.taxShares === null ? NO_ANSWER : formatShares(Number(request.taxShares)) },
    ],
  }),
});
