/**
 * The applicants' files in a local folder (UPLOADS_DIR, the default), under
 * their random names. For one server, or several sharing a network folder.
 */
import { opendir, open, rename, rm } from "node:fs/promises";
import path from "node:path";
import type { Readable } from "node:stream";
import { DocumentStorage as StoredNames, isStoredName, type Detection, type DocumentStorage } from "./document-storage.js";
import { IncomingFiles, lastWrittenBefore } from "./incoming-files.js";

export class LocalDocumentStorage implements DocumentStorage {
  private readonly incoming: IncomingFiles;

  constructor(
    readonly dir: string,
    incomingDir = path.join(dir, ".incoming"),
  ) {
    this.incoming = new IncomingFiles(incomingDir);
  }

  get incomingDir(): string {
    return this.incoming.dir;
  }

  init(): Promise<void> {
    return this.incoming.init();
  }

  detect(tempPath: string, originalName: string): Promise<Detection> {
    return this.incoming.detect(tempPath, originalName);
  }

  /**
   * Moves a received file to its final place and flushes it to disk, so the
   * file exists before its database row is committed. The temporary folder is
   * inside the uploads folder by default: a rename, not a copy.
   */
  async keep(tempPath: string): Promise<string> {
    const storedName = StoredNames.randomName();
    const handle = await open(tempPath, "r");
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tempPath, this.pathOf(storedName));
    return storedName;
  }

  async read(storedName: string): Promise<Readable> {
    // Opened now, so that a missing file fails here rather than in the middle of the answer.
    const handle = await open(this.pathOf(storedName), "r");
    return handle.createReadStream();
  }

  async remove(storedName: string): Promise<void> {
    await rm(this.pathOf(storedName), { force: true });
  }

  discard(tempPath: string): Promise<void> {
    return this.incoming.discard(tempPath);
  }

  /** The folder is read as a stream, a batch at a time: it holds every applicant's files, far too many names to load at once. */
  async *storedBefore(cutoff: Date, batchSize: number): AsyncIterable<string[]> {
    let batch: string[] = [];
    for await (const entry of await opendir(this.dir)) {
      if (!isStoredName(entry.name) || !(await lastWrittenBefore(path.join(this.dir, entry.name), cutoff))) continue;
      batch.push(entry.name);
      if (batch.length === batchSize) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0) yield batch;
  }

  leftoversBefore(cutoff: Date): AsyncIterable<string> {
    return this.incoming.leftoversBefore(cutoff);
  }

  close(): void {
    // Nothing held open between calls.
  }

  private pathOf(storedName: string): string {
    if (!isStoredName(storedName)) throw new Error("Nom de fichier stocké invalide");
    return path.join(this.dir, storedName);
  }
}
