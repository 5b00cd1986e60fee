import { PrismaPg } from "@prisma/adapter-pg";
import type pg from "pg";
import { PrismaClient } from "../generated/prisma/client.js";
import { createPool, endPool, isTrackedPool, logConnectionLoss } from "./pool.js";

export type Database = PrismaClient;

type SqlDriverAdapter = Awaited<ReturnType<PrismaPg["connect"]>>;
type AdapterTransaction = Awaited<ReturnType<SqlDriverAdapter["startTransaction"]>>;
/** What adapter-pg's transaction holds: its pooled connection, and the removal of its 'error' listener. */
type PgTransactionInternals = { client: pg.PoolClient; cleanup?: () => void };

/**
 * When the database hangs or goes away during an interactive transaction,
 * Prisma's ROLLBACK fails too; adapter-pg then never gives the connection
 * back (the pool slowly runs dry, and ending it waits for ever), and when
 * the rollback came from Prisma's transaction timer nothing catches the
 * error: an unhandled rejection ends the process. Here a failed ROLLBACK
 * destroys its connection (the server rolls back a transaction whose
 * connection is gone) and counts as done; a failed COMMIT destroys its
 * connection too, and still fails.
 */
function releaseBrokenRollbacks(transaction: AdapterTransaction): AdapterTransaction {
  const internals = transaction as unknown as PgTransactionInternals;
  let destroyed = false;
  const executeRaw = transaction.executeRaw.bind(transaction);
  const rollback = transaction.rollback.bind(transaction);
  transaction.executeRaw = async (query) => {
    try {
      return await executeRaw(query);
    } catch (error) {
      const statement = query.sql.trim().toUpperCase();
      if (statement !== "ROLLBACK" && statement !== "COMMIT") throw error;
      logConnectionLoss(error as Error);
      internals.cleanup?.();
      internals.client.release(error instanceof Error ? error : true);
      destroyed = true;
      // A failed COMMIT's outcome is unknown: the caller must hear of it.
      if (statement === "COMMIT") throw error;
      return 0;
    }
  };
  transaction.rollback = async () => {
    if (!destroyed) await rollback();
  };
  return transaction;
}

class ResilientPrismaPg extends PrismaPg {
  override async connect(): Promise<SqlDriverAdapter> {
    const adapter = await super.connect();
    const startTransaction = adapter.startTransaction.bind(adapter);
    adapter.startTransaction = async (isolationLevel) => releaseBrokenRollbacks(await startTransaction(isolationLevel));
    return adapter;
  }
}

/** The pool under each client, for closeDatabase. */
const poolOfDatabase = new WeakMap<Database, pg.Pool>();

/**
 * The runtime client: the query compiler with the pg driver adapter (no engine
 * binary), on a pool of the portal (createPool: the session pool's timeouts
 * and its 'error' listener), a new one of 10 connections unless one is given.
 * The client owns that pool: $disconnect ends it. A query after $disconnect
 * makes the adapter open a new pool of the same options, which nothing else
 * listens to: hence onPoolError too (logConnectionLoss logs one line per 10 s).
 */
export function createDatabase(source: string | pg.Pool): Database {
  const pool = typeof source === "string" ? createPool(source, 10) : source;
  if (!isTrackedPool(pool)) throw new TypeError("createDatabase : le pool doit venir de createPool");
  const adapter = new ResilientPrismaPg(pool, { onPoolError: logConnectionLoss, onConnectionError: logConnectionLoss, disposeExternalPool: true });
  const db = new PrismaClient({ adapter });
  poolOfDatabase.set(db, pool);
  return db;
}

/**
 * $disconnect, then the wait for the client's connections to be closed
 * (endPool): what must come before the database is stopped.
 */
export async function closeDatabase(db: Database): Promise<void> {
  try {
    await db.$disconnect();
  } finally {
    const pool = poolOfDatabase.get(db);
    if (pool) await endPool(pool);
  }
}

/** The client of an interactive transaction: what `db.$transaction(async (tx) => …)` hands over. */
export type Transaction = Parameters<Parameters<Database["$transaction"]>[0]>[0];

/** Either the client or a transaction's: for a query that may run inside someone else's transaction. */
export type Queryable = Database | Transaction;
