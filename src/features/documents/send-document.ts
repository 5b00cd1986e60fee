import type { Response } from "express";
import type { DocumentStorage } from "./document-storage.js";

/** Shown in the browser when asked (PDF, images); anything else is always downloaded. */
const INLINE_TYPES = new Set(["application/pdf", "image/jpeg", "image/png"]);

/**
 * Streams a stored document to its authorized reader: the type decided at
 * upload, nosniff, no caching, and a Content-Disposition with its name.
 */
export function sendDocument(
  res: Response,
  storage: DocumentStorage,
  document: { storedName: string; originalName: string; mimeType: string },
  options: { inline?: boolean } = {},
): void {
  res.setHeader("Content-Type", document.mimeType);
  res.setHeader("X-Content-Type-Options", "nosniff");
  res.setHeader("Cache-Control", "private, no-store");
  res.attachment(document.originalName);
  if (options.inline && INLINE_TYPES.has(document.mimeType)) {
    res.setHeader("Content-Disposition", String(res.getHeader("Content-Disposition")).replace(/^attachment/, "inline"));
  }
  const unreadable = (error: unknown) => {
    res.log.error({ err: error }, "justificatif illisible pendant l'envoi");
    res.destroy();
  };
  storage
    .read(document.storedName)
    .then((file) => file.on("error", unreadable).pipe(res))
    .catch(unreadable);
}
