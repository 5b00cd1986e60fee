/**
 * The portal's database for a command-line script: DATABASE_URL, or the
 * embedded PostgreSQL of `npm start` — the running portal's when it is up
 * (never a second server on the same files), else started for the script and
 * stopped after it. Migrations are applied first; the client is closed after.
 */
import path from "node:path";
import type { AppConfig } from "../src/config.js";
import { embeddedDatabaseUrl, embeddedPostgresIsRunning, startEmbeddedPostgres, type EmbeddedDatabaseServer } from "../src/db/embedded-postgres.js";
import { applyMigrations } from "../src/db/migrate.js";
import { closeDatabase, createDatabase, type Database } from "../src/db/prisma.js";

export async function withPortalDatabase<T>(
  config: Pick<AppConfig, "databaseUrl" | "dataDir" | "embeddedPgPort">,
  work: (db: Database) => Promise<T>,
): Promise<T> {
  let embedded: EmbeddedDatabaseServer | undefined;
  let databaseUrl = config.databaseUrl;
  if (!databaseUrl && (await embeddedPostgresIsRunning(config.embeddedPgPort))) {
    databaseUrl = embeddedDatabaseUrl(config.embeddedPgPort, "amethyste");
  } else if (!databaseUrl) {
    embedded = await startEmbeddedPostgres({ dataDir: path.join(config.dataDir, "postgres"), port: config.embeddedPgPort });
    await embedded.createDatabase("amethyste");
    databaseUrl = embedded.urlFor("amethyste");
  }
  try {
    await applyMigrations(databaseUrl);
    const db = createDatabase(databaseUrl);
    try {
      return await work(db);
    } finally {
      // Its connections closed before the embedded database, if started here, stops.
      await closeDatabase(db);
    }
  } finally {
    await embedded?.stop();
  }
}
