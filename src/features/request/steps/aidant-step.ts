import { z } from "zod";
import { formErrors } from "../../../lib/form-errors.js";
import { defineStep, NO_ANSWER, textForm } from "../wizard-types.js";

const email = z.email();

export const aidantStep = defineStep({
  slug: "aidant",
  title: "Aidant",
  view: "request/steps/aidant",
  isApplicable: () => true,
  formValues: ({ draft }) => ({ aidantName: draft.aidantName ?? "", aidantEmail: draft.aidantEmail ?? "" }),
  form: textForm(["aidantName", "aidantEmail"]),
  submit(form) {
    const name = form.aidantName.trim();
    const address = form.aidantEmail.trim().toLowerCase();
    const problems: [string, string][] = [];
    if (name.length > 100) problems.push(["aidantName", "Le nom ne doit pas dépasser 100 caractères."]);
    else if (name && !/^[\p{L}][\p{L}\p{M} '’.-]*$/u.test(name))
      problems.push(["aidantName", "Utilisez uniquement des lettres, des espaces, des tirets et des apostrophes."]);
    if (address && (address.length > 254 || !email.safeParse(address).success)) {
      problems.push(["aidantEmail", "Indiquez une adresse e-mail valide, par exemple nom@exemple.fr."]);
    }
    if (name && !address) problems.push(["aidantEmail", "Indiquez aussi le courriel de l'aidant, ou effacez son nom."]);
    if (address && !name) problems.push(["aidantName", "Indiquez aussi le nom de l'aidant, ou effacez son courriel."]);
    if (problems.length > 0) return { kind: "invalid", errors: formErrors(problems) };
    return { kind: "saved", data: { aidantName: name || null, aidantEmail: address || null } };
  },
  answers: (request) => ({
    title: "Aidant",
    slug: "aidant",
    items: [
      { label: "Aidant", value: request.aidantName ?? NO_ANSWER },
      { label: "Courriel aidant", value: request.aidantEmail ?? NO_ANSWER },
    ],
  }),
});
