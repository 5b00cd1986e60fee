/**
 * How much an applicant may store: per section, and in total, so that a
 * draft (or the pieces added later) cannot fill the disk. Checked under the
 * request's lock by saveDocuments.
 */
import { formatMegabytes as megabytes } from "../../views/format.js";
import type { UploadLimits } from "./save-documents.js";

/** A sensible number of files for one section (recto/verso, several pages…). */
export const MAX_FILES_PER_SECTION = 10;
/** All the draft's documents together: enough for every section scanned in colour. */
export const MAX_DRAFT_BYTES = 50 * 1024 * 1024;
/** The pieces added after submission, over every batch. */
export const MAX_COMPLEMENT_FILES = 20;
export const MAX_COMPLEMENT_BYTES = 50 * 1024 * 1024;

export function draftLimits(sectionTitle: string): UploadLimits {
  return {
    maxFiles: MAX_FILES_PER_SECTION,
    tooManyFiles: `« ${sectionTitle} » peut contenir au plus ${MAX_FILES_PER_SECTION} fichiers. Supprimez-en avant d'en ajouter.`,
    maxBytes: MAX_DRAFT_BYTES,
    bytesOf: "request",
    tooManyBytes: (remaining) =>
      `Vos justificatifs ne peuvent pas dépasser ${megabytes(MAX_DRAFT_BYTES)} en tout (il reste ${megabytes(remaining)}). Supprimez des fichiers, ou réduisez-les (par exemple en les scannant en noir et blanc).`,
  };
}

export const complementLimits: UploadLimits = {
  maxFiles: MAX_COMPLEMENT_FILES,
  tooManyFiles: `Vous pouvez joindre au plus ${MAX_COMPLEMENT_FILES} pièces complémentaires à une demande. Pour en transmettre d'autres, contactez le Département.`,
  maxBytes: MAX_COMPLEMENT_BYTES,
  bytesOf: "section",
  tooManyBytes: (remaining) =>
    `Les pièces complémentaires d'une demande ne peuvent pas dépasser ${megabytes(MAX_COMPLEMENT_BYTES)} en tout (il reste ${megabytes(remaining)}). Réduisez vos fichiers (par exemple en les scannant en noir et blanc).`,
};
