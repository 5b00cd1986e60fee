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
import { createPool, endPool, logConnectionLoss } from "./db/pool.js";
import { isDatabaseUnavailable } from "./db/unavailable.js";
import { closeDatabase, createDatabase } from "./db/prisma.js";
import { storageFromConfig } from "./features/documents/storage-from-config.js";
import { startOrphanSweeper } from "./features/documents/orphan-sweeper.js";
import { startRenewalReminders } from "./features/renewals/reminder-job.js";
import { antivirusFor } from "./features/documents/antivirus.js";
import { startAccountRequestSweeper } from "./features/account/account-requests.js";
import { RetentionService } from "./features/retention/retention-service.js";
import { startRetentionJob } from "./features/retention/retention-job.js";
import { systemClock } from "./lib/clock.js";
import { StartupError } from "./lib/startup-error.js";
import { loadOrCreateDevSecret } from "./lib/dev-secrets.js";
import { AfterResponse } from "./lib/after-response.js";
import { drainHttp } from "./lib/http-drain.js";
import { runOnce, type Shutdown } from "./lib/shutdown.js";
import { logger } from "./logger.js";
import { developmentMailboxSender, MailDelivery, smtpSender } from "./mail/outbox.js";

/** How long a stop lets the answers being written finish (a slow upload is cut after it). */
const HTTP_GRACE_MS = 5_000;
/** How long a whole stop may take before the database is stopped anyway. */
const STOP_BOUND_MS = 10_000;

/** Set once the portal runs; until then a failure ends the start itself (main's catch). */
let shutdown: Shutdown | undefined;

/**
 * A last net under the database libraries' own timers (Prisma's transaction
 * timeout, pool housekeeping): a rejection they leave behind because the
 * database is unreachable must not end the portal. Any other unhandled
 * rejection is a bug whose state we cannot trust: it is logged, then the
 * portal stops cleanly (mails being sent recorded, the database stopped).
 */
process.on("unhandledRejection", (reason) => {
  if (isDatabaseUnavailable(reason)) {
    logConnectionLoss(reason as Error);
    return;
  }
  logger.fatal({ err: reason }, "promesse rejetée sans traitement : arrêt du portail");
  if (shutdown) void shutdown("unhandledRejection", 1);
  else process.exit(1);
});

async function main(): Promise<void> {
  const config = parseConfig(process.env);
  logger.level = config.logLevel;
  // Before anything starts: in production, no CLAMAV_URL means no start (StartupError).
  const antivirus = antivirusFor(config, logger);
  // The portal speaks plain HTTP: with an https:// address, a proxy terminates TLS and must be trusted, or no session cookie is ever set.
  if (config.secureCookies && !config.trustProxy)
    logger.warn("PUBLIC_URL est en https:// sans TRUST_PROXY=true : aucune connexion ne tiendra derrière le proxy TLS");

  let embedded: EmbeddedDatabaseServer | undefined;
  let databaseUrl = config.databaseUrl;
  if (!databaseUrl) {
    logger.info("Démarrage de la base PostgreSQL embarquée…");
    embedded = await startEmbeddedPostgres({ dataDir: path.join(config.dataDir, "postgres"), port: config.embeddedPgPort });
    await embedded.createDatabase("amethyste");
    databaseUrl = embedded.urlFor("amethyste");
  }
  // A start that fails from here on must not leave the embedded server running behind it.
  const stopEmbedded = () => embedded?.stop().catch((error: unknown) => logger.error({ err: error }, "la base embarquée ne s'est pas arrêtée"));
  const stopEmbeddedAndThrow = async (error: unknown): Promise<never> => {
    await stopEmbedded();
    throw error;
  };
  await applyMigrations(databaseUrl).catch(async (error: unknown) => {
    await stopEmbedded();
    throw new StartupError(
      `Les migrations de la base n'ont pas pu être appliquées (${firstLine(error)}). ` +
        (config.databaseUrl
          ? "Vérifiez que le serveur de DATABASE_URL est joignable et que son utilisateur peut modifier la base."
          : "Relancez npm start ; si l'erreur revient, transmettez ce message à l'équipe technique (les données de DATA_DIR sont intactes)."),
    );
  });

  const db = createDatabase(databaseUrl);
  const pool = createPool(databaseUrl, 5);
  const sessionSecret = config.sessionSecret ?? loadOrCreateDevSecret(config.dataDir, "session-secret");
  const ibanEncryptionKey = config.ibanEncryptionKey ?? loadOrCreateDevSecret(config.dataDir, "iban-key", "base64");
  const storage = storageFromConfig(config);
  await storage.init().catch(stopEmbeddedAndThrow);
  const sweeper = startOrphanSweeper(pool, db, storage, systemClock);
  // Registrations and resets acknowledged just before a crash or an outage are done now, then every 30 s.
  const accountRequests = startAccountRequestSweeper({ db, clock: systemClock, publicUrl: config.publicUrl }, (error) =>
    logger.error({ err: error }, "demandes de compte en attente : échec du traitement"),
  );
  // 60 and 15 days before « Droit valable au », once a day, one server at a time.
  const renewalReminders = startRenewalReminders(pool, { db, clock: systemClock, publicUrl: config.publicUrl });
  const delivery = new MailDelivery(db, config.smtpUrl ? smtpSender(config.smtpUrl) : developmentMailboxSender, config.mailFrom, systemClock);
  delivery.start();
  // Drafts, documents and accounts kept past their period (config.retention), daily, on one server at a time.
  const retention = startRetentionJob(pool, new RetentionService({ db, clock: systemClock, publicUrl: config.publicUrl, storage }, config.retention));

  // Kept here so that a stop waits for the work done after an answer (a registration, a reset) before closing the pools.
  const afterResponse = new AfterResponse();
  const app = createApp({ config: { ...config, sessionSecret, ibanEncryptionKey }, db, pool, clock: systemClock, storage, antivirus, afterResponse });
  const server = app.listen(config.port);
  server.once("error", (error: NodeJS.ErrnoException) => {
    const message =
      error.code === "EADDRINUSE"
        ? `Le port ${config.port} est déjà utilisé par un autre programme : arrêtez-le, ou choisissez un autre port avec PORT (par exemple PORT=${config.port + 1} npm start).`
        : `Le portail ne peut pas écouter sur le port ${config.port} (${error.code ?? error.message}) : choisissez un autre port avec PORT.`;
    logger.fatal(message);
    void stop("erreur", 1);
  });
  server.once("listening", () => {
    console.log(`Portail Améthyste prêt sur ${config.publicUrl} (port ${config.port})`);
    if (!config.smtpUrl) console.log(`Les e-mails arrivent dans la boîte de développement: ${config.publicUrl}/dev/mails`);
  });

  const stop = runOnce(
    async (signal, exitCode) => {
      if (exitCode === 0) logger.info(`${signal} reçu, arrêt en cours…`);
      // The rounds stop at once (none starts, the one in progress ends) while the last answers are written,
      // then the work those answers started (a reset, a registration); the pools close after all of them.
      const answered = drainHttp(server, HTTP_GRACE_MS).then(() => afterResponse.idle());
      const release = async () => {
        await Promise.all([answered, sweeper.stop(), retention.stop(), renewalReminders.stop(), accountRequests.stop()]);
        await delivery.stop();
        // Resolved once the connections are closed, not merely asked to: the database's stop comes next.
        // Both awaited even if one fails, so that the other's connections are not cut by that stop.
        const closed = await Promise.allSettled([endPool(pool), closeDatabase(db)]);
        for (const result of closed) if (result.status === "rejected") throw result.reason;
        storage.close();
      };
      // Bounded: a connection lost in an outage must not keep the embedded database running for ever.
      const outcome = await Promise.race([
        release().then(
          () => "closed" as const,
          (error: unknown) => {
            logger.error({ err: error }, "arrêt : les connexions n'ont pas pu être fermées");
            return "failed" as const;
          },
        ),
        new Promise<"late">((resolve) => setTimeout(() => resolve("late"), STOP_BOUND_MS).unref()),
      ]);
      if (outcome === "closed") logger.info("arrêt : travaux en cours terminés, connexions fermées");
      if (outcome === "late") logger.warn(`arrêt : des travaux n'étaient pas terminés après ${STOP_BOUND_MS / 1000} s, arrêt forcé`);
      await stopEmbedded();
      process.exit(exitCode);
    },
    (signal) => logger.info(`${signal} reçu, l'arrêt est déjà en cours`),
  );
  shutdown = stop;
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGHUP", () => void stop("SIGHUP"));
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).trim().split("\n")[0] ?? "";
}

main().catch((error: unknown) => {
  // Always a French sentence that says what to do; the details of an unexpected failure follow it.
  if (error instanceof ConfigError || error instanceof StartupError) {
    logger.fatal(error.message);
  } else {
    logger.fatal({ err: error }, "Le portail n'a pas pu démarrer. Vérifiez la configuration (fichier .env.example) et relancez npm start.");
  }
  process.exit(1);
});
