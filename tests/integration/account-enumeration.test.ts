/**
 * « Mot de passe oublié ? » and « Je crée mon compte » must not tell whether
 * an address has an account, not even by their timing (issue 7, item 6):
 * they answer before looking the address up. Shown without measuring time:
 * while the work after the answer is held back, the answer still comes, for
 * a known and an unknown address alike, and none of the statements the portal
 * sent before it looks an address up; the mail follows once the work is let
 * go. And one source address may only ask for so many addresses.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TOKEN_LIFETIME_MS } from "../../src/features/account/account-service.js";
import { AfterResponse } from "../../src/lib/after-response.js";
import { defaultThrottleRules } from "../../src/middleware/rate-limit.js";
import { registerAndActivate } from "../support/accounts.js";
import { csrfTokenIn, linkIn, newBrowser, submitForm, textOf } from "../support/browserless.js";
import { recordQueries } from "../support/query-count.js";
import { createTestContext, type TestContext } from "../support/test-app.js";

/** The work after an answer, held back until the test lets it go. */
class HeldWork extends AfterResponse {
  private gate: Promise<void> = Promise.resolve();
  private open: () => void = () => undefined;

  hold(): void {
    this.gate = new Promise((resolve) => (this.open = resolve));
  }

  release(): void {
    this.open();
  }

  override run(...[res, work]: Parameters<AfterResponse["run"]>): void {
    const gate = this.gate;
    super.run(res, async () => {
      await gate;
      return work();
    });
  }
}
const heldWork = new HeldWork();

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext({
    afterResponse: heldWork,
    env: { TRUST_PROXY: "true" },
    throttleRules: {
      ...defaultThrottleRules,
      resetPerIp: { points: 3, durationSeconds: 3600, blockSeconds: 3600 },
      registrationPerIp: { points: 3, durationSeconds: 3600, blockSeconds: 3600 },
    },
  });
  await registerAndActivate(ctx, newBrowser(ctx.app), { email: "connue@example.fr", firstName: "Rose" });
});
afterAll(async () => ctx.close());

/** A statement that looks an account up by its address. */
const ADDRESS_LOOKUP = /"email"\s*=/;

/**
 * Posts the form of `page` while the work after the answer is held back (so
 * the answer cannot wait for it), and counts the statements sent before the
 * answer that looked an address up (the session's own read finds its person by id).
 */
async function postWhileWorkHeld(page: string, fields: Record<string, string>, ip: string) {
  const browser = newBrowser(ctx.app);
  const form = await browser.get(page).set("X-Forwarded-For", ip);
  heldWork.hold();
  const recording = recordQueries();
  try {
    const answer = await browser
      .post(page)
      .set("X-Forwarded-For", ip)
      .type("form")
      .send({ _csrf: csrfTokenIn(form.text), ...fields });
    recording.stop();
    return { lookupsBeforeAnswer: recording.sent.filter((query) => ADDRESS_LOOKUP.test(query.text)).length, answer };
  } finally {
    recording.stop();
    heldWork.release();
    // The work let go looks the address up: it must be over before the next
    // post's recording starts, or that post is charged with this lookup.
    await heldWork.idle();
  }
}

describe("Mot de passe oublié : rien ne distingue une adresse connue", () => {
  it("answers before looking the address up, known or not, and the known one still gets its mail", async () => {
    const known = await postWhileWorkHeld("/mot-de-passe-oublie", { email: "connue@example.fr" }, "198.51.100.61");
    const unknown = await postWhileWorkHeld("/mot-de-passe-oublie", { email: "inconnue@example.fr" }, "198.51.100.62");
    for (const { lookupsBeforeAnswer, answer } of [known, unknown]) {
      expect(lookupsBeforeAnswer).toBe(0);
      expect(answer.status).toBe(303);
      expect(answer.headers.location).toBe("/mot-de-passe-oublie/email-envoye");
    }
    await ctx.deliverMails();
    expect((await ctx.smtp.waitFor("connue@example.fr", "Modification de votre mot de passe")).text).toContain("Bonjour Rose,");
    expect(ctx.smtp.to("inconnue@example.fr")).toHaveLength(0);
  }, 40_000);

  it("limits one source address across the addresses it asks for (429)", async () => {
    const ip = "198.51.100.70";
    const statuses: number[] = [];
    for (const email of ["a@example.fr", "b@example.fr", "connue@example.fr", "d@example.fr"]) {
      const browser = newBrowser(ctx.app);
      const page = await browser.get("/mot-de-passe-oublie").set("X-Forwarded-For", ip);
      statuses.push(
        (
          await browser
            .post("/mot-de-passe-oublie")
            .set("X-Forwarded-For", ip)
            .type("form")
            .send({ _csrf: csrfTokenIn(page.text), email })
        ).status,
      );
    }
    expect(statuses).toEqual([303, 303, 303, 429]);
    // Another source is not affected.
    const elsewhere = await submitForm(newBrowser(ctx.app), "/mot-de-passe-oublie", { email: "e@example.fr" });
    expect(elsewhere.status).toBe(303);
  });
});

describe("Je crée mon compte : rien ne distingue une adresse connue", () => {
  it("answers before looking the address up, known or not, and each address gets its mail", async () => {
    const person = { lastName: "Ikse", firstName: "Igrek" };
    const known = await postWhileWorkHeld("/inscription", { ...person, email: "connue@example.fr" }, "198.51.100.81");
    const fresh = await postWhileWorkHeld("/inscription", { ...person, email: "nouvelle@example.fr" }, "198.51.100.82");
    for (const { lookupsBeforeAnswer, answer } of [known, fresh]) {
      expect(lookupsBeforeAnswer).toBe(0);
      expect(answer.status).toBe(303);
      expect(answer.headers.location).toBe("/inscription/email-envoye");
    }
    await ctx.deliverMails();
    await ctx.smtp.waitFor("connue@example.fr", "Vous avez déjà un compte");
    await ctx.smtp.waitFor("nouvelle@example.fr", "Créez votre mot de passe");
  }, 40_000);

  it("limits one source address across the addresses it registers (429)", async () => {
    const ip = "198.51.100.90";
    const statuses: number[] = [];
    let last = "";
    for (const email of ["r1@example.fr", "r2@example.fr", "r3@example.fr", "r4@example.fr"]) {
      const browser = newBrowser(ctx.app);
      const page = await browser.get("/inscription").set("X-Forwarded-For", ip);
      const answer = await browser
        .post("/inscription")
        .set("X-Forwarded-For", ip)
        .type("form")
        .send({ _csrf: csrfTokenIn(page.text), lastName: "Ikse", firstName: "Igrek", email });
      statuses.push(answer.status);
      last = answer.text;
    }
    expect(statuses).toEqual([303, 303, 303, 429]);
    expect(textOf(last)).toContain("Trop de tentatives.");
  });

  it("limits « Recevoir un nouveau lien » per source address like registrations (no mail bombing with an expired link)", async () => {
    await submitForm(newBrowser(ctx.app), "/inscription", { lastName: "Tard", firstName: "Jean", email: "relance@example.fr" });
    await ctx.deliverMails();
    const link = linkIn((await ctx.smtp.waitFor("relance@example.fr", "Créez")).text, "/inscription/confirmer?token=");
    ctx.clock.advance(TOKEN_LIFETIME_MS.VERIFY_EMAIL + 1000);
    const ip = "198.51.100.95";
    const browser = newBrowser(ctx.app);
    const expired = await browser.get(link).set("X-Forwarded-For", ip);
    const tokenId = /name="tokenId" value="([^"]+)"/.exec(expired.text)![1]!;
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      statuses.push(
        (
          await browser
            .post("/inscription/nouveau-lien")
            .set("X-Forwarded-For", ip)
            .type("form")
            .send({ _csrf: csrfTokenIn(expired.text), tokenId })
        ).status,
      );
    }
    expect(statuses).toEqual([303, 303, 303, 429]);
    await ctx.deliverMails();
    expect(ctx.smtp.to("relance@example.fr")).toHaveLength(4);
  });
});
