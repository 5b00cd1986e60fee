/**
 * One throw-away embedded PostgreSQL for the whole benchmark, on a free port
 * in a temporary folder: the portal's database (migrated) and the peer's, on
 * the same server so that both pay the same disk and the same WAL flushes.
 */
import { existsSync } from "node:fs";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { startEmbeddedPostgres } from "../../src/db/embedded-postgres.js";
import { applyMigrations } from "../../src/db/migrate.js";
import { stopOrphanServer } from "../../src/db/orphan-postgres.js";
import { freePort } from "../../tests/support/free-port.js";
import { onCleanup } from "./cleanup.js";

/** Resolves once PostgreSQL has removed its postmaster.pid (it has stopped), or after `ms`. */
async function untilStopped(dataDir: string, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (existsSync(path.join(dataDir, "postmaster.pid")) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export interface BenchCluster {
  /** The temporary folder (the data, the logs, the uploads), removed at the end. */
  dir: string;
  portalUrl: string;
  peerUrl: string;
}

export async function startCluster(): Promise<BenchCluster> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "amethyste-bench-http-"));
  // As root, PostgreSQL runs as the postgres user, which must be able to enter the folder.
  await chmod(dir, 0o755);
  onCleanup("le dossier temporaire", () => rm(dir, { recursive: true, force: true }));

  const dataDir = path.join(dir, "postgres");
  const server = await startEmbeddedPostgres({ dataDir, port: await freePort(), ephemeral: true });
  onCleanup("PostgreSQL", async () => {
    // A Ctrl+C in the terminal also reaches PostgreSQL, which then stops by itself:
    // the library's stop() would wait for an exit that has already happened.
    await Promise.race([server.stop(), untilStopped(dataDir, 15_000)]);
    await stopOrphanServer(dataDir).catch(() => undefined);
  });

  await server.createDatabase("amethyste");
  await server.createDatabase("peer");
  const portalUrl = server.urlFor("amethyste");
  await applyMigrations(portalUrl);
  return { dir, portalUrl, peerUrl: server.urlFor("peer") };
}

/** Runs `work` with a client of this database, closed afterwards. */
export async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
