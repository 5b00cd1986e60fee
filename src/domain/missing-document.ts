/**
 * « Je ne peux pas fournir ce document »: why a required document is not
 * given. The codes are stored; the labels are what people read.
 */
export const MISSING_DOCUMENT_REASONS = {
  LOST: "Document perdu ou volé, demande de duplicata en cours",
  NOT_CONCERNED: "Je n'ai pas ce document (je ne suis pas concerné·e)",
  PENDING: "Document en cours de délivrance",
  OTHER: "Autre raison",
} as const;

export type MissingDocumentReason = keyof typeof MISSING_DOCUMENT_REASONS;

export const MISSING_DOCUMENT_DETAILS_MAX = 500;

/** The label of a stored reason (a code no longer listed is shown as stored). */
export function missingReasonLabel(reason: string): string {
  return (MISSING_DOCUMENT_REASONS as Record<string, string>)[reason] ?? reason;
}

/** « Non fourni : <raison> », with the applicant's words when given. */
export function describeMissing(missing: { reason: string; details: string | null }): string {
  const label = `Non fourni : ${missingReasonLabel(missing.reason)}`;
  return missing.details ? `${label} (« ${missing.details} »)` : label;
}
