/**
 * The permanent guard against 500s: a seeded fuzz over every route, as an
 * anonymous visitor, an applicant (with a draft and a request awaiting a
 * document), an agent and an administrator. No answer may be a 5xx or show a
 * stack trace, nothing may be logged as an error, and nothing may reach the
 * console with a stack trace (Express's own last handler).
 * `npm run fuzz` runs the long version (FUZZ_COUNT, FUZZ_SEED) and prints the
 * status counts.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { GOOD_PASSWORD, logIn } from "../support/accounts.js";
import { fillFirstRequest, fillProfile } from "../support/applicant.js";
import { createStaff, seedRequest } from "../support/back-office.js";
import { newBrowser } from "../support/browserless.js";
import { fuzz, ODD_VALUES, type Identity } from "../support/fuzz.js";
import { captureLogs } from "../support/log-capture.js";
import { registerAndActivate } from "../support/accounts.js";
import { createTestContext, MANY_REGISTRATIONS, type TestContext } from "../support/test-app.js";

const COUNT = Number(process.env.FUZZ_COUNT ?? 2000);
const SEED = Number(process.env.FUZZ_SEED ?? 93);

let ctx: TestContext;
const logs = captureLogs();
beforeAll(async () => {
  const generous = { points: 100_000, durationSeconds: 60, blockSeconds: 1 };
  ctx = await createTestContext({
    throttleRules: Object.fromEntries(Object.keys(MANY_REGISTRATIONS).map((name) => [name, generous])) as unknown as typeof MANY_REGISTRATIONS,
    logger: logs.logger,
  });
});
afterAll(async () => ctx?.close());

/** A fuzzed identity, with the page its session should still open at the end (null: anonymous). */
async function identity(name: string, email: string | null, home: string | null = null): Promise<Identity & { email: string | null; home: string | null }> {
  const person = {
    email,
    home,
    name,
    agent: newBrowser(ctx.app),
    // A fresh browser: the fuzz may have changed the e-mail or password, or ended the session.
    relogin: async () => {
      person.agent = newBrowser(ctx.app);
      if (email) await logIn(person.agent, email, GOOD_PASSWORD);
    },
  };
  await person.relogin();
  return person;
}

describe("Fuzz", () => {
  it("never sends the fuzzed accounts' password, so no fuzzed form can delete an account or change its password", () => {
    expect(ODD_VALUES.filter((value) => value.includes(GOOD_PASSWORD))).toEqual([]);
  });

  it(`${COUNT} odd requests over every route and role (seed ${SEED}): no 5xx, no stack trace`, { timeout: Math.max(120_000, COUNT * 100) }, async () => {
    const applicantBrowser = newBrowser(ctx.app);
    await registerAndActivate(ctx, applicantBrowser, { email: "fuzz@example.fr" });
    await fillProfile(applicantBrowser, "fuzz@example.fr");
    await fillFirstRequest(applicantBrowser, { directDebit: true });
    const awaiting = await seedRequest(ctx.db, { email: "fuzz.attente@example.fr", status: "AWAITING_DOCUMENT" });
    const submitted = await seedRequest(ctx.db, { email: "fuzz.depose@example.fr" });
    await createStaff(ctx.db, "fuzz.agent@cd93.fr");
    await createStaff(ctx.db, "fuzz.admin@cd93.fr", "ADMIN");
    const document = await ctx.db.requestDocument.findFirst();

    const identities = [
      await identity("anonyme", null),
      await identity("demandeur (brouillon)", "fuzz@example.fr", "/mes-demandes"),
      await identity("demandeur (pièce attendue)", "fuzz.attente@example.fr", "/mes-demandes"),
      await identity("agent", "fuzz.agent@cd93.fr", "/agent"),
      await identity("administrateur", "fuzz.admin@cd93.fr", "/admin/agents"),
    ];
    const logged: string[] = [];
    const spy = vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => {
      logged.push(args.map((arg) => (arg instanceof Error ? String(arg.stack) : String(arg))).join(" "));
    });
    try {
      const report = await fuzz({
        app: ctx.app,
        identities,
        seed: SEED,
        count: COUNT,
        params: {
          number: [awaiting.number!, submitted.number!],
          id: document ? [document.id] : [],
          section: ["IDENTITY", "TAX_NOTICE", "NAVIGO", "ADDRESS", "SITUATION", "RIB", "COMPLEMENT"],
          slug: ["type", "eligibilite", "navigo", "zonage", "revenus", "aidant", "participation", "justificatifs", "recapitulatif", "avis"],
        },
        // Logging out only ends the fuzz's own session; it is covered by the login tests.
        skip: (route) => route.path === "/deconnexion",
      });
      console.log(
        `fuzz: ${COUNT} requêtes sur ${report.routes} routes (graine ${SEED}) : ${Object.entries(report.statusCounts)
          .map(([status, count]) => `${count} × ${status}`)
          .join(", ")}`,
      );
      expect(report.failures, JSON.stringify(report.failures.slice(0, 10), null, 2)).toEqual([]);
      expect(
        logged.filter((line) => /\n\s+at /.test(line)),
        logged.slice(0, 5).join("\n---\n"),
      ).toEqual([]);
      const errors = logs.entries().filter((entry) => Number(entry.level) >= 50);
      expect(errors, JSON.stringify(errors.slice(0, 5), null, 2)).toEqual([]);
      // The run meant what it says only if every identity stayed itself to the end: no account deleted nor its password changed by a fuzzed form.
      for (const person of identities.filter((candidate) => candidate.email !== null)) {
        const home = await person.agent.get(person.home!).redirects(0);
        expect(home.status, `${person.name} : ${home.headers.location ?? ""}`).toBe(200);
        expect(await ctx.db.user.count({ where: { email: person.email!, deletedAt: null } }), person.name).toBe(1);
        expect((await logIn(newBrowser(ctx.app), person.email!, GOOD_PASSWORD)).status, person.name).toBe(303);
      }
      expect(await ctx.db.request.count({ where: { applicant: { email: "fuzz@example.fr" }, status: "DRAFT" } })).toBe(1);
    } finally {
      spy.mockRestore();
    }
  });
});
