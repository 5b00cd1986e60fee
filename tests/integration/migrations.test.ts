/**
 * `prisma migrate deploy` (run at every start) on an empty database builds
 * every table of the Prisma schema, and running it again, as every restart
 * does, changes nothing at all.
 */
import { readFile } from "node:fs/promises";
import pg from "pg";
import { afterAll, describe, expect, inject, it } from "vitest";
import { fileURLToPath } from "node:url";
import { allMigrationsApplied } from "../../src/db/applied-migrations.js";
import { applyMigrations } from "../../src/db/migrate.js";

const name = `amethyste_empty_${Date.now()}`;
const adminUrl = inject("adminDatabaseUrl");
const url = new URL(adminUrl);
url.pathname = `/${name}`;

async function connected<T>(connectionString: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** The table of each model of prisma/schema.prisma: its @@map, else its name. */
async function tablesOfTheSchema(): Promise<string[]> {
  const schema = await readFile(new URL("../../prisma/schema.prisma", import.meta.url), "utf8");
  return [...schema.matchAll(/^model (\w+) \{([\s\S]*?)^\}/gm)].map(([, model, body]) => /@@map\("([^"]+)"\)/.exec(body!)?.[1] ?? model!).sort();
}

/** Everything a migration could change: tables, columns, indexes, constraints, triggers, functions, and the migration history. */
async function snapshot(client: pg.Client): Promise<Record<string, unknown[]>> {
  const rows = async (sql: string) => (await client.query(sql)).rows as unknown[];
  return {
    columns: await rows(
      `SELECT table_name, column_name, data_type, is_nullable, column_default FROM information_schema.columns WHERE table_schema = 'public' ORDER BY 1, 2`,
    ),
    indexes: await rows(`SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY 1`),
    constraints: await rows(
      `SELECT conrelid::regclass::text AS on_table, conname, pg_get_constraintdef(oid) AS definition FROM pg_constraint WHERE connamespace = 'public'::regnamespace ORDER BY 1, 2`,
    ),
    triggers: await rows(
      `SELECT event_object_table, trigger_name, action_statement FROM information_schema.triggers WHERE trigger_schema = 'public' ORDER BY 1, 2`,
    ),
    functions: await rows(`SELECT proname, md5(prosrc) AS source FROM pg_proc WHERE pronamespace = 'public'::regnamespace ORDER BY 1, 2`),
    migrations: await rows(`SELECT id, migration_name, checksum, finished_at, applied_steps_count FROM _prisma_migrations ORDER BY migration_name`),
  };
}

afterAll(() => connected(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)));

describe("prisma migrate deploy", () => {
  it("builds every table of the schema on an empty database, and a second run changes nothing", async () => {
    await connected(adminUrl, (client) => client.query(`CREATE DATABASE "${name}"`));
    await applyMigrations(url.toString());
    const afterFirst = await connected(url.toString(), snapshot);
    const tables = await connected(url.toString(), async (client) =>
      (
        await client.query<{ table_name: string }>(
          `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`,
        )
      ).rows.map((row) => row.table_name),
    );
    const expected = await tablesOfTheSchema();
    expect(expected.length).toBeGreaterThan(10);
    expect(tables.sort()).toEqual([...expected, "_prisma_migrations"].sort());
    expect(afterFirst.migrations!.length).toBeGreaterThan(0);
    expect(afterFirst.migrations!.every((row) => (row as { finished_at: Date | null }).finished_at !== null)).toBe(true);

    await applyMigrations(url.toString());
    expect(await connected(url.toString(), snapshot)).toEqual(afterFirst);
  }, 120_000);

  it("is skipped at start only when every migration is applied, unchanged (the checksums Prisma recorded)", async () => {
    const migrations = fileURLToPath(new URL("../../prisma/migrations", import.meta.url));
    expect(await allMigrationsApplied(url.toString(), migrations)).toBe(true);
    const lastMigration = (
      await connected(url.toString(), (client) =>
        client.query<{ migration_name: string }>(`SELECT max(migration_name) AS migration_name FROM _prisma_migrations`),
      )
    ).rows[0]!.migration_name;
    await connected(url.toString(), (client) => client.query(`UPDATE _prisma_migrations SET checksum = 'edited' WHERE migration_name = $1`, [lastMigration]));
    expect(await allMigrationsApplied(url.toString(), migrations)).toBe(false);
    const empty = new URL(adminUrl);
    empty.pathname = "/postgres";
    expect(await allMigrationsApplied(empty.toString(), migrations)).toBe(false);
  });
});
