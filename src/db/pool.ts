/**
 * How the portal talks to PostgreSQL when the database misbehaves.
 *
 * - A pool emits 'error' when the server ends an idle connection (restart,
 *   failover, pg_terminate_backend); without a listener Node ends the
 *   process. Every pool gets one: the broken client is simply dropped and the
 *   next query opens a new connection.
 * - A database that hangs (stopped with SIGSTOP, a network that drops
 *   packets) must not hang every request: connecting and each query give up
 *   after a few seconds, and the person gets the 503 page.
 */
import pg from "pg";
import { logger } from "../logger.js";

export const DATABASE_TIMEOUTS = {
  /** Opening a connection, or waiting for a free one in the pool. */
  connectMs: 3_000,
  /** One query, measured by the client (the only bound when the server hangs). */
  queryMs: 5_000,
  /** One statement, enforced by the server: a runaway query frees its connection. */
  statementMs: 5_000,
} as const;

/** The pg options shared by every pool of the portal (sessions and throttles, Prisma's adapter). */
export function resilientPoolOptions(databaseUrl: string, max: number): pg.PoolConfig {
  return {
    connectionString: databaseUrl,
    max,
    connectionTimeoutMillis: DATABASE_TIMEOUTS.connectMs,
    query_timeout: DATABASE_TIMEOUTS.queryMs,
    statement_timeout: DATABASE_TIMEOUTS.statementMs,
    // A dead peer is noticed even when no query is running.
    keepAlive: true,
  };
}

let lastLoggedAt = 0;
/** At most one line every 10 s: during an outage every connection reports the same thing. */
export function logConnectionLoss(error: Error): void {
  const now = Date.now();
  if (now - lastLoggedAt < 10_000) return;
  lastLoggedAt = now;
  logger.error({ err: error }, "base : connexion à PostgreSQL perdue ; le portail se reconnecte à la prochaine requête");
}

/** The connections each pool opened that are not closed yet, for endPool. */
const openConnections = new WeakMap<pg.Pool, Set<pg.PoolClient>>();
/** Each pool's end, so that two calls wait for the same one. */
const endings = new WeakMap<pg.Pool, Promise<void>>();
/** How long endPool lets the server close a connection before closing the socket itself (a database that hangs). */
const CLOSE_GRACE_MS = 2_000;

/** A pool of the portal: the session store's and the throttles', and the one under Prisma (src/db/prisma.ts). */
export function createPool(databaseUrl: string, max: number): pg.Pool {
  const pool = new pg.Pool(resilientPoolOptions(databaseUrl, max));
  pool.on("error", logConnectionLoss);
  return trackConnections(pool);
}

/** Keeps the list of the pool's open connections, which endPool waits for. */
export function trackConnections(pool: pg.Pool): pg.Pool {
  const open = new Set<pg.PoolClient>();
  openConnections.set(pool, open);
  pool.on("connect", (client) => {
    open.add(client);
    // 'end': the socket is closed (by either side), not merely asked to close.
    client.once("end", () => open.delete(client));
  });
  return pool;
}

export function isTrackedPool(pool: pg.Pool): boolean {
  return openConnections.has(pool);
}

/**
 * Ends a pool (made by createPool, or given to trackConnections) and resolves
 * once every connection it opened is closed. pg-pool's own end() resolves as
 * soon as it has asked its idle connections to close, while their sockets are
 * still open: a database stopped right after (the embedded one, at the
 * portal's stop) terminates them first (57P01), and the pool reports a lost
 * connection at level error. A server that does not close a connection within
 * 2 s (it hangs) has its socket closed by us. Also for a pool already ending
 * (Prisma's $disconnect ends its own): the wait is the same.
 */
export function endPool(pool: pg.Pool): Promise<void> {
  const open = openConnections.get(pool);
  if (!open) return Promise.reject(new TypeError("endPool : ce pool n'est pas suivi (createPool ou trackConnections)"));
  let ending = endings.get(pool);
  if (!ending) {
    ending = closeEveryConnection(pool, open);
    endings.set(pool, ending);
  }
  return ending;
}

async function closeEveryConnection(pool: pg.Pool, open: Set<pg.PoolClient>): Promise<void> {
  if (!pool.ending) await pool.end();
  const closed = [...open].map((client) => new Promise<void>((resolve) => client.once("end", () => resolve())));
  // A pool's connections are pg Clients; destroying the socket makes each emit 'end'.
  const cutHungConnections = setTimeout(() => {
    for (const client of open) (client as unknown as pg.Client).connection.stream.destroy();
  }, CLOSE_GRACE_MS);
  try {
    await Promise.all(closed);
  } finally {
    clearTimeout(cutHungConnections);
  }
}
