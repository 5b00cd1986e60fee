/**
 * Issue 10: a logged-in page view writes nothing and asks the database
 * little. Counts the statements the app sends (every pg client of the
 * process), which is deterministic, unlike a timing.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { logIn, registerAndActivate } from "../support/accounts.js";
import { acceptTerms, fillProfile, step } from "../support/applicant.js";
import { createStaff, seedRequest } from "../support/back-office.js";
import { csrfTokenIn, newBrowser, textOf, type Agent } from "../support/browserless.js";
import { recordQueries } from "../support/query-count.js";
import { createTestContext, MANY_REGISTRATIONS, type TestContext } from "../support/test-app.js";

let ctx: TestContext;
let marie: Agent;
let jean: Agent;
let agent: Agent;
let number: string;
beforeAll(async () => {
  ctx = await createTestContext({ throttleRules: MANY_REGISTRATIONS });
  number = (await seedRequest(ctx.db, { email: "marie@example.fr", status: "IN_REVIEW" })).number!;
  marie = newBrowser(ctx.app);
  expect((await logIn(marie, "marie@example.fr")).status).toBe(303);
  jean = newBrowser(ctx.app);
  await registerAndActivate(ctx, jean, { email: "jean@example.fr" });
  await fillProfile(jean, "jean@example.fr");
  await acceptTerms(jean);
  expect((await step(jean, "type", { type: "RENEWAL" })).status).toBe(303);
  await createStaff(ctx.db, "agent@example.fr");
  agent = newBrowser(ctx.app);
  expect((await logIn(agent, "agent@example.fr")).status).toBe(303);
}, 60_000);
afterAll(async () => ctx.close());

const WRITE = /^\s*(INSERT|UPDATE|DELETE)\b/i;

/** The statements one GET sends, once the session has seen its first page (which dates it). */
async function statementsOf(browser: Agent, url: string, expectedText: string): Promise<string[]> {
  expect((await browser.get(url)).status).toBe(200);
  await sessionsJustStored();
  const recording = recordQueries();
  try {
    const page = await browser.get(url);
    expect(page.status).toBe(200);
    expect(textOf(page.text)).toContain(expectedText);
  } finally {
    recording.stop();
  }
  return recording.sent.map((query) => query.text);
}

/** As if every session had just been saved: a page view within the minute has nothing to touch (real time, as the store's expiry). */
async function sessionsJustStored() {
  await ctx.db.$executeRaw`UPDATE "session" SET expire = now() + interval '30 minutes'`;
}

async function sessionRows() {
  return ctx.db.$queryRaw<{ sid: string; sess: unknown; expire: Date }[]>`SELECT sid, sess, expire FROM "session" ORDER BY sid`;
}

describe("A logged-in page view", () => {
  it("« Mes demandes en cours »: two round trips (the session with its person, the page's data), no write", async () => {
    const sent = await statementsOf(marie, "/mes-demandes", number);
    expect(sent.filter((text) => WRITE.test(text))).toEqual([]);
    expect(sent).toHaveLength(2);
  });

  it("a wizard step: the session, the applicant's profile, requests and draft in one query, the reference data; no write", async () => {
    const sent = await statementsOf(jean, "/demande/etape/navigo", "Numéro de Passe Navigo");
    expect(sent.filter((text) => WRITE.test(text))).toEqual([]);
    expect(sent.length).toBeLessThanOrEqual(3);
  });

  it("one request's page for its applicant: no write, three round trips at most", async () => {
    const sent = await statementsOf(marie, `/mes-demandes/${number}`, `Demande ${number}`);
    expect(sent.filter((text) => WRITE.test(text))).toEqual([]);
    expect(sent.length).toBeLessThanOrEqual(3);
  });

  it("a request's page for an agent writes only its audit line", async () => {
    const sent = await statementsOf(agent, `/agent/demandes/${number}`, number);
    expect(sent.filter((text) => WRITE.test(text)).map((text) => /INSERT INTO "public"\."AuditLog"/.test(text))).toEqual([true]);
    expect(sent.length).toBeLessThanOrEqual(4);
  });

  it("saving a wizard step: one transaction, whose only write is the draft's, and no read after it", async () => {
    // A minute later: this page saves lastSeenAt, so the POST just after has no reason to write the session.
    ctx.clock.advance(61_000);
    const page = await jean.get("/demande/etape/navigo");
    await sessionsJustStored();
    const recording = recordQueries();
    try {
      const answer = await jean
        .post("/demande/etape/navigo")
        .type("form")
        .send({ navigoNumber: "12345678", action: "suivant", _csrf: csrfTokenIn(page.text) });
      expect(answer.status).toBe(303);
      expect(answer.headers.location).toBe("/demande/etape/zonage");
    } finally {
      recording.stop();
    }
    const sent = recording.sent.map((query) => query.text.trim());
    expect(sent.filter((text) => text === "BEGIN")).toHaveLength(1);
    // The only write: the draft's; the session, unchanged, is not saved before the redirect.
    expect(sent.filter((text) => WRITE.test(text))).toEqual([expect.stringMatching(/^UPDATE "public"\."Request"/)]);
    // Before the transaction, three reads: the session with its person, the applicant's requests, the reference data.
    expect(sent.indexOf("BEGIN")).toBe(3);
    expect(sent.slice(sent.lastIndexOf("COMMIT") + 1).filter((text) => !text.includes('"session"'))).toEqual([]);
    const saved = await ctx.db.request.findFirstOrThrow({ where: { applicant: { email: "jean@example.fr" }, status: "DRAFT" } });
    expect(saved.navigoNumber).toBe("12345678");
    expect(saved.completedSteps).toContain("navigo");
  });

  it("leaves the session row as it was within the minute, and saves it once the minute has passed (the idle timeout's touch)", async () => {
    // A minute later: this view saves lastSeenAt, the start of the next minute.
    ctx.clock.advance(61_000);
    expect((await marie.get("/mes-demandes")).status).toBe(200);
    await sessionsJustStored();
    const before = await sessionRows();
    for (let view = 0; view < 3; view++) expect((await marie.get("/mes-demandes")).status).toBe(200);
    ctx.clock.advance(45_000);
    expect((await marie.get("/mes-demandes")).status).toBe(200);
    expect(await sessionRows()).toEqual(before);
    ctx.clock.advance(16_000);
    expect((await marie.get("/mes-demandes")).status).toBe(200);
    const after = await sessionRows();
    expect(after).not.toEqual(before);
    expect(after.map((row) => row.sid)).toEqual(before.map((row) => row.sid));
  });

  it("pushes the stored expiry back once it is more than a minute old (the coarse touch)", async () => {
    // Every session stored two minutes ago; only Marie's is used.
    await ctx.db.$executeRaw`UPDATE "session" SET expire = now() + interval '28 minutes'`;
    expect((await marie.get("/mes-demandes")).status).toBe(200);
    const rows = await ctx.db.$queryRaw<{ minutes: number }[]>`
      SELECT EXTRACT(EPOCH FROM (max(expire) - now())) / 60 AS minutes FROM "session" WHERE sess::text LIKE '%"passport"%'`;
    expect(Number(rows[0]!.minutes)).toBeGreaterThan(29);
  });

  it("reads the session and its person through primary keys, without a sequential scan", async () => {
    // Enough rows that the planner would not scan for want of them; then the session store's own query.
    await ctx.db.$executeRaw`
      INSERT INTO "User" (id, email, "firstName", "lastName", "updatedAt")
      SELECT gen_random_uuid(), 'foule' || n || '@example.fr', 'Foule', 'Nombreuse', now() FROM generate_series(1, 5000) AS n`;
    await ctx.db.$executeRaw`
      INSERT INTO "session" (sid, sess, expire) SELECT 'foule-' || n, '{"cookie":{}}', now() + interval '1 hour' FROM generate_series(1, 5000) AS n`;
    await ctx.db.$executeRaw`ANALYZE "User"`;
    await ctx.db.$executeRaw`ANALYZE "session"`;
    const recording = recordQueries();
    try {
      expect((await marie.get("/mes-demandes")).status).toBe(200);
    } finally {
      recording.stop();
    }
    const sessionRead = recording.sent.find((query) => query.text.includes('FROM "session"'))!.text;
    const { sid } = (await sessionRows()).find((row) => JSON.stringify(row.sess).includes("passport"))!;
    const plan = await ctx.pool.query<{ "QUERY PLAN": string }>(`EXPLAIN ${sessionRead}`, [sid, Math.ceil(Date.now() / 1000)]);
    const text = plan.rows.map((row) => row["QUERY PLAN"]).join("\n");
    expect(text).not.toContain("Seq Scan");
    expect(text).toContain("User_pkey");
  });
});
