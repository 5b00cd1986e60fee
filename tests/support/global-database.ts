/**
 * Vitest global setup: one PostgreSQL server for the whole run (the embedded
 * one, or TEST_DATABASE_URL's), and a template database with every migration
 * applied, from which each test file copies its own fresh database in
 * milliseconds.
 */
import { chmod, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { PortInUseError, startEmbeddedPostgres } from "../../src/db/embedded-postgres.js";
import { applyMigrations } from "../../src/db/migrate.js";

declare module "vitest" {
  export interface ProvidedContext {
    /** URL of the server's maintenance database, to create and drop test databases. */
    adminDatabaseUrl: string;
    templateDatabase: string;
  }
}

const TEMPLATE = "amethyste_test_template";

/**
 * The server's port, drawn below the kernel's ephemeral range (32768–60999 on
 * Linux), where no outgoing connection or listen(0) of this machine lands
 * between the check and PostgreSQL's bind (a port drawn in 55000–59999 could
 * be one in use, and the whole run failed). A port another program holds
 * anyway (another run's server) is not this run's fault: another is drawn.
 */
async function startOnSomeFreePort(dataDir: string) {
  for (let draw = 1; ; draw += 1) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    try {
      return await startEmbeddedPostgres({ dataDir, port, ephemeral: true });
    } catch (error) {
      if (!(error instanceof PortInUseError) || draw >= 5) throw error;
    }
  }
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

export default async function setup(project: TestProject) {
  let adminUrl: string;
  let stop: () => Promise<void>;
  const external = process.env.TEST_DATABASE_URL;
  if (external) {
    adminUrl = withDatabase(external, "postgres");
    stop = () => Promise.resolve();
  } else {
    // Under the system's temporary folder: the postgres OS user must be able
    // to enter every folder above its data directory.
    const dir = await mkdtemp(path.join(os.tmpdir(), "amethyste-test-pg-"));
    await chmod(dir, 0o755);
    const server = await startOnSomeFreePort(path.join(dir, "data"));
    adminUrl = server.urlFor("postgres");
    stop = async () => {
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    };
  }

  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${TEMPLATE}" WITH (FORCE)`);
  await admin.query(`CREATE DATABASE "${TEMPLATE}"`);
  await admin.end();
  await applyMigrations(withDatabase(adminUrl, TEMPLATE));

  project.provide("adminDatabaseUrl", adminUrl);
  project.provide("templateDatabase", TEMPLATE);
  return stop;
}
