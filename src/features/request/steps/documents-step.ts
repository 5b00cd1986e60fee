import { MISSING_DOCUMENT_DETAILS_MAX, MISSING_DOCUMENT_REASONS } from "../../../domain/missing-document.js";
import { requiredDocumentSections } from "../../../domain/required-documents.js";
import { formErrors } from "../../../lib/form-errors.js";
import { z } from "zod";
import { defineStep, type StepContext } from "../wizard-types.js";

/** The sections the draft's answers ask for. */
export function sectionsFor(ctx: Pick<StepContext, "draft" | "statuts">) {
  const statut = ctx.statuts.find((candidate) => candidate.code === ctx.draft.statutCode);
  return requiredDocumentSections({ type: ctx.draft.type, directDebit: ctx.draft.directDebit, situationDocument: statut?.situationDocument ?? null });
}

/** The declaration « Je ne peux pas fournir ce document » of a section, if any. */
export function missingDeclarationOf(ctx: Pick<StepContext, "draft">, section: string) {
  return ctx.draft.missingDocuments?.find((missing) => missing.section === section) ?? null;
}

/** Sections with neither a file nor a declaration that the document cannot be given. */
function missingSections(ctx: StepContext) {
  return sectionsFor(ctx).filter(
    (section) => !ctx.draft.documents.some((document) => document.section === section.code) && !missingDeclarationOf(ctx, section.code),
  );
}

export const documentsStep = defineStep({
  slug: "justificatifs",
  title: "Justificatifs",
  view: "request/steps/documents",
  isApplicable: () => true,
  isStillComplete: (ctx) => missingSections(ctx).length === 0,
  formValues: () => ({}),
  // No field: its « Suivant » only checks that every section has a file.
  form: z.object({}),
  submit(_form, ctx) {
    const missing = missingSections(ctx);
    if (missing.length > 0) {
      return {
        kind: "invalid",
        errors: formErrors(
          missing.map((section) => [
            `section-${section.code}`,
            `Ajoutez au moins un fichier dans « ${section.title} », puis cliquez sur « Enregistrer », ou indiquez pourquoi vous ne pouvez pas le fournir.`,
          ]),
        ),
      };
    }
    return { kind: "saved", data: {} };
  },
  locals: (ctx) => ({
    sections: sectionsFor(ctx).map((section) => ({
      ...section,
      files: ctx.draft.documents.filter((document) => document.section === section.code),
      missing: missingDeclarationOf(ctx, section.code),
    })),
    missingReasons: Object.entries(MISSING_DOCUMENT_REASONS).map(([value, label]) => ({ value, label })),
    missingDetailsMax: MISSING_DOCUMENT_DETAILS_MAX,
  }),
});
