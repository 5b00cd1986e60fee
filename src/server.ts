/**
 * Starts the portal: configuration, the database (embedded PostgreSQL when
 * DATABASE_URL is unset), migrations, the mail worker, then HTTP. The only
 * file that calls listen(); it stops everything cleanly on SIGINT/SIGTERM.
 */
import path from "node:path";
import { createApp } from "./app.js";
import { ConfigError, parseConfig } from "./config.js";
import { startEmbeddedPostgres, type EmbeddedDatabaseServer } from "./db/embedded-postgres.js";
import { applyMigrations } from "./db/migrate.js";
import { createPool } from "./db/pool.js";
import { createDatabase } from "./db/prisma.js";
import { DocumentStorage } from "./features/documents/document-storage.js";
import { startOrphanSweeper } from "./features/documents/orphan-sweeper.js";
import { systemClock } from "./lib/clock.js";
import { loadOrCreateDevSecret } from "./lib/dev-secrets.js";
import { developmentMailboxSender, MailDelivery, smtpSender } from "./mail/outbox.js";

async function main(): Promise<void> {
  const config = parseConfig(process.env);

  let embedded: EmbeddedDatabaseServer | undefined;
  let databaseUrl = config.databaseUrl;
  if (!databaseUrl) {
    console.log("Démarrage de la base PostgreSQL embarquée…");
    embedded = await startEmbeddedPostgres({ dataDir: path.join(config.dataDir, "postgres"), port: config.embeddedPgPort });
    await embedded.createDatabase("amethyste");
    databaseUrl = embedded.urlFor("amethyste");
  }
  await applyMigrations(databaseUrl);

  const db = createDatabase(databaseUrl);
  const pool = createPool(databaseUrl, 5);
  const sessionSecret = config.sessionSecret ?? loadOrCreateDevSecret(config.dataDir, "session-secret");
  const ibanEncryptionKey = config.ibanEncryptionKey ?? loadOrCreateDevSecret(config.dataDir, "iban-key", "base64");
  const storage = new DocumentStorage(path.resolve(config.uploadsDir));
  await storage.init();
  const sweeper = startOrphanSweeper(db, storage, systemClock);
  const delivery = new MailDelivery(
    db,
    config.smtpUrl ? smtpSender(config.smtpUrl) : developmentMailboxSender,
    config.mailFrom,
    systemClock,
  );
  delivery.start();

  const app = createApp({ config: { ...config, sessionSecret, ibanEncryptionKey }, db, pool, clock: systemClock, storage });
  const server = app.listen(config.port, () => {
    console.log(`Portail Améthyste prêt sur ${config.publicUrl} (port ${config.port})`);
    if (!config.smtpUrl) console.log(`Les e-mails arrivent dans la boîte de développement: ${config.publicUrl}/dev/mails`);
  });

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal} reçu, arrêt en cours…`);
    server.close();
    sweeper.stop();
    await delivery.stop();
    await pool.end();
    await db.$disconnect();
    await embedded?.stop();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGHUP", () => void stop("SIGHUP"));
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
