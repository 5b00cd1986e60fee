import { answerGroups } from "../answers.js";
import type { WizardStep } from "../wizard-types.js";
import { sectionsFor } from "./documents-step.js";
import { submitNavigo } from "./navigo-step.js";

export const summaryStep: WizardStep = {
  slug: "recapitulatif",
  title: "Récapitulatif",
  view: "request/steps/summary",
  isApplicable: () => true,
  formValues: ({ draft }) => ({ navigoNumber: draft.navigoNumber ?? "" }),
  // The guide: « En cas d'erreur sur le N° de Passe Navigo, vous pouvez directement le corriger sur cet écran. »
  submit: submitNavigo,
  locals: (ctx) => ({
    groups: answerGroups(ctx.draft, ctx.statuts, ctx.zonages).filter((group) => group.slug !== "navigo"),
    documentSections: sectionsFor(ctx).map((section) => ({
      title: section.title,
      files: ctx.draft.documents.filter((document) => document.section === section.code),
    })),
  }),
};
