/**
 * The portal outlives its database: connections terminated by the server, a
 * database that went away and one that hangs. Meanwhile a person gets the
 * French « Service momentanément indisponible » page (503) and /healthz says
 * so; once the database answers again, the portal serves again by itself.
 */
import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { registerAndActivate } from "../support/accounts.js";
import { newBrowser, textOf, type Agent } from "../support/browserless.js";
import { createDatabase } from "../../src/db/prisma.js";
import { TcpProxy } from "../support/tcp-proxy.js";
import { createTestContext, type TestContext } from "../support/test-app.js";

async function terminateConnectionsTo(databaseUrl: string): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    // With a timeout, pg_terminate_backend waits until each backend has exited (without, it only signals it: a backend
    // slow to exit on a loaded machine would still hold its connection open when the test's next page uses it).
    const result = await client.query(
      "SELECT pg_terminate_backend(pid, 10000) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()",
    );
    return result.rowCount ?? 0;
  } finally {
    await client.end();
  }
}

const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function expectUnavailablePage(response: { status: number; text: string }) {
  expect(response.status).toBe(503);
  expect(response.text).toContain('<html lang="fr"');
  expect(textOf(response.text)).toContain("Service momentanément indisponible");
  expect(response.text).not.toMatch(/\bat .+\.(js|ts):\d+/);
}

describe("Connections terminated by the database server", () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext();
  });
  afterAll(async () => ctx.close());

  it("keeps serving logged-in applicants after pg_terminate_backend of every connection", async () => {
    const browser = newBrowser(ctx.app);
    await registerAndActivate(ctx, browser, { email: "terminee@example.fr" });
    // Traffic that leaves idle connections in every pool (sessions, throttles, Prisma).
    const pages = await Promise.all([1, 2, 3, 4].map(() => browser.get("/mes-informations")));
    expect(pages.map((page) => page.status)).toEqual([200, 200, 200, 200]);

    expect(await terminateConnectionsTo(ctx.databaseUrl)).toBeGreaterThan(0);
    // The connections are closed: their close reaches the idle clients.
    await settle(300);

    const after = await browser.get("/mes-informations");
    expect(after.status).toBe(200);
    expect(textOf(after.text)).toContain("Mes informations personnelles");
    expect((await browser.get("/healthz")).status).toBe(200);
  });
});

describe("A database that goes away or hangs", () => {
  let ctx: TestContext;
  let proxy: TcpProxy;
  let browser: Agent;
  beforeAll(async () => {
    const server = new URL(inject("adminDatabaseUrl"));
    proxy = new TcpProxy(server.hostname, Number(server.port));
    await proxy.start();
    ctx = await createTestContext({ databasePort: proxy.port });
    browser = newBrowser(ctx.app);
    await registerAndActivate(ctx, browser, { email: "panne@example.fr" });
    expect((await browser.get("/mes-informations")).status).toBe(200);
  });
  afterEach(() => proxy.restore());
  afterAll(async () => {
    proxy.restore();
    await ctx.close();
    await proxy.stop();
  });

  it("answers 503 « Service momentanément indisponible » while the database is unreachable, then serves again", async () => {
    proxy.cut();
    await settle(100);

    expectUnavailablePage(await browser.get("/mes-informations"));
    const health = await browser.get("/healthz");
    expect(health.status).toBe(503);
    expect((health.body as { database: string }).database).toBe("indisponible");

    proxy.restore();
    const back = await browser.get("/mes-informations");
    expect(back.status).toBe(200);
    expect(textOf(back.text)).toContain("Mes informations personnelles");
    expect((await browser.get("/healthz")).status).toBe(200);
  });

  it("answers 503 within seconds while the database hangs, then serves again", { timeout: 60_000 }, async () => {
    proxy.freeze();

    // Without timeouts these requests wait forever; supertest gives up after 10 s.
    expectUnavailablePage(await browser.get("/mes-informations").timeout(10_000));
    expect((await browser.get("/healthz").timeout(10_000)).status).toBe(503);

    proxy.restore();
    const back = await browser.get("/mes-informations").timeout(10_000);
    expect(back.status).toBe(200);
    expect(textOf(back.text)).toContain("Mes informations personnelles");
  });

  it("frees the connection of a transaction that timed out while the database hung, without an unhandled rejection", { timeout: 60_000 }, async () => {
    // Prisma rolls a timed-out transaction back from a timer: when that ROLLBACK
    // fails too, nothing catches it, and its connection was never given back.
    const transaction = ctx.db.$transaction(
      async (tx) => {
        await tx.$queryRaw`SELECT 1`;
        proxy.freeze();
        await tx.$queryRaw`SELECT pg_sleep(0)`;
      },
      { timeout: 1_000 },
    );
    await expect(transaction).rejects.toThrow();
    // The rollback's own timeout, then the rejection it would leave behind.
    await settle(7_000);
    proxy.restore();
    await settle(500);

    const admin = new pg.Client({ connectionString: inject("adminDatabaseUrl") });
    await admin.connect();
    const stuck = await admin.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND state LIKE 'idle in transaction%'", [
      new URL(ctx.databaseUrl).pathname.slice(1),
    ]);
    await admin.end();
    expect(stuck.rows[0]?.n).toBe(0);
    expect((await browser.get("/mes-informations").timeout(10_000)).status).toBe(200);
  });

  it(
    "frees the connection of a COMMIT that failed while the database hung, so that closing the client does not wait for ever",
    { timeout: 60_000 },
    async () => {
      const url = new URL(ctx.databaseUrl);
      url.port = String(proxy.port);
      const db = createDatabase(url.toString());
      const transaction = db.$transaction(async (tx) => {
        await tx.$queryRaw`SELECT 1`;
        // The COMMIT that follows is what hangs.
        proxy.freeze();
      });
      await expect(transaction).rejects.toThrow();
      proxy.restore();

      const closed = await Promise.race([db.$disconnect().then(() => "fermé"), settle(10_000).then(() => "bloqué")]);
      expect(closed).toBe("fermé");
    },
  );
});
