/**
 * A migrated database for the benchmark scripts, in a temporary folder: on a
 * throw-away embedded PostgreSQL, or on the server of BENCH_DATABASE_URL.
 */
import { chmod, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { startEmbeddedPostgres } from "../src/db/embedded-postgres.js";
import { applyMigrations } from "../src/db/migrate.js";

export interface BenchDatabase {
  /** The temporary folder, removed by close() with the database. */
  dir: string;
  databaseUrl: string;
  close: () => Promise<void>;
}

export async function createBenchDatabase(): Promise<BenchDatabase> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "amethyste-bench-"));
  // The embedded server runs as the postgres user, which must reach its data folder.
  await chmod(dir, 0o755);
  let adminUrl: string;
  let stopServer = (): Promise<void> => Promise.resolve();
  if (process.env.BENCH_DATABASE_URL) {
    adminUrl = process.env.BENCH_DATABASE_URL;
  } else {
    const server = await startEmbeddedPostgres({ dataDir: path.join(dir, "data"), port: 56000 + Math.floor(Math.random() * 1000), ephemeral: true });
    adminUrl = server.urlFor("postgres");
    stopServer = () => server.stop();
  }
  const databaseName = `amethyste_bench_${Date.now()}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${databaseName}"`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${databaseName}`;
  const databaseUrl = url.toString();
  await applyMigrations(databaseUrl);
  return {
    dir,
    databaseUrl,
    close: async () => {
      const cleanup = new pg.Client({ connectionString: adminUrl });
      await cleanup.connect();
      await cleanup.query(`DROP DATABASE IF EXISTS "${databaseName}" WITH (FORCE)`);
      await cleanup.end();
      await stopServer();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
