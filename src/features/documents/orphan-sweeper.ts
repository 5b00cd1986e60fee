/**
 * Removes the stored files that no document row names.
 *
 * An upload stores its file before its row is committed, and a removal
 * deletes the row before the file: so a process that dies in between leaves
 * a file without a row, never a row without a file. Such a file is nobody's
 * document any more (no route can reach it), but it still holds personal
 * data: it must not stay in the store. The same goes for multer's temporary
 * copies in uploads/.incoming.
 *
 * A file is only swept once it is older than the grace period, so that an
 * upload still between its store and its commit is never touched.
 *
 * With several servers, the store (a bucket) is swept by one at a time, under
 * a PostgreSQL advisory lock; the temporary copies are each server's own, and
 * each sweeps its own.
 */
import type pg from "pg";
import type { Database } from "../../db/prisma.js";
import type { Clock } from "../../lib/clock.js";
import { runExclusively } from "../../lib/exclusive-job.js";
import { startPeriodicJob, type PeriodicJob } from "../../lib/periodic-job.js";
import { logger } from "../../logger.js";
import type { DocumentStorage } from "./document-storage.js";

export const ORPHAN_GRACE_MS = 60 * 60 * 1000;
/** The name of the advisory lock held while the store is swept. */
export const ORPHAN_SWEEPER_JOB = "orphan-sweeper";
/** How many names are checked against the database in one query (and held in memory at once). */
const BATCH = 500;

export interface SweepResult {
  /** Stored files without a row, removed. */
  orphans: number;
  /** Temporary copies of uploads that never finished, removed. */
  leftovers: number;
}

/** Removes the stored files older than the grace period that no document names. Returns how many. */
export async function sweepStoredOrphans(db: Database, storage: DocumentStorage, clock: Clock, graceMs = ORPHAN_GRACE_MS): Promise<number> {
  const cutoff = new Date(clock.now().getTime() - graceMs);
  let orphans = 0;
  for await (const batch of storage.storedBefore(cutoff, BATCH)) {
    const rows = await db.requestDocument.findMany({ where: { storedName: { in: batch } }, select: { storedName: true } });
    const known = new Set(rows.map((row) => row.storedName));
    for (const name of batch.filter((candidate) => !known.has(candidate))) {
      await storage.remove(name);
      orphans += 1;
    }
  }
  return orphans;
}

/** Removes this server's temporary copies older than the grace period. Returns how many. */
export async function sweepLeftovers(storage: DocumentStorage, clock: Clock, graceMs = ORPHAN_GRACE_MS): Promise<number> {
  const cutoff = new Date(clock.now().getTime() - graceMs);
  let leftovers = 0;
  for await (const file of storage.leftoversBefore(cutoff)) {
    await storage.discard(file);
    leftovers += 1;
  }
  return leftovers;
}

/** Sweeps the store and the temporary copies now, whatever the other servers do (tests, one-off runs). */
export async function sweepOrphanUploads(db: Database, storage: DocumentStorage, clock: Clock, graceMs = ORPHAN_GRACE_MS): Promise<SweepResult> {
  const orphans = await sweepStoredOrphans(db, storage, clock, graceMs);
  return { orphans, leftovers: await sweepLeftovers(storage, clock, graceMs) };
}

/**
 * The server's hourly sweep: its own temporary copies, then the store unless
 * another server is sweeping it (`orphans` is then null: that server counts them).
 */
export async function sweepAsOneOfSeveral(
  pool: pg.Pool,
  db: Database,
  storage: DocumentStorage,
  clock: Clock,
  graceMs = ORPHAN_GRACE_MS,
): Promise<{ orphans: number | null; leftovers: number }> {
  const leftovers = await sweepLeftovers(storage, clock, graceMs);
  const stored = await runExclusively(pool, ORPHAN_SWEEPER_JOB, () => sweepStoredOrphans(db, storage, clock, graceMs));
  return { orphans: stored.ran ? stored.result : null, leftovers };
}

/** Sweeps now, then every hour, until stopped. Counts only are logged: file names are not personal, but they say nothing useful either. */
export function startOrphanSweeper(pool: pg.Pool, db: Database, storage: DocumentStorage, clock: Clock): PeriodicJob {
  return startPeriodicJob({
    intervalMs: ORPHAN_GRACE_MS,
    round: async () => {
      const { orphans, leftovers } = await sweepAsOneOfSeveral(pool, db, storage, clock);
      if ((orphans ?? 0) + leftovers > 0) logger.info({ orphans, leftovers }, "justificatifs : fichiers sans demande et envois interrompus supprimés");
    },
    onError: (error) => logger.error({ err: error }, "justificatifs : le ménage des fichiers a échoué"),
  });
}
