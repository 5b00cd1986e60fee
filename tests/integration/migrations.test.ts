import pg from "pg";
import { afterAll, describe, expect, inject, it } from "vitest";
import { applyMigrations } from "../../src/db/migrate.js";

const name = `amethyste_empty_${Date.now()}`;
const adminUrl = inject("adminDatabaseUrl");
const url = new URL(adminUrl);
url.pathname = `/${name}`;

async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

afterAll(() => admin((client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)));

describe("prisma migrate deploy", () => {
  it("builds every table on an empty database, and a second run changes nothing", async () => {
    await admin((client) => client.query(`CREATE DATABASE "${name}"`));
    await applyMigrations(url.toString());
    await applyMigrations(url.toString());
    const client = new pg.Client({ connectionString: url.toString() });
    await client.connect();
    const tables = await client.query<{ tablename: string }>("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename");
    const migrations = await client.query("SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL");
    await client.end();
    expect(tables.rows.map((row) => row.tablename)).toEqual(
      expect.arrayContaining(["User", "AccountToken", "OutboxMail", "session", "rate_limits", "_prisma_migrations"]),
    );
    expect(migrations.rowCount).toBeGreaterThan(0);
  }, 120_000);
});
