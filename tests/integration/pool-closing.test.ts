/**
 * A stop closes the portal's connections before it stops the database: when
 * the pools say they are closed, no connection of theirs is still open.
 * Otherwise the embedded database's stop terminates the ones still closing
 * (57P01), and the stop logs « connexion à PostgreSQL perdue » at level error
 * (the CI failure of embedded-postgres.test › « npm start stops once on
 * SIGINT then SIGTERM »).
 */
import { setTimeout as settle } from "node:timers/promises";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPool, endPool } from "../../src/db/pool.js";
import { closeDatabase, createDatabase } from "../../src/db/prisma.js";
import { createTestDatabase } from "../support/test-app.js";

let database: Awaited<ReturnType<typeof createTestDatabase>>;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.drop();
});

/** Each connection the pool opens, and whether its socket is closed yet (pg's 'end' event). */
function watchConnections(pool: pg.Pool) {
  const opened: pg.PoolClient[] = [];
  const closed = new Set<pg.PoolClient>();
  pool.on("connect", (client) => {
    opened.push(client);
    client.once("end", () => closed.add(client));
  });
  return { opened, stillOpen: () => opened.filter((client) => !closed.has(client)).length };
}

describe("Closing the portal's pools", () => {
  it("endPool resolves once every connection of the pool is closed", async () => {
    const pool = createPool(database.url, 4);
    const connections = watchConnections(pool);
    // Connections opened at once, then left idle: the pools' state when a stop comes.
    await Promise.all([1, 2, 3].map(() => pool.query("SELECT pg_sleep(0.05)")));
    expect(connections.opened.length).toBeGreaterThanOrEqual(2);

    await endPool(pool);

    expect(connections.stillOpen()).toBe(0);
  });

  it("closes a connection itself after 2 s when the server does not (a database that hangs), and two calls wait for the same end", async () => {
    const pool = createPool(database.url, 2);
    const connections = watchConnections(pool);
    const { rows } = await pool.query<{ pid: number }>("SELECT pg_backend_pid() AS pid");
    const backend = rows[0]!.pid;
    // The server process stops answering, its socket stays open: what a hung database looks like.
    process.kill(backend, "SIGSTOP");
    // Resumed after 5 s whatever happens: a close that waits for ever must fail this test, not hang the database's shutdown after it.
    const resume = setTimeout(() => process.kill(backend, "SIGCONT"), 5_000);
    try {
      const started = performance.now();
      const [first, second] = [endPool(pool), endPool(pool)];
      expect(second).toBe(first);
      const outcome = await Promise.race([first.then(() => "fermé"), settle(4_500).then(() => "toujours en attente")]);
      expect(outcome).toBe("fermé");
      expect(connections.stillOpen()).toBe(0);
      // Not cut at once: the server had its chance to close the connection.
      expect(performance.now() - started).toBeGreaterThanOrEqual(1_900);
    } finally {
      clearTimeout(resume);
      process.kill(backend, "SIGCONT");
    }
  });

  it("closeDatabase resolves once Prisma's connections are closed", async () => {
    const pool = createPool(database.url, 4);
    const connections = watchConnections(pool);
    const db = createDatabase(pool);
    // Prisma opens a connection per query running at the same time.
    await Promise.all([1, 2, 3].map(() => db.$executeRaw`SELECT pg_sleep(0.05)`));
    expect(connections.opened.length).toBeGreaterThanOrEqual(2);

    await closeDatabase(db);

    expect(connections.stillOpen()).toBe(0);
  });

  it("refuses a pool whose connections it cannot follow, rather than not waiting for them", async () => {
    const untracked = new pg.Pool({ connectionString: database.url, max: 1 });
    try {
      expect(() => createDatabase(untracked)).toThrow("le pool doit venir de createPool");
      await expect(endPool(untracked)).rejects.toThrow("ce pool n'est pas suivi");
    } finally {
      await untracked.end();
    }
  });
});
