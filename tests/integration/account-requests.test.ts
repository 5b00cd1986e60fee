/**
 * A registration or a reset answered « Nous vous avons envoyé un e-mail » is
 * never lost, although the work is done after the answer (so that its timing
 * tells nothing): when that work fails (here the accounts and their links are
 * locked against writes past the transaction's time limit, as in a database
 * outage or a crash), the recorded request is done by the next sweep, and
 * only once.
 */
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { doLeftoverAccountRequests } from "../../src/features/account/account-requests.js";
import { AfterResponse } from "../../src/lib/after-response.js";
import { registerAndActivate } from "../support/accounts.js";
import { newBrowser, submitForm } from "../support/browserless.js";
import { createTestContext, PUBLIC_URL, type TestContext } from "../support/test-app.js";

/** The work done after the answers, so that a test can wait for its end. */
const afterResponse = new AfterResponse();
let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext({ afterResponse });
  await registerAndActivate(ctx, newBrowser(ctx.app), { email: "oubli@example.fr" });
});
afterAll(async () => ctx.close());

describe("Acknowledged account requests survive a failure after the answer", () => {
  it.each([
    ["/inscription", { lastName: "Durable", firstName: "Denise", email: "durable@example.fr" }, "durable@example.fr", "Créez votre mot de passe"],
    ["/mot-de-passe-oublie", { email: "oubli@example.fr" }, "oubli@example.fr", "Modification de votre mot de passe"],
  ] as const)(
    "%s: done by the next sweep when the work after the answer failed, and mailed once",
    async (path, fields, to, subject) => {
      const browser = newBrowser(ctx.app);
      const locker = new pg.Client({ connectionString: ctx.databaseUrl });
      await locker.connect();
      await locker.query("BEGIN");
      // Writes to the accounts and their links wait (reads go on: every page reads its session with its person).
      await locker.query('LOCK TABLE "User", "AccountToken" IN SHARE MODE');
      try {
        const answer = await submitForm(browser, path, fields);
        expect(answer.status).toBe(303);
        // The work after the answer waits on the lock until its transaction gives up: the lock is held until it has
        // (a fixed sleep here was a guess that a loaded machine can lose: the work then ran after the lock and succeeded).
        await afterResponse.idle();
      } finally {
        await locker.query("ROLLBACK");
        await locker.end();
      }
      await ctx.deliverMails();
      const before = ctx.smtp.mails.filter((mail) => mail.to.includes(to) && mail.subject.includes(subject)).length;

      ctx.clock.advance(60_000);
      expect(await doLeftoverAccountRequests({ db: ctx.db, clock: ctx.clock, publicUrl: PUBLIC_URL })).toBe(1);
      expect(await doLeftoverAccountRequests({ db: ctx.db, clock: ctx.clock, publicUrl: PUBLIC_URL })).toBe(0);
      await ctx.deliverMails();
      const after = ctx.smtp.mails.filter((mail) => mail.to.includes(to) && mail.subject.includes(subject)).length;
      expect(after - before).toBe(1);
    },
    60_000,
  );
});
