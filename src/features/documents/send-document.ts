import { pipeline } from "node:stream";
import type { Response } from "express";
import { StorageUnavailable, type DocumentStorage } from "./document-storage.js";

/** Shown in the browser when asked (PDF, images); anything else is always downloaded. */
const INLINE_TYPES = new Set(["application/pdf", "image/jpeg", "image/png"]);

/**
 * Streams a stored document to its authorized reader: the type decided at
 * upload, nosniff, no caching, and a Content-Disposition with its name.
 *
 * The store is asked first, the headers set only once it answers: a store
 * that cannot be reached gives the French « Service momentanément
 * indisponible » page (503), any other failure the error page, never a
 * stack trace. A failure in the middle of the bytes can only cut the answer.
 */
export function sendDocument(
  res: Response,
  storage: DocumentStorage,
  document: { storedName: string; originalName: string; mimeType: string },
  options: { inline?: boolean } = {},
): void {
  const cut = (error: unknown) => {
    res.log.error({ err: error }, "justificatif illisible pendant l'envoi");
    res.destroy();
  };
  storage.read(document.storedName).then(
    (file) => {
      res.setHeader("Content-Type", document.mimeType);
      res.setHeader("X-Content-Type-Options", "nosniff");
      res.setHeader("Cache-Control", "private, no-store");
      res.attachment(document.originalName);
      if (options.inline && INLINE_TYPES.has(document.mimeType)) {
        res.setHeader("Content-Disposition", String(res.getHeader("Content-Disposition")).replace(/^attachment/, "inline"));
      }
      // pipeline, not pipe: a reader who leaves mid-file frees the store's connection (or the file) at once.
      pipeline(file, res, (error) => {
        if (error && error.code !== "ERR_STREAM_PREMATURE_CLOSE") cut(error);
      });
    },
    (error: unknown) => {
      if (res.headersSent) {
        cut(error);
      } else if (error instanceof StorageUnavailable) {
        res.log.error({ err: error }, "justificatif : stockage indisponible");
        res.status(503).set("Retry-After", "30").render("errors/unavailable", { title: "Service momentanément indisponible" });
      } else {
        res.log.error({ err: error }, "justificatif illisible");
        res.status(500).render("errors/server-error", { title: "Une erreur est survenue", requestId: typeof res.req.id === "string" ? res.req.id : undefined });
      }
    },
  );
}
