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
import { opendir, stat } from "node:fs/promises";
import path from "node:path";
import type { Database } from "../../db/prisma.js";
import type { Clock } from "../../lib/clock.js";
import { logger } from "../../logger.js";
import { isStoredName, type DocumentStorage } from "./document-storage.js";

export const ORPHAN_GRACE_MS = 60 * 60 * 1000;
/** How many names are checked against the database in one query (and held in memory at once). */
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

  // The folder is read as a stream, a batch at a time: it holds every
  // applicant's files, far too many names to load at once.
  let orphans = 0;
  const removeOrphans = async (batch: string[]) => {
    const rows = await db.requestDocument.findMany({ where: { storedName: { in: batch } }, select: { storedName: true } });
    const known = new Set(rows.map((row) => row.storedName));
    for (const name of batch.filter((candidate) => !known.has(candidate))) {
      await storage.remove(name);
      orphans += 1;
    }
  };
  let batch: string[] = [];
  for await (const entry of await opendir(storage.dir)) {
    if (!isStoredName(entry.name) || !(await oldEnough(path.join(storage.dir, entry.name)))) continue;
    batch.push(entry.name);
    if (batch.length === BATCH) {
      await removeOrphans(batch);
      batch = [];
    }
  }
  if (batch.length > 0) await removeOrphans(batch);

  let leftovers = 0;
  for await (const entry of await opendir(storage.incomingDir)) {
    const file = path.join(storage.incomingDir, entry.name);
    if (await oldEnough(file)) {
      await storage.discard(file);
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
        if (orphans + leftovers > 0) logger.info({ orphans, leftovers }, "justificatifs : fichiers sans demande et envois interrompus supprimés");
      })
      .catch((error: unknown) => logger.error({ err: error }, "justificatifs : le ménage des fichiers a échoué"));
  void sweep();
  const timer = setInterval(() => void sweep(), ORPHAN_GRACE_MS);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
