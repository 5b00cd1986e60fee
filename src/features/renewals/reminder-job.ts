/**
 * The daily run of the renewal reminders, on one server at a time (a
 * PostgreSQL advisory lock: the others skip that round). A run that finds
 * nothing new sends nothing, so a restart or a second server costs one query.
 */
import type pg from "pg";
import type { AppContext } from "../../context.js";
import { runExclusively } from "../../lib/exclusive-job.js";
import { startPeriodicJob, type PeriodicJob } from "../../lib/periodic-job.js";
import { logger } from "../../logger.js";
import { sendRenewalReminders } from "./renewal-reminders.js";

export const RENEWAL_REMINDERS_JOB = "renewal-reminders";
const DAY_MS = 24 * 60 * 60 * 1000;

/** One round: the reminders due today, unless another server is sending them (then null). */
export async function runRenewalReminders(pool: pg.Pool, ctx: Pick<AppContext, "db" | "publicUrl" | "clock">): Promise<number | null> {
  const run = await runExclusively(pool, RENEWAL_REMINDERS_JOB, () => sendRenewalReminders(ctx, ctx.clock.now()));
  return run.ran ? run.result : null;
}

/** Runs now, then once a day, until stopped. Only the count is logged. */
export function startRenewalReminders(pool: pg.Pool, ctx: Pick<AppContext, "db" | "publicUrl" | "clock">): PeriodicJob {
  return startPeriodicJob({
    intervalMs: DAY_MS,
    round: async () => {
      const sent = await runRenewalReminders(pool, ctx);
      if (sent) logger.info({ sent }, "renouvellements : rappels envoyés");
    },
    onError: (error) => logger.error({ err: error }, "renouvellements : l'envoi des rappels a échoué"),
  });
}
