/**
 * Jobs that must run on one server at a time: a second process (here a second
 * pool, as a second server would have) skips the job while the first runs it,
 * and runs it once the first has finished or died.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPool, endPool } from "../../src/db/pool.js";
import { runExclusively } from "../../src/lib/exclusive-job.js";
import { createTestDatabase } from "../support/test-app.js";

let database: Awaited<ReturnType<typeof createTestDatabase>>;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.drop();
});

describe("runExclusively", () => {
  it("skips the job on the second server while the first runs it, then lets it run", async () => {
    const serverA = createPool(database.url, 2);
    const serverB = createPool(database.url, 2);
    try {
      let finishA!: () => void;
      const held = new Promise<void>((resolve) => (finishA = resolve));
      let lockedA!: () => void;
      // The work starts only once the lock is taken: waiting for it, not for a fixed time, holds on a loaded machine.
      const hasLock = new Promise<void>((resolve) => (lockedA = resolve));
      const runA = runExclusively(serverA, "retention", async () => {
        lockedA();
        await held;
        return "A";
      });
      await hasLock;

      expect(await runExclusively(serverB, "retention", () => Promise.resolve("B"))).toEqual({ ran: false });
      // Another job's name is not blocked.
      expect(await runExclusively(serverB, "renewal-reminders", () => Promise.resolve("B"))).toEqual({ ran: true, result: "B" });

      finishA();
      expect(await runA).toEqual({ ran: true, result: "A" });
      expect(await runExclusively(serverB, "retention", () => Promise.resolve("B"))).toEqual({ ran: true, result: "B" });
    } finally {
      await endPool(serverA);
      await endPool(serverB);
    }
  });

  it("releases the lock when the job fails, and when the server holding it dies", async () => {
    const serverA = createPool(database.url, 2);
    const serverB = createPool(database.url, 2);
    try {
      await expect(runExclusively(serverA, "sweeper", () => Promise.reject(new Error("disque plein")))).rejects.toThrow("disque plein");
      expect(await runExclusively(serverB, "sweeper", () => Promise.resolve(1))).toEqual({ ran: true, result: 1 });

      let dying!: () => void;
      let lockedA!: () => void;
      const hasLock = new Promise<void>((resolve) => (lockedA = resolve));
      const run = runExclusively(serverA, "sweeper", () => {
        lockedA();
        return new Promise<void>((resolve) => (dying = resolve));
      });
      await hasLock;
      expect(await runExclusively(serverB, "sweeper", () => Promise.resolve(2))).toEqual({ ran: false });
      // Server A's connections end (a crash closes them just the same).
      const admin = createPool(database.url, 1);
      // This test's database only: the server is shared with the other test files, whose connections may hold advisory locks too.
      // With a timeout, pg_terminate_backend waits for the backend's exit: without, server A's client gets the « terminating
      // connection » error (its run ends) while the backend has not yet released the lock, and B's next try could find it held.
      await admin.query(
        "SELECT pg_terminate_backend(pid, 10000) FROM pg_locks WHERE locktype = 'advisory' AND pid <> pg_backend_pid() AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
      );
      await admin.end();
      dying();
      await run.catch(() => undefined);
      expect(await runExclusively(serverB, "sweeper", () => Promise.resolve(3))).toEqual({ ran: true, result: 3 });
    } finally {
      await endPool(serverA);
      await endPool(serverB);
    }
  });
});
