/**
 * The applicants' files on disk, under random names in the uploads folder,
 * which no static route serves. Only authorized routes stream them.
 */
import { randomBytes } from "node:crypto";
import { createReadStream } from "node:fs";
import { mkdir, open, rename, rm, stat } from "node:fs/promises";
import path from "node:path";
import { fileTypeFromFile } from "file-type";

/** What the portal accepts, decided from the file's content, never its name or the browser's claim. */
export const ACCEPTED_TYPES: Record<string, { mime: string; label: string }> = {
  pdf: { mime: "application/pdf", label: "PDF" },
  jpg: { mime: "image/jpeg", label: "JPEG" },
  png: { mime: "image/png", label: "PNG" },
  docx: { mime: "application/vnd.openxmlformats-officedocument.wordprocessingml.document", label: "Word (DOCX)" },
  odt: { mime: "application/vnd.oasis.opendocument.text", label: "OpenDocument (ODT)" },
};
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
      return { ok: false, message: `Le fichier « ${originalName} » n'est pas d'un type accepté. Formats acceptés : PDF, JPEG, PNG, Word (DOCX) ou OpenDocument (ODT).` };
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

  stream(storedName: string) {
    return createReadStream(this.pathOf(storedName));
  }

  private pathOf(storedName: string): string {
    if (!isStoredName(storedName)) throw new Error("Nom de fichier stocké invalide");
    return path.join(this.dir, storedName);
  }
}

/** A name safe to show and to put in Content-Disposition: no path, no control characters. */
export function cleanFileName(name: string): string {
  const base = name.split(/[/\\]/).pop() ?? "";
  // Control characters (below U+0020, and DEL) and quotes would break the header.
  const cleaned = [...base].filter((character) => character.charCodeAt(0) >= 0x20 && character !== "\u007f" && character !== '"').join("").trim().slice(0, 150);
  return cleaned === "" || cleaned === "." || cleaned === ".." ? "document" : cleaned;
}
