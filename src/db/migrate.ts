import { execFile } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { allMigrationsApplied } from "./applied-migrations.js";

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..").replace(/[/\\]dist$/, "");
const prismaCli = createRequire(import.meta.url).resolve("prisma/build/index.js");

/**
 * Applies the pending migrations (`prisma migrate deploy`) to the database at
 * `databaseUrl`. The CLI is the only thing that runs Prisma's migration
 * engine, so it runs as a child process, and only when a migration is pending.
 */
export async function applyMigrations(databaseUrl: string): Promise<void> {
  // Nothing pending (every start but the first after a release): no need to load the CLI.
  if (await allMigrationsApplied(databaseUrl, path.join(projectRoot, "prisma", "migrations"))) return;
  await promisify(execFile)(process.execPath, [prismaCli, "migrate", "deploy"], {
    cwd: projectRoot,
    env: { ...process.env, DATABASE_URL: databaseUrl, PRISMA_HIDE_UPDATE_MESSAGE: "1" },
  });
}
