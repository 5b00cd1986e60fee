/**
 * The upload rules as the pages state them, taken from the constants that
 * enforce them, so that the text cannot drift from the checks.
 */
import { ACCEPT_ATTRIBUTE, ACCEPTED_FORMATS, MAX_FILE_BYTES } from "../features/documents/document-storage.js";
import { MAX_FILES_PER_UPLOAD } from "../features/documents/upload.js";
import { MAX_COMPLEMENT_FILES, MAX_DRAFT_BYTES, MAX_FILES_PER_SECTION } from "../features/documents/upload-limits.js";
import { formatSize } from "./format.js";

export const uploadRules = {
  /** « PDF, JPEG, PNG, Word (DOCX) ou OpenDocument (ODT) ». */
  formats: ACCEPTED_FORMATS,
  /** The file input's accept attribute: a hint to the browser's file picker, the content is checked anyway. */
  accept: ACCEPT_ATTRIBUTE,
  maxFileSize: formatSize(MAX_FILE_BYTES),
  maxFilesPerUpload: MAX_FILES_PER_UPLOAD,
  maxFilesPerSection: MAX_FILES_PER_SECTION,
  maxDraftSize: formatSize(MAX_DRAFT_BYTES),
  maxComplementFiles: MAX_COMPLEMENT_FILES,
} as const;
