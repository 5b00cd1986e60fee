/**
 * The pieces an applicant adds after submission (« Joindre un ou plusieurs
 * fichiers »): when they are accepted, and how they are shown, one batch
 * (one « Envoyer ») at a time, so that the agent sees what came when.
 */
import type { RequestStatus } from "../../generated/prisma/enums.js";
import { COMPLEMENT_SECTION } from "../../domain/required-documents.js";

/**
 * Awaiting a document, or just received one: the applicant may still add a
 * forgotten page until an agent takes the request up again.
 */
export const COMPLEMENT_STATUSES: readonly RequestStatus[] = ["AWAITING_DOCUMENT", "DOCUMENT_RECEIVED"];

export function acceptsComplements(status: RequestStatus): boolean {
  return COMPLEMENT_STATUSES.includes(status);
}

export interface Batch<D> {
  number: number;
  receivedAt: Date;
  documents: D[];
}

/** The complementary pieces grouped by batch: the files of one batch share their upload time (save-documents.ts). */
export function complementBatches<D extends { section: string; uploadedAt: Date }>(documents: readonly D[]): Batch<D>[] {
  const batches: Batch<D>[] = [];
  const sorted = documents.filter((document) => document.section === COMPLEMENT_SECTION.code).sort((a, b) => a.uploadedAt.getTime() - b.uploadedAt.getTime());
  for (const document of sorted) {
    const last = batches.at(-1);
    if (last && last.receivedAt.getTime() === document.uploadedAt.getTime()) last.documents.push(document);
    else batches.push({ number: batches.length + 1, receivedAt: document.uploadedAt, documents: [document] });
  }
  return batches;
}
