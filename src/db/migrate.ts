import { execFile } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..").replace(/[/\\]dist$/, "");
const prismaCli = createRequire(import.meta.url).resolve("prisma/build/index.js");

/**
 * Applies the pending migrations (`prisma migrate deploy`) to the database at
 * `databaseUrl`. The CLI is the only thing that runs Prisma's migration
 * engine, so it runs as a child process.
 */
export async function applyMigrations(databaseUrl: string): Promise<void> {
  await promisify(execFile)(process.execPath, [prismaCli, "migrate", "deploy"], {
    cwd: projectRoot,
    env: { ...process.env, DATABASE_URL: databaseUrl, PRISMA_HIDE_UPDATE_MESSAGE: "1" },
  });
}
