import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "../generated/prisma/client.js";
import { logConnectionLoss, resilientPoolOptions } from "./pool.js";

export type Database = PrismaClient;

/**
 * The runtime client: the query compiler with the pg driver adapter (no engine
 * binary). The adapter creates its own pg.Pool with the same timeouts as the
 * session pool; it already listens to the pool's 'error' (and to a
 * transaction's connection), and reports them here.
 */
export function createDatabase(databaseUrl: string): Database {
  const adapter = new PrismaPg(resilientPoolOptions(databaseUrl, 10), {
    onPoolError: logConnectionLoss,
    onConnectionError: logConnectionLoss,
  });
  return new PrismaClient({ adapter });
}
