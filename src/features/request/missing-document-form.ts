/**
 * The form « Je ne peux pas fournir ce document » of one section. Its fields
 * are named after the section (raison-IDENTITY, precision-IDENTITY) so that
 * every section's form on the page has its own ids for the error summary.
 */
import { z } from "zod";
import { MISSING_DOCUMENT_DETAILS_MAX, MISSING_DOCUMENT_REASONS, type MissingDocumentReason } from "../../domain/missing-document.js";
import { formErrorsFromZod, type FormErrors } from "../../lib/form-errors.js";
import { textField } from "../../lib/forms.js";

export interface MissingDocumentInput {
  reason: MissingDocumentReason;
  details: string | null;
}

export const reasonField = (section: string) => `raison-${section}`;
export const detailsField = (section: string) => `precision-${section}`;

/** Control characters (but line breaks) are dropped, and the text trimmed, like the other free texts. */
function cleanText(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0009\u000B\u000C\u000E-\u001F\u007F]/g, "").trim();
}

export function parseMissingDocument(body: unknown, section: string): { ok: true; data: MissingDocumentInput } | { ok: false; errors: FormErrors } {
  const reasonName = reasonField(section);
  const detailsName = detailsField(section);
  const schema = z.object({ [reasonName]: textField, [detailsName]: textField }).transform((form, ctx): MissingDocumentInput => {
    const reason = z.enum(Object.keys(MISSING_DOCUMENT_REASONS) as [MissingDocumentReason, ...MissingDocumentReason[]]).safeParse(form[reasonName]);
    const details = cleanText(form[detailsName] ?? "");
    if (!reason.success) {
      ctx.addIssue({ code: "custom", path: [reasonName], message: "Choisissez la raison pour laquelle vous ne pouvez pas fournir ce document." });
    } else if (reason.data === "OTHER" && details === "") {
      ctx.addIssue({ code: "custom", path: [detailsName], message: "Précisez la raison pour laquelle vous ne pouvez pas fournir ce document." });
    }
    if (details.length > MISSING_DOCUMENT_DETAILS_MAX) {
      ctx.addIssue({ code: "custom", path: [detailsName], message: `La précision ne doit pas dépasser ${MISSING_DOCUMENT_DETAILS_MAX} caractères.` });
    }
    return { reason: reason.success ? reason.data : "OTHER", details: details || null };
  });
  const result = schema.safeParse(body ?? {});
  return result.success ? { ok: true, data: result.data } : { ok: false, errors: formErrorsFromZod(result.error, [reasonName, detailsName]) };
}
