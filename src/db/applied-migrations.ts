/**
 * Whether a database already has every migration of prisma/migrations,
 * applied and unchanged: then `npm start` skips `prisma migrate deploy`,
 * whose CLI takes several seconds just to load before finding nothing to do.
 * Any doubt (no migration table, a failed or pending migration, a file edited
 * since it was applied, a query that fails) answers false, and the CLI runs
 * and decides as before.
 */
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";

/** Each migration folder's name and its checksum as Prisma records it (SHA-256 of migration.sql). */
export function migrationsOnDisk(migrationsDir: string): Map<string, string> {
  const migrations = new Map<string, string>();
  for (const entry of readdirSync(migrationsDir, { withFileTypes: true })) {
    const script = path.join(migrationsDir, entry.name, "migration.sql");
    if (entry.isDirectory() && existsSync(script)) migrations.set(entry.name, createHash("sha256").update(readFileSync(script)).digest("hex"));
  }
  return migrations;
}

export async function allMigrationsApplied(databaseUrl: string, migrationsDir: string): Promise<boolean> {
  const onDisk = migrationsOnDisk(migrationsDir);
  const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    const { rows } = await client.query<{ migration_name: string; checksum: string; finished: boolean }>(
      `SELECT migration_name, checksum, finished_at IS NOT NULL AS finished FROM _prisma_migrations WHERE rolled_back_at IS NULL`,
    );
    if (rows.some((row) => !row.finished)) return false;
    const applied = new Map(rows.map((row) => [row.migration_name, row.checksum]));
    return [...onDisk].every(([name, checksum]) => applied.get(name) === checksum);
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}
