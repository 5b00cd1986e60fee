/**
 * Receiving files. Multer writes them to a private temporary folder (the
 * request is only parsed for logged-in people); the CSRF token, which travels
 * in the multipart body, is checked right after. Each file's type is then
 * decided from its content, a DOCX or ODT is inflated under a cap, the
 * antivirus scans it (file-checks.ts), and only then is it moved to its final place and
 * recorded — by the caller, in one transaction, which deletes the moved files
 * again if the transaction fails. Temporary files are always removed.
 */
import type { NextFunction, Request, RequestHandler, Response } from "express";
import multer from "multer";
import { csrfProtection } from "../../middleware/csrf.js";
import { formatMegabytes } from "../../views/format.js";
import { cleanFileName, DocumentStorage, MAX_FILE_BYTES } from "./document-storage.js";

export const MAX_FILES_PER_UPLOAD = 5;

export interface ReceivedFile {
  tempPath: string;
  originalName: string;
  size: number;
}

/**
 * The parser's complaints about the body itself (busboy: « Unexpected end of
 * form », « Malformed part header », « Multipart: Boundary not found »…)
 * are the sender's fault, like multer's limits. A failure of the disk
 * (ENOSPC, EACCES: they carry a syscall) is ours, and stays a 500.
 */
function isBodyError(error: unknown): boolean {
  return error instanceof Error && !("syscall" in error);
}

/** French messages for multer's limits and for bodies that are cut or malformed. */
function uploadErrorMessage(error: unknown): string | null {
  if (!error) return null;
  if (!(error instanceof multer.MulterError)) {
    return isBodyError(error)
      ? "L'envoi des fichiers n'a pas abouti : il est arrivé incomplet ou mal formé (connexion interrompue ?). Choisissez à nouveau vos fichiers, puis réessayez."
      : null;
  }
  switch (error.code) {
    case "LIMIT_FILE_SIZE":
      return `Un fichier dépasse la taille maximale de ${formatMegabytes(MAX_FILE_BYTES)}. Réduisez-le (par exemple en le scannant en noir et blanc) et réessayez.`;
    case "LIMIT_FILE_COUNT":
    case "LIMIT_UNEXPECTED_FILE":
      return `Vous pouvez envoyer au plus ${MAX_FILES_PER_UPLOAD} fichiers à la fois.`;
    default:
      return "L'envoi des fichiers n'a pas abouti. Réessayez.";
  }
}

/**
 * Runs multer then the CSRF check. On a multer limit, calls `onRefused` with
 * a French message instead of failing the request.
 */
export function receiveFiles(
  storage: DocumentStorage,
  field: string,
  onRefused: (req: Request, res: Response, message: string) => void | Promise<void>,
): RequestHandler[] {
  const parser = multer({
    storage: multer.diskStorage({
      destination: storage.incomingDir,
      filename: (_req, _file, callback) => callback(null, DocumentStorage.randomName()),
    }),
    limits: { fileSize: MAX_FILE_BYTES, files: MAX_FILES_PER_UPLOAD, fields: 10, fieldSize: 10_000, parts: MAX_FILES_PER_UPLOAD + 10 },
  }).array(field, MAX_FILES_PER_UPLOAD);

  const parse: RequestHandler = (req, res, next) => {
    parser(req, res, (error: unknown) => {
      const message = uploadErrorMessage(error);
      if (message) {
        void Promise.resolve(onRefused(req, res, message)).catch(next);
        return;
      }
      next(error);
    });
  };
  const checkCsrfThenCleanUp = (req: Request, res: Response, next: NextFunction) => {
    csrfProtection(req, res, (error?: unknown) => {
      if (error) {
        void discardAll(storage, receivedFiles(req)).then(
          () => next(error),
          (cleanup: unknown) => {
            req.log.error({ err: cleanup }, "fichiers reçus non supprimés");
            next(error);
          },
        );
        return;
      }
      next();
    });
  };
  return [parse, checkCsrfThenCleanUp];
}

export function receivedFiles(req: Request): ReceivedFile[] {
  const files = (req.files as Express.Multer.File[] | undefined) ?? [];
  return files.map((file) => ({
    tempPath: file.path,
    originalName: cleanFileName(Buffer.from(file.originalname, "latin1").toString("utf8")),
    size: file.size,
  }));
}

export async function discardAll(storage: DocumentStorage, files: ReceivedFile[]): Promise<void> {
  await Promise.all(files.map((file) => storage.discard(file.tempPath)));
}
