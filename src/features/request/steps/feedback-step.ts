import { formErrors } from "../../../lib/form-errors.js";
import { text, type WizardStep } from "../wizard-types.js";

export const SATISFACTION_LEVELS = ["Très satisfait", "Satisfait", "Peu satisfait", "Pas du tout satisfait"] as const;

/** « Votre avis », optional; its « Envoyer » submits the request (wizard-routes.ts). */
export const feedbackStep: WizardStep = {
  slug: "avis",
  title: "Votre avis",
  view: "request/steps/feedback",
  isApplicable: () => true,
  formValues: ({ draft }) => ({ satisfaction: draft.satisfaction ?? "", satisfactionComment: draft.satisfactionComment ?? "" }),
  submit(body) {
    const satisfaction = text(body, "satisfaction");
    const comment = text(body, "satisfactionComment").trim();
    const problems: [string, string][] = [];
    if (satisfaction && !(SATISFACTION_LEVELS as readonly string[]).includes(satisfaction)) problems.push(["satisfaction", "Choisissez un niveau de satisfaction dans la liste."]);
    if (comment.length > 2000) problems.push(["satisfactionComment", "Le commentaire ne doit pas dépasser 2000 caractères."]);
    if (problems.length > 0) return { kind: "invalid", errors: formErrors(problems) };
    return { kind: "saved", data: { satisfaction: satisfaction || null, satisfactionComment: comment || null } };
  },
  locals: () => ({ levels: SATISFACTION_LEVELS }),
};
