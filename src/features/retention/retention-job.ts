/**
 * The daily run of the retention rules in the server. Several portal
 * processes may share the database: each round runs on one of them only
 * (runExclusively, a PostgreSQL advisory lock); the others skip it.
 */
import type pg from "pg";
import { runExclusively } from "../../lib/exclusive-job.js";
import { startPeriodicJob, type PeriodicJob } from "../../lib/periodic-job.js";
import { logger } from "../../logger.js";
import type { RetentionService } from "./retention-service.js";

export const RETENTION_INTERVAL_MS = 24 * 60 * 60 * 1000;
/** The first round waits until the start's own work is done. */
const FIRST_ROUND_DELAY_MS = 5 * 60 * 1000;

export function startRetentionJob(pool: pg.Pool, retention: RetentionService): PeriodicJob {
  return startPeriodicJob({
    intervalMs: RETENTION_INTERVAL_MS,
    firstDelayMs: FIRST_ROUND_DELAY_MS,
    round: async () => {
      const run = await runExclusively(pool, "retention", () => retention.apply());
      if (!run.ran) logger.info("conservation des données : un autre serveur fait ce passage");
    },
    onError: (error) => logger.error({ err: error }, "conservation des données : le passage a échoué, il sera refait demain"),
  });
}
