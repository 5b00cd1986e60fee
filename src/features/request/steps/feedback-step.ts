import { z } from "zod";
import { defineStep, formText } from "../wizard-types.js";

export const SATISFACTION_LEVELS = ["Très satisfait", "Satisfait", "Peu satisfait", "Pas du tout satisfait"] as const;

/** « Votre avis », optional; its « Envoyer » submits the request. */
export const feedbackStep = defineStep({
  slug: "avis",
  title: "Votre avis",
  view: "request/steps/feedback",
  isApplicable: () => true,
  submits: true,
  formValues: ({ draft }) => ({ satisfaction: draft.satisfaction ?? "", satisfactionComment: draft.satisfactionComment ?? "" }),
  form: z.object({
    satisfaction: formText.refine((value) => value === "" || (SATISFACTION_LEVELS as readonly string[]).includes(value), {
      error: "Choisissez un niveau de satisfaction dans la liste.",
    }),
    satisfactionComment: formText
      .transform((comment) => comment.trim())
      .pipe(z.string().max(2000, { error: "Le commentaire ne doit pas dépasser 2000 caractères." })),
  }),
  submit: ({ satisfaction, satisfactionComment }) => ({
    kind: "saved",
    data: { satisfaction: satisfaction || null, satisfactionComment: satisfactionComment || null },
  }),
  locals: () => ({ levels: SATISFACTION_LEVELS }),
});
