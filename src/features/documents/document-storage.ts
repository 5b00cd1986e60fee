/**
 * The applicants' files on disk, under random names in the uploads folder,
 * which no static route serves. Only authorized routes stream them.
 */
import { randomBytes } from "node:crypto";
import { createReadStream } from "node:fs";
import { mkdir, open, rename, rm, stat } from "node:fs/promises";
import path from "node:path";
import type { Readable } from "node:stream";
import { fileTypeFromFile } from "file-type";
import { frenchList } from "../../lib/french-list.js";

/** What the portal accepts, decided from the file's content, never its name or the browser's claim. */
export const ACCEPTED_TYPES: Record<string, { mime: string; label: string }> = {
  pdf: { mime: "application/pdf", label: "PDF" },
  jpg: { mime: "image/jpeg", label: "JPEG" },
  png: { mime: "image/png", label: "PNG" },
  docx: { mime: "application/vnd.openxmlformats-officedocument.wordprocessingml.document", label: "Word (DOCX)" },
  odt: { mime: "application/vnd.oasis.opendocument.text", label: "OpenDocument (ODT)" },
};
/** « PDF, JPEG, PNG, Word (DOCX) ou OpenDocument (ODT) », for the pages and the messages. */
export const ACCEPTED_FORMATS = frenchList(Object.values(ACCEPTED_TYPES).map((type) => type.label));
export const ACCEPT_ATTRIBUTE = ".pdf,.jpg,.jpeg,.png,.docx,.odt,application/pdf,image/jpeg,image/png";
export const MAX_FILE_BYTES = 10 * 1024 * 1024;

/** The random names under which files are stored: 24 random bytes in hex. */
export function isStoredName(name: string): boolean {
  return /^[0-9a-f]{48}$/.test(name);
}

export type Detection = { ok: true; mime: string; ext: string } | { ok: false; message: string };

export class DocumentStorage {
  readonly incomingDir: string;

  constructor(readonly dir: string) {
    this.incomingDir = path.join(dir, ".incoming");
  }

  async init(): Promise<void> {
    await mkdir(this.incomingDir, { recursive: true, mode: 0o700 });
  }

  /** A random file name for multer's temporary copy. */
  static randomName(): string {
    return randomBytes(24).toString("hex");
  }

  async detect(filePath: string, originalName: string): Promise<Detection> {
    const { size } = await stat(filePath);
    if (size === 0) return { ok: false, message: `Le fichier « ${originalName} » est vide.` };
    const type = await fileTypeFromFile(filePath);
    const accepted = type ? ACCEPTED_TYPES[type.ext] : undefined;
    if (!type || !accepted) {
      return { ok: false, message: `Le fichier « ${originalName} » n'est pas d'un type accepté. Formats acceptés : ${ACCEPTED_FORMATS}.` };
    }
    return { ok: true, mime: accepted.mime, ext: type.ext };
  }

  /**
   * Moves a received file to its final place and flushes it to disk, so the
   * file exists before its database row is committed. Returns its stored name.
   */
  async keep(tempPath: string): Promise<string> {
    const storedName = DocumentStorage.randomName();
    const finalPath = this.pathOf(storedName);
    const handle = await open(tempPath, "r");
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tempPath, finalPath);
    return storedName;
  }

  async remove(storedName: string): Promise<void> {
    await rm(this.pathOf(storedName), { force: true });
  }

  async discard(tempPath: string): Promise<void> {
    await rm(tempPath, { force: true });
  }

  /** The stored file's bytes. Asynchronous, as any other store's (an object store answers over the network). */
  read(storedName: string): Promise<Readable> {
    return Promise.resolve(createReadStream(this.pathOf(storedName)));
  }

  private pathOf(storedName: string): string {
    if (!isStoredName(storedName)) throw new Error("Nom de fichier stocké invalide");
    return path.join(this.dir, storedName);
  }
}

/** Longest name kept, in characters (code points), extension included. */
export const MAX_NAME_LENGTH = 150;

/**
 * Characters that are invisible or change how the rest reads: controls (C0,
 * C1), format characters (bidi embeddings, overrides, isolates and marks,
 * zero-width characters, BOM) and line/paragraph separators. A name with
 * U+202E reads as another extension (« ‮fdp.exe.pdf »): none of them has a
 * place in a file name shown to an agent.
 */
const HIDDEN_OR_REORDERING = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu;

/** A name safe to show and to put in Content-Disposition: no path, no control or bidi characters, at most 150 characters with its extension. */
export function cleanFileName(name: string): string {
  const base = name.split(/[/\\]/).pop() ?? "";
  // Quotes would break the header.
  const cleaned = base.normalize("NFC").replace(HIDDEN_OR_REORDERING, "").replaceAll('"', "").trim();
  const kept = cutKeepingExtension(cleaned, MAX_NAME_LENGTH);
  return kept === "" || kept === "." || kept === ".." ? "document" : kept;
}

/** Cuts by code points (never half an emoji), keeping a short extension such as « .pdf ». */
function cutKeepingExtension(name: string, max: number): string {
  const characters = [...name];
  if (characters.length <= max) return name;
  const dot = name.lastIndexOf(".");
  const extension = dot > 0 ? [...name.slice(dot)] : [];
  if (extension.length === 0 || extension.length > 10) return characters.slice(0, max).join("").trim();
  const stem = [...name.slice(0, dot)];
  return stem.slice(0, max - extension.length).join("") + extension.join("");
}
