import { maskIban, parseBic, parseIban } from "../../../domain/identifiers.js";
import { formErrors } from "../../../lib/form-errors.js";
import { defineStep, NO_ANSWER, textForm, yesNo } from "../wizard-types.js";

export const participationStep = defineStep({
  slug: "participation",
  title: "Mode de participation",
  view: "request/steps/participation",
  isApplicable: () => true,
  sensitiveFields: ["iban"],
  isStillComplete: ({ draft }) =>
    draft.directDebit === false || (draft.directDebit === true && Boolean(draft.ibanEncrypted && draft.bic && draft.accountHolder && draft.debitConsent)),
  formValues: ({ draft }) => ({
    directDebit: draft.directDebit === null ? "" : draft.directDebit ? "oui" : "non",
    // The IBAN is never sent back to the browser: an empty field keeps the saved one.
    iban: "",
    bic: draft.bic ?? "",
    accountHolder: draft.accountHolder ?? "",
    debitConsent: draft.debitConsent ? "on" : "",
  }),
  form: textForm(["directDebit", "iban", "bic", "accountHolder", "debitConsent"]),
  submit(form, { draft }, { cipher }) {
    const choice = form.directDebit;
    if (choice !== "oui" && choice !== "non") {
      return { kind: "invalid", errors: formErrors([["directDebit", "Indiquez si vous souhaitez payer par prélèvement automatique."]]) };
    }
    if (choice === "non") {
      return { kind: "saved", data: { directDebit: false, ibanEncrypted: null, ibanLast4: null, bic: null, accountHolder: null, debitConsent: false } };
    }
    const problems: [string, string][] = [];
    const typedIban = form.iban.trim();
    const iban = typedIban === "" && draft.ibanEncrypted ? null : parseIban(typedIban);
    if (iban && !iban.ok) problems.push(["iban", iban.message]);
    const bic = parseBic(form.bic);
    if (!bic.ok) problems.push(["bic", bic.message]);
    const holder = form.accountHolder.trim();
    if (!holder) problems.push(["accountHolder", "Indiquez le nom du titulaire du compte."]);
    else if (holder.length > 140) problems.push(["accountHolder", "Le nom du titulaire ne doit pas dépasser 140 caractères."]);
    const consent = form.debitConsent === "on";
    if (!consent) problems.push(["debitConsent", "Cochez la case pour accepter le paiement par prélèvement automatique."]);
    if (problems.length > 0 || !bic.ok || (iban && !iban.ok)) return { kind: "invalid", errors: formErrors(problems) };
    return {
      kind: "saved",
      data: {
        directDebit: true,
        ...(iban ? { ibanEncrypted: cipher.encrypt(iban.value), ibanLast4: iban.value.slice(-4) } : {}),
        bic: bic.value,
        accountHolder: holder,
        debitConsent: true,
      },
    };
  },
  locals: ({ draft }) => ({ savedIban: draft.ibanLast4 ? maskIban(draft.ibanLast4) : null }),
  answers: (request) => ({
    title: "Mode de participation",
    slug: "participation",
    items: [
      { label: "Prélèvement automatique", value: yesNo(request.directDebit) },
      ...(request.directDebit
        ? [
            { label: "N° IBAN", value: request.ibanLast4 ? maskIban(request.ibanLast4) : NO_ANSWER },
            { label: "BIC", value: request.bic ?? NO_ANSWER },
            { label: "Nom du titulaire du compte", value: request.accountHolder ?? NO_ANSWER },
          ]
        : []),
    ],
  }),
});
