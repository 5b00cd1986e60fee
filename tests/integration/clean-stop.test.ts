/**
 * A stop (SIGINT, SIGTERM: a deployment, a restart) ends the work in
 * progress before it closes the database connections, then stops the
 * database: what a person was just told was done is done, and the stop logs
 * no error. CI once saw « connexion à PostgreSQL perdue » at a stop right
 * after the start: the start's sweep of account requests was still running
 * when the embedded database stopped under it. The session store's pruning,
 * planned every 15 minutes, must not fail on the pool the stop has ended.
 */
import net from "node:net";
import pg from "pg";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createPool } from "../../src/db/pool.js";
import { startAccountRequestSweeper } from "../../src/features/account/account-requests.js";
import { createSessionStore } from "../../src/middleware/session-store.js";
import { hashPassword } from "../../src/features/account/passwords.js";
import { GOOD_PASSWORD } from "../support/accounts.js";
import { submitForm } from "../support/browserless.js";
import { startPortalProcess } from "../support/portal-process.js";
import { createTestContext, PUBLIC_URL, TEST_IBAN_KEY, TEST_SESSION_SECRET, type TestContext } from "../support/test-app.js";

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => ctx?.close());

const recordedFor = (email: string) => ctx.db.accountRequest.count({ where: { payload: { path: ["email"], equals: email } } });
const resetMailsTo = (email: string) => ctx.db.outboxMail.count({ where: { to: email, subject: { contains: "Modification de votre mot de passe" } } });

/**
 * Holds the accounts' tables against writes (a reset's work then waits), as a
 * stop may catch that work in the middle; `release()` lets it go on.
 */
async function holdAccountWrites() {
  const locker = new pg.Client({ connectionString: ctx.databaseUrl });
  await locker.connect();
  await locker.query("BEGIN");
  await locker.query('LOCK TABLE "User", "AccountToken" IN SHARE MODE');
  const lockerPid = (await locker.query<{ pid: number }>("SELECT pg_backend_pid() AS pid")).rows[0]!.pid;
  return {
    /** True once a session of the portal waits for this lock (and only this one). */
    async somebodyWaits(): Promise<boolean> {
      const { rows } = await locker.query<{ waiting: number }>("SELECT count(*)::int AS waiting FROM pg_stat_activity WHERE $1 = ANY(pg_blocking_pids(pid))", [
        lockerPid,
      ]);
      return rows[0]!.waiting > 0;
    },
    release: () => locker.query("ROLLBACK"),
    end: () => locker.end(),
  };
}

const pending = (promise: Promise<unknown>, ms = 500) =>
  Promise.race([promise.then(() => "fini"), new Promise((resolve) => setTimeout(() => resolve("en attente"), ms))]);

async function account(email: string) {
  await ctx.db.user.create({
    data: { email, firstName: "Arlette", lastName: "Arrêt", passwordHash: await hashPassword(GOOD_PASSWORD), emailVerifiedAt: new Date() },
  });
}

const portalEnvironment = () => ({
  DATABASE_URL: ctx.databaseUrl,
  SMTP_URL: ctx.smtp.url,
  SESSION_SECRET: TEST_SESSION_SECRET,
  IBAN_ENCRYPTION_KEY: TEST_IBAN_KEY,
  CLAMAV_URL: "",
});

describe("A stop ends the work in progress first", () => {
  it("the sweep of account requests: stop() resolves once its round is over", async () => {
    await account("balayage@example.fr");
    // Left behind by a crash a minute ago: the sweep started now does it at once.
    await ctx.db.accountRequest.create({
      data: { kind: "PASSWORD_RESET", payload: { email: "balayage@example.fr" }, createdAt: new Date(ctx.clock.now().getTime() - 60_000) },
    });
    const lock = await holdAccountWrites();
    const sweeper = startAccountRequestSweeper({ db: ctx.db, clock: ctx.clock, publicUrl: PUBLIC_URL }, (error) => {
      throw error;
    });
    try {
      await expect.poll(() => lock.somebodyWaits(), { timeout: 10_000 }).toBe(true);
      const stopped = sweeper.stop();
      // The round is held by the lock: stop() must wait for it.
      expect(await pending(stopped)).toBe("en attente");
      await lock.release();
      await stopped;
      // The server ends its pools right after stop(): the round must already be over.
      expect(await recordedFor("balayage@example.fr")).toBe(0);
      expect(await resetMailsTo("balayage@example.fr")).toBe(1);
    } finally {
      await lock.end();
    }
  });

  it("« Mot de passe oublié ? » answered just before SIGTERM: the reset is done and mailed, then the portal ends cleanly", { timeout: 120_000 }, async () => {
    await account("juste-avant@example.fr");
    const portal = await startPortalProcess(portalEnvironment());
    const lock = await holdAccountWrites();
    try {
      const answer = await submitForm(request.agent(portal.url), "/mot-de-passe-oublie", { email: "juste-avant@example.fr" });
      expect(answer.status).toBe(303);
      // The work after the answer is held by the lock when the stop comes: the stop must wait for it, not cut it.
      await expect.poll(() => lock.somebodyWaits(), { timeout: 10_000 }).toBe(true);
      portal.signal("SIGTERM");
      expect(await pending(portal.exited, 1_000)).toBe("en attente");
      await lock.release();
      expect(await portal.exited).toBe(0);
    } finally {
      await lock.end();
      await portal.stop();
    }
    expect(await recordedFor("juste-avant@example.fr")).toBe(0);
    expect(await resetMailsTo("juste-avant@example.fr")).toBe(1);
    expect(portal.output()).toMatch(/SIGTERM reçu, arrêt en cours/);
    expect(portal.output()).toMatch(/arrêt : travaux en cours terminés, connexions fermées/);
    expect(portal.output()).not.toMatch(/"level":(50|60)/);
  });

  it("a client still sending its form does not hold the stop: it is cut after 5 s, and the rest closes cleanly", { timeout: 120_000 }, async () => {
    const portal = await startPortalProcess(portalEnvironment());
    const slowClient = net.connect(Number(new URL(portal.url).port), "127.0.0.1");
    try {
      await new Promise<void>((resolve) => slowClient.once("connect", () => resolve()));
      // A form announced at 1,000 bytes, of which 10 ever arrive (a slow upload, a stalled connection).
      slowClient.write(
        `POST /connexion HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\nemail=a%40b`,
      );
      const cut = new Promise<void>((resolve) => slowClient.once("close", () => resolve()));
      await new Promise((resolve) => setTimeout(resolve, 300));
      const signalledAt = Date.now();
      portal.signal("SIGTERM");
      expect(await portal.exited).toBe(0);
      const stopMs = Date.now() - signalledAt;
      await cut;
      // 5 s of grace for the answers, well under the 10 s after which the database is stopped whatever runs.
      expect(stopMs).toBeGreaterThanOrEqual(4_500);
      expect(stopMs).toBeLessThan(9_000);
    } finally {
      slowClient.destroy();
      await portal.stop();
    }
    expect(portal.output()).toMatch(/arrêt : travaux en cours terminés, connexions fermées/);
    expect(portal.output()).not.toMatch(/arrêt forcé/);
    expect(portal.output()).not.toMatch(/"level":(50|60)/);
  });

  it("the pruning of expired sessions: runs while its pool lives, and stops quietly once the server ends the pool", async () => {
    const storeErrors: unknown[] = [];
    const storeOn = (pool: ReturnType<typeof createPool>) =>
      createSessionStore({ pool, ttlSeconds: 60, pruneIntervalSeconds: 1, errorLog: (message, error) => storeErrors.push([message, error]) });
    // The store plans its first prune at its first read (session-store.ts).
    const firstRead = (store: ReturnType<typeof storeOn>) =>
      new Promise<void>((resolve, reject) => store.get("inconnue", (error) => (error ? reject(error as Error) : resolve())));

    // What an operator would read: the portal's log (errorLog) or, by connect-pg-simple's default, the console.
    const consoleErrors = vi.spyOn(console, "error");
    await ctx.db.session.create({ data: { sid: "expiree", sess: {}, expire: new Date(Date.now() - 60_000) } });
    const living = createPool(ctx.databaseUrl, 1);
    const ending = createPool(ctx.databaseUrl, 1);
    try {
      await firstRead(storeOn(living));
      await firstRead(storeOn(ending));
      await ending.end();
      await expect.poll(() => ctx.db.session.count({ where: { sid: "expiree" } }), { timeout: 5_000 }).toBe(0);
      // Past the ended pool's planned prune too.
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      expect(storeErrors).toEqual([]);
      expect(consoleErrors).not.toHaveBeenCalled();
    } finally {
      consoleErrors.mockRestore();
      await living.end();
    }
  });
});
