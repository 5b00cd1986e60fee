import { defineStep } from "../wizard-types.js";
import { describeMissing } from "../../../domain/missing-document.js";
import { missingDeclarationOf, sectionsFor } from "./documents-step.js";
import { navigoForm, navigoStep, submitNavigo } from "./navigo-step.js";

export const summaryStep = defineStep({
  slug: "recapitulatif",
  title: "Récapitulatif",
  view: "request/steps/summary",
  isApplicable: () => true,
  formValues: ({ draft }) => ({ navigoNumber: draft.navigoNumber ?? "" }),
  // The guide: « En cas d'erreur sur le N° de Passe Navigo, vous pouvez directement le corriger sur cet écran. »
  form: navigoForm,
  submit: submitNavigo,
  locals: (ctx, states) => ({
    applicant: ctx.applicant,
    // Every applicable step's answers, but the number, corrected in place here.
    groups: states.flatMap(({ step }) => {
      const group = step.slug === navigoStep.slug ? null : step.answers?.(ctx.draft, ctx);
      return group ? [group] : [];
    }),
    documentSections: sectionsFor(ctx).map((section) => ({
      title: section.title,
      files: ctx.draft.documents.filter((document) => document.section === section.code),
      missing: describeMissingOrNull(missingDeclarationOf(ctx, section.code)),
    })),
  }),
});

function describeMissingOrNull(missing: { reason: string; details: string | null } | null): string | null {
  return missing ? describeMissing(missing) : null;
}
