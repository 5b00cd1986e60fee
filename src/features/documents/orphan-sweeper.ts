/**
 * Removes the files in uploads/ that no document row names.
 *
 * An upload moves its file into place before its row is committed, and a
 * removal deletes the row before the file: so a process that dies in between
 * leaves a file without a row, never a row without a file. Such a file is
 * nobody's document any more (no route can reach it), but it still holds
 * personal data: it must not stay on disk. The same goes for multer's
 * temporary copies in uploads/.incoming.
 *
 * A file is only swept once it is older than the grace period, so that an
 * upload still between its move and its commit is never touched.
 */
import { readdir, rm, stat } from "node:fs/promises";
import path from "node:path";
import type { Database } from "../../db/prisma.js";
import type { Clock } from "../../lib/clock.js";
import type { DocumentStorage } from "./document-storage.js";

export const ORPHAN_GRACE_MS = 60 * 60 * 1000;
const STORED_NAME = /^[0-9a-f]{48}$/;
/** How many names are checked against the database in one query. */
const BATCH = 500;

export interface SweepResult {
  /** Stored files without a row, removed. */
  orphans: number;
  /** Temporary copies of uploads that never finished, removed. */
  leftovers: number;
}

export async function sweepOrphanUploads(db: Database, storage: DocumentStorage, clock: Clock, graceMs = ORPHAN_GRACE_MS): Promise<SweepResult> {
  const cutoff = clock.now().getTime() - graceMs;
  const oldEnough = async (file: string) => {
    const info = await stat(file).catch(() => undefined);
    return info !== undefined && info.isFile() && info.mtimeMs < cutoff;
  };

  const candidates: string[] = [];
  for (const name of await readdir(storage.dir)) {
    if (STORED_NAME.test(name) && (await oldEnough(path.join(storage.dir, name)))) candidates.push(name);
  }
  let orphans = 0;
  for (let start = 0; start < candidates.length; start += BATCH) {
    const batch = candidates.slice(start, start + BATCH);
    const rows = await db.requestDocument.findMany({ where: { storedName: { in: batch } }, select: { storedName: true } });
    const known = new Set(rows.map((row) => row.storedName));
    for (const name of batch.filter((candidate) => !known.has(candidate))) {
      await storage.remove(name);
      orphans += 1;
    }
  }

  let leftovers = 0;
  for (const name of await readdir(storage.incomingDir)) {
    const file = path.join(storage.incomingDir, name);
    if (await oldEnough(file)) {
      await rm(file, { force: true });
      leftovers += 1;
    }
  }
  return { orphans, leftovers };
}

/** Sweeps now, then every hour, until stopped. Counts only are logged: file names are not personal, but they say nothing useful either. */
export function startOrphanSweeper(db: Database, storage: DocumentStorage, clock: Clock): { stop: () => void } {
  const sweep = () =>
    sweepOrphanUploads(db, storage, clock)
      .then(({ orphans, leftovers }) => {
        if (orphans + leftovers > 0) console.log(`[justificatifs] ${orphans} fichier(s) sans demande et ${leftovers} envoi(s) interrompu(s) supprimés`);
      })
      .catch((error: unknown) => console.error("[justificatifs] le ménage des fichiers a échoué:", (error as Error).message));
  void sweep();
  const timer = setInterval(sweep, ORPHAN_GRACE_MS);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
