/**
 * The temporary copies of uploads: multer writes them to a private local
 * folder (uploads/.incoming by default), where their type is detected from
 * their content. Whatever the store, these copies stay on the server that
 * received them; each server sweeps its own.
 */
import { mkdir, opendir, rm, stat } from "node:fs/promises";
import path from "node:path";
import { fileTypeFromFile } from "file-type";
import { ACCEPTED_FORMATS, ACCEPTED_TYPES, type Detection } from "./document-storage.js";

export class IncomingFiles {
  constructor(readonly dir: string) {}

  async init(): Promise<void> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
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

  async discard(tempPath: string): Promise<void> {
    await rm(tempPath, { force: true });
  }

  async *leftoversBefore(cutoff: Date): AsyncIterable<string> {
    for await (const entry of await opendir(this.dir)) {
      const file = path.join(this.dir, entry.name);
      if (await lastWrittenBefore(file, cutoff)) yield file;
    }
  }
}

/** A regular file last written before `cutoff` (false when it is gone meanwhile). */
export async function lastWrittenBefore(file: string, cutoff: Date): Promise<boolean> {
  const info = await stat(file).catch(() => undefined);
  return info !== undefined && info.isFile() && info.mtimeMs < cutoff.getTime();
}
