import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDatabase, createDatabase } from "../../src/db/prisma.js";
import { MailDelivery, queueMail, retryDelayMs, smtpSender } from "../../src/mail/outbox.js";
import { createTestContext, type TestContext } from "../support/test-app.js";

/** The advisory lock that holds the first worker's claim of « Verrou » in the SKIP LOCKED test. */
const CLAIM_GATE = 4242;

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => ctx.close());

describe("Mail outbox", () => {
  it("keeps a mail through an SMTP outage and delivers it once the server is back", async () => {
    const port = ctx.smtp.port;
    await ctx.smtp.stop();
    await queueMail(ctx.db, "patient@example.fr", { subject: "Message important", blocks: ["Bonjour,", { link: "http://portail.test/x", label: "Lien" }] });

    expect(await ctx.deliverMails()).toBe(0);
    const waiting = await ctx.db.outboxMail.findFirstOrThrow({ where: { to: "patient@example.fr" } });
    expect(waiting.status).toBe("PENDING");
    expect(waiting.attempts).toBe(1);
    expect(waiting.lastError).toBeTruthy();
    expect(waiting.nextAttemptAt.getTime()).toBeGreaterThan(ctx.clock.now().getTime());

    await ctx.smtp.start(port);
    // Not before its retry time…
    expect(await ctx.deliverMails()).toBe(0);
    // …but once it has come.
    ctx.clock.advance(retryDelayMs(1) + 1000);
    expect(await ctx.deliverMails()).toBe(1);
    const mail = await ctx.smtp.waitFor("patient@example.fr", "Message important");
    expect(mail.text).toContain("Lien :\nhttp://portail.test/x");
    expect(mail.html).toContain('<a href="http://portail.test/x">Lien</a>');
    const sent = await ctx.db.outboxMail.findFirstOrThrow({ where: { to: "patient@example.fr" } });
    expect(sent.status).toBe("SENT");
    expect(sent.attempts).toBe(2);
  });

  it("lets a second delivery worker send the other mails while the first is still claiming one (SKIP LOCKED)", { timeout: 30_000 }, async () => {
    // Two workers, as two portal processes: each its own Prisma client and one slot.
    const firstDb = createDatabase(ctx.databaseUrl);
    const secondDb = createDatabase(ctx.databaseUrl);
    const first = new MailDelivery(firstDb, smtpSender(ctx.smtp.url), "Portail <portail@example.fr>", ctx.clock, 1);
    const second = new MailDelivery(secondDb, smtpSender(ctx.smtp.url), "Portail <portail@example.fr>", ctx.clock, 1);
    // The claim of the oldest mail holds its row lock until the test lets it go (an advisory lock the test holds):
    // without SKIP LOCKED, the second worker would wait on it.
    await ctx.db.$executeRawUnsafe(`
      CREATE FUNCTION slow_claim() RETURNS trigger AS $$
      BEGIN IF NEW.subject = 'Verrou' AND NEW.attempts = 1 AND OLD.attempts = 0 THEN PERFORM pg_advisory_xact_lock_shared(${CLAIM_GATE}); END IF; RETURN NEW; END $$ LANGUAGE plpgsql`);
    await ctx.db.$executeRawUnsafe(`CREATE TRIGGER slow_claim BEFORE UPDATE ON "OutboxMail" FOR EACH ROW EXECUTE FUNCTION slow_claim()`);
    const gate = new pg.Client({ connectionString: ctx.databaseUrl });
    await gate.connect();
    await gate.query(`SELECT pg_advisory_lock(${CLAIM_GATE})`);
    const claimsAtGate = async () =>
      (
        await gate.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND objid = ${CLAIM_GATE} AND NOT granted
             AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
        )
      ).rows[0]!.n;
    try {
      await queueMail(ctx.db, "verrou@example.fr", { subject: "Verrou", blocks: ["Bonjour"] });
      await queueMail(ctx.db, "libre1@example.fr", { subject: "Libre", blocks: ["Bonjour"] });
      await queueMail(ctx.db, "libre2@example.fr", { subject: "Libre", blocks: ["Bonjour"] });

      let firstDone = false;
      const firstRun = first.deliverDue().finally(() => (firstDone = true));
      // Once the first worker is inside its claim of « Verrou » (waiting at the gate; a fixed sleep here was a guess that a loaded machine can lose).
      await expect.poll(claimsAtGate, { timeout: 10_000 }).toBe(1);
      expect(await second.deliverDue()).toBe(2);
      expect(firstDone).toBe(false);
      expect(ctx.smtp.to("libre1@example.fr")).toHaveLength(1);
      expect(ctx.smtp.to("libre2@example.fr")).toHaveLength(1);
      await gate.query(`SELECT pg_advisory_unlock(${CLAIM_GATE})`);

      expect(await firstRun).toBe(1);
      await ctx.smtp.waitFor("verrou@example.fr", "Verrou");
      expect(ctx.smtp.to("verrou@example.fr")).toHaveLength(1);
      expect(await ctx.deliverMails()).toBe(0);
    } finally {
      // Its end lets go of the gate if an assertion failed first (a session's advisory locks end with it).
      await gate.end();
      await ctx.db.$executeRawUnsafe(`DROP TRIGGER slow_claim ON "OutboxMail"`);
      await Promise.all([first.stop(), second.stop()]);
      await Promise.all([closeDatabase(firstDb), closeDatabase(secondDb)]);
    }
  });
});

describe("Mail delivery with a slow mail server and two workers", () => {
  it("delivers a mail whose DATA is answered after 6 s exactly once, without holding back the others", { timeout: 60_000 }, async () => {
    ctx.smtp.dataDelayMs = (subject) => (subject.includes("Lent") ? 6_000 : 0);
    try {
      await queueMail(ctx.db, "lent@example.fr", { subject: "Lent à livrer", blocks: ["Bonjour"] });
      await queueMail(ctx.db, "rapide1@example.fr", { subject: "Rapide un", blocks: ["Bonjour"] });
      await queueMail(ctx.db, "rapide2@example.fr", { subject: "Rapide deux", blocks: ["Bonjour"] });

      const run = ctx.deliverMails();
      // The others arrive while the slow one is still waiting for its answer.
      await ctx.smtp.waitFor("rapide1@example.fr", "Rapide un");
      await ctx.smtp.waitFor("rapide2@example.fr", "Rapide deux");
      expect(ctx.smtp.to("lent@example.fr")).toHaveLength(0);

      expect(await run).toBe(3);
      await ctx.smtp.waitFor("lent@example.fr", "Lent à livrer");
      // Later runs find nothing left to send.
      expect(await ctx.deliverMails()).toBe(0);
      expect(ctx.smtp.to("lent@example.fr")).toHaveLength(1);
      const rows = await ctx.db.outboxMail.findMany({ where: { to: { in: ["lent@example.fr", "rapide1@example.fr", "rapide2@example.fr"] } } });
      expect(rows.map((row) => [row.status, row.attempts])).toEqual([
        ["SENT", 1],
        ["SENT", 1],
        ["SENT", 1],
      ]);
    } finally {
      ctx.smtp.dataDelayMs = () => 0;
    }
  });

  it("delivers each of 30 mails exactly once with two delivery workers (two portal processes) on one database", async () => {
    const otherProcessDb = createDatabase(ctx.databaseUrl);
    const otherWorker = new MailDelivery(otherProcessDb, smtpSender(ctx.smtp.url), "Portail <portail@example.fr>", ctx.clock);
    ctx.smtp.dataDelayMs = () => 50;
    try {
      const addresses = Array.from({ length: 30 }, (_, index) => `lot${index}@example.fr`);
      for (const address of addresses) await queueMail(ctx.db, address, { subject: "Envoi groupé", blocks: ["Bonjour"] });

      const counts = await Promise.all([ctx.deliverMails(), otherWorker.deliverDue(), ctx.deliverMails(), otherWorker.deliverDue()]);
      expect(counts.reduce((a, b) => a + b, 0)).toBe(30);
      for (const address of addresses) expect(ctx.smtp.to(address), address).toHaveLength(1);
      expect(await ctx.db.outboxMail.count({ where: { to: { in: addresses }, status: "SENT", attempts: 1 } })).toBe(30);
    } finally {
      ctx.smtp.dataDelayMs = () => 0;
      await otherWorker.stop();
      await closeDatabase(otherProcessDb);
    }
  });
});
