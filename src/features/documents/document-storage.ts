/**
 * Where the applicants' files are kept: the interface every store implements
 * (a local folder, local-storage.ts; an S3-compatible bucket, s3-storage.ts),
 * and the rules about files that do not depend on the store. No static route
 * serves a stored file: only authorized routes stream them.
 */
import { randomBytes } from "node:crypto";
import type { Readable } from "node:stream";
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

/**
 * The store cannot be reached or refuses to work right now (an object store
 * down, unreachable, timing out, or misconfigured): not the person's fault,
 * and it comes back. Uploads answer STORAGE_UNAVAILABLE_MESSAGE at the field,
 * downloads the 503 page.
 */
export class StorageUnavailable extends Error {
  constructor(operation: string, options?: { cause?: unknown }) {
    super(`stockage des justificatifs indisponible (${operation})`, options);
    this.name = "StorageUnavailable";
  }
}

export const STORAGE_UNAVAILABLE_MESSAGE = "Le fichier n'a pas pu être enregistré, réessayez dans quelques minutes.";

/**
 * The applicants' files. Multer always writes its temporary copy to a local
 * folder (`incomingDir`, one per server), where its type is detected; keep()
 * then moves it into the store under a random name, which the document row
 * records. Every method but detect and discard may reach the network.
 */
export interface DocumentStorage {
  /** The local folder where multer writes the temporary copies of uploads. */
  readonly incomingDir: string;
  /** Creates the local folders (and checks the store answers, where it is remote). */
  init(): Promise<void>;
  /** The type decided from the temporary copy's content, never its name or the browser's claim. */
  detect(tempPath: string, originalName: string): Promise<Detection>;
  /**
   * Stores the temporary copy durably and removes it; returns its stored
   * name. Done before the document row is committed, so a row never names a
   * missing file. Throws StorageUnavailable when the store cannot take it
   * (the temporary copy is then left for the caller to discard).
   */
  keep(tempPath: string): Promise<string>;
  /** The stored file's bytes; rejects (before any byte) when the store cannot give them. */
  read(storedName: string): Promise<Readable>;
  /** Removes a stored file; nothing happens when there is none. */
  remove(storedName: string): Promise<void>;
  /** Removes a temporary copy that will not be kept. */
  discard(tempPath: string): Promise<void>;
  /** The stored names last written before `cutoff`, at most `batchSize` at a time (the orphan sweeper's source). */
  storedBefore(cutoff: Date, batchSize: number): AsyncIterable<string[]>;
  /** The temporary copies of this server last written before `cutoff` (uploads that never finished). */
  leftoversBefore(cutoff: Date): AsyncIterable<string>;
  /** Lets go of the store's connections (the process is stopping). */
  close(): void;
}

/** The random names under which files are stored, and multer's temporary names: 24 random bytes in hex. */
export const DocumentStorage = {
  randomName(): string {
    return randomBytes(24).toString("hex");
  },
};

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
