/**
 * Background work that must run on one server at a time (the orphan-file
 * sweeper, the retention job, the renewal reminders) when several portal
 * processes share one database.
 *
 * A session-level PostgreSQL advisory lock, held on one pooled connection for
 * the length of the work: the other processes' attempts return at once
 * (`pg_try_advisory_lock`) and skip this round. If the process holding it dies,
 * its connection closes and PostgreSQL releases the lock by itself: no lease
 * to expire, no row to clean up.
 */
import type pg from "pg";

/** The first half of every lock key, so that the portal's locks never meet another application's in a shared database. */
const PORTAL_LOCK_NAMESPACE = 0x414d45; // "AME"

export type ExclusiveRun<T> = { ran: true; result: T } | { ran: false };

/** Runs `work` unless another process (or this one) is already running the job of that name; then does nothing. */
export async function runExclusively<T>(pool: pg.Pool, jobName: string, work: () => Promise<T>): Promise<ExclusiveRun<T>> {
  const client = await pool.connect();
  let failure: Error | undefined;
  // A checked-out client whose connection the server ends (restart, failover, pg_terminate_backend)
  // emits 'error': the pool only listens on idle clients, and without this listener the process would exit.
  const onConnectionLost = (error: Error) => {
    failure = error;
  };
  client.on("error", onConnectionLost);
  try {
    const { rows } = await client.query<{ locked: boolean }>("SELECT pg_try_advisory_lock($1, hashtext($2)) AS locked", [PORTAL_LOCK_NAMESPACE, jobName]);
    if (!rows[0]?.locked) return { ran: false };
    try {
      return { ran: true, result: await work() };
    } finally {
      await client.query("SELECT pg_advisory_unlock($1, hashtext($2))", [PORTAL_LOCK_NAMESPACE, jobName]).catch((error: unknown) => {
        failure = error instanceof Error ? error : new Error(String(error));
      });
    }
  } catch (error) {
    failure = error instanceof Error ? error : new Error(String(error));
    throw error;
  } finally {
    // A connection that failed may still hold the lock: it is destroyed, never handed to the next query.
    client.off("error", onConnectionLost);
    client.release(failure);
  }
}
