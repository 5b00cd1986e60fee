/**
 * The daily run of the retention rules in the server. Several portal
 * processes may share the database: each round runs on one of them only
 * (runExclusively, a PostgreSQL advisory lock); the others skip it.
 */
import type pg from "pg";
import { runExclusively } from "../../lib/exclusive-job.js";
import { logger } from "../../logger.js";
import type { RetentionService } from "./retention-service.js";

export const RETENTION_INTERVAL_MS = 24 * 60 * 60 * 1000;
/** The first round waits until the start's own work is done. */
const FIRST_ROUND_DELAY_MS = 5 * 60 * 1000;

export function startRetentionJob(pool: pg.Pool, retention: RetentionService): { stop: () => void } {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const round = async () => {
    try {
      const run = await runExclusively(pool, "retention", () => retention.apply());
      if (!run.ran) logger.info("conservation des données : un autre serveur fait ce passage");
    } catch (error) {
      logger.error({ err: error }, "conservation des données : le passage a échoué, il sera refait demain");
    }
    if (!stopped) timer = setTimeout(() => void round(), RETENTION_INTERVAL_MS).unref();
  };
  timer = setTimeout(() => void round(), FIRST_ROUND_DELAY_MS).unref();
  return {
    stop: () => {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
