/**
 * The idle logout (30 minutes) must not lose what was typed: a step posted
 * after the session ended sends the person to « Connexion », and once logged
 * in again the step shows what they had typed (not saved until « Suivant »).
 * With JavaScript, a warning offers « Rester connecté » before the end.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GOOD_PASSWORD, logIn, registerAndActivate } from "../support/accounts.js";
import { acceptTerms, fillProfile, step } from "../support/applicant.js";
import { csrfTokenIn, newBrowser, textOf, type Agent } from "../support/browserless.js";
import { createTestContext, MANY_REGISTRATIONS, type TestContext } from "../support/test-app.js";

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext({ throttleRules: MANY_REGISTRATIONS });
});
afterAll(async () => ctx.close());

let counter = 0;
/** An applicant with a renewal filled up to « Revenus », and the open page of a step. */
async function applicantAt(slug: string) {
  const email = `inactif${++counter}@example.fr`;
  const agent = newBrowser(ctx.app);
  await registerAndActivate(ctx, agent, { email });
  await fillProfile(agent, email);
  await acceptTerms(agent);
  await step(agent, "type", { type: "RENEWAL" });
  await step(agent, "navigo", { navigoNumber: "12345678" });
  await step(agent, "zonage", { statutCode: "AC", zonageCode: "Z1_5" });
  if (slug !== "revenus") {
    await step(agent, "revenus", { referenceTaxIncome: "20000", taxShares: "2" });
    await step(agent, "aidant", { aidantName: "", aidantEmail: "" });
  }
  const page = await agent.get(`/demande/etape/${slug}`);
  expect(page.status).toBe(200);
  return { agent, email, page };
}

/** What the idle timeout does: the session's row is gone from the store. */
async function sessionsExpire() {
  await ctx.db.$executeRaw`DELETE FROM "session"`;
}

/** Posts the step's form as the browser would: the page's hidden fields, same-site Origin. */
function postStep(agent: Agent, page: { text: string }, slug: string, fields: Record<string, string>, origin = "http://portail.test") {
  const hidden = Object.fromEntries([...page.text.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)].map((match) => [match[1]!, match[2]!]));
  return agent
    .post(`/demande/etape/${slug}`)
    .set("Host", "portail.test")
    .set("Origin", origin)
    .type("form")
    .send({ ...hidden, _csrf: csrfTokenIn(page.text), ...fields });
}

describe("A step posted after the session expired", () => {
  it("sends the person to « Connexion », then back to the step with what they had typed, not yet saved", async () => {
    const { agent, email, page } = await applicantAt("revenus");
    await sessionsExpire();
    const answer = await postStep(agent, page, "revenus", { referenceTaxIncome: "18 450", taxShares: "1,5", action: "suivant" });
    expect(answer.status).toBe(303);
    expect(answer.headers.location).toBe("/connexion");
    const login = await agent.get("/connexion");
    expect(textOf(login.text)).toContain("Votre session a expiré");
    expect(textOf(login.text)).toContain("ce que vous aviez saisi est conservé");

    const loggedIn = await logIn(agent, email);
    expect(loggedIn.headers.location).toBe("/demande/etape/revenus");
    const restored = await agent.get("/demande/etape/revenus");
    expect(restored.text).toContain('value="18 450"');
    expect(restored.text).toContain('value="1,5"');
    expect(textOf(restored.text)).toContain("voici ce que vous aviez saisi");
    const draft = await ctx.db.request.findFirstOrThrow({ where: { applicant: { email }, status: "DRAFT" } });
    expect(draft.referenceTaxIncome).toBeNull();
    expect(draft.completedSteps).not.toContain("revenus");

    const saved = await postStep(agent, restored, "revenus", { referenceTaxIncome: "18 450", taxShares: "1,5", action: "suivant" });
    expect(saved.headers.location).toBe("/demande/etape/aidant");
    expect((await ctx.db.request.findUniqueOrThrow({ where: { id: draft.id } })).referenceTaxIncome).toBe(18450);
    // Shown once: the next visit shows what is saved.
    expect(textOf((await agent.get("/demande/etape/revenus")).text)).not.toContain("voici ce que vous aviez saisi");
  });

  it("keeps the way back to the récapitulatif", async () => {
    const { agent, email } = await applicantAt("revenus");
    const page = await agent.get("/demande/etape/revenus?retour=recapitulatif");
    await sessionsExpire();
    await postStep(agent, page, "revenus", { referenceTaxIncome: "17 000", taxShares: "1", action: "suivant" });
    expect((await logIn(agent, email)).headers.location).toBe("/demande/etape/revenus?retour=recapitulatif");
  });

  it("never keeps the IBAN", async () => {
    const { agent, email, page } = await applicantAt("participation");
    await sessionsExpire();
    await postStep(agent, page, "participation", {
      directDebit: "oui",
      iban: "FR76 3000 6000 0112 3456 7890 189",
      bic: "AGRIFRPP",
      accountHolder: "Igrek Ikse",
      debitConsent: "on",
      action: "suivant",
    });
    await logIn(agent, email);
    const restored = await agent.get("/demande/etape/participation");
    expect(restored.text).toContain('value="AGRIFRPP"');
    expect(restored.text).toContain('value="Igrek Ikse"');
    expect(restored.text).not.toContain("3000 6000");
    const rows = await ctx.db.$queryRaw<{ sess: unknown }[]>`SELECT sess FROM "session"`;
    expect(JSON.stringify(rows)).not.toContain("3000 6000");
  });

  it("shows nothing of it to someone else who logs in on the same browser", async () => {
    const { agent, page } = await applicantAt("revenus");
    const other = await applicantAt("revenus");
    await sessionsExpire();
    await postStep(agent, page, "revenus", { referenceTaxIncome: "18 450", taxShares: "1,5", action: "suivant" });
    await logIn(agent, other.email, GOOD_PASSWORD);
    const seen = await agent.get("/demande/etape/revenus");
    expect(seen.text).not.toContain("18 450");
    expect(textOf(seen.text)).not.toContain("voici ce que vous aviez saisi");
  });

  it("keeps nothing from a post that came from another site, or without this browser's session cookie", async () => {
    const { agent, page } = await applicantAt("revenus");
    await sessionsExpire();
    const crossSite = await postStep(agent, page, "revenus", { referenceTaxIncome: "99 999", taxShares: "1", action: "suivant" }, "https://evil.example");
    expect(crossSite.status).toBe(403);
    expect(textOf(crossSite.text)).toContain("Le formulaire a expiré");
    const stranger = newBrowser(ctx.app);
    const noCookie = await postStep(stranger, page, "revenus", { referenceTaxIncome: "99 999", taxShares: "1", action: "suivant" });
    expect(noCookie.status).toBe(403);
    const rows = await ctx.db.$queryRaw<{ sess: unknown }[]>`SELECT sess FROM "session"`;
    expect(JSON.stringify(rows)).not.toContain("99 999");
  });
});

describe("A step posted with an expired form while logged in (a login in another tab)", () => {
  it("comes back to the step with what was typed, instead of « Le formulaire a expiré »", async () => {
    const { agent, email, page } = await applicantAt("revenus");
    const stale = page.text.replace(/name="_csrf" value="[^"]+"/, 'name="_csrf" value="jeton-d-une-autre-session"');
    const answer = await postStep(agent, { text: stale }, "revenus", { referenceTaxIncome: "16 300", taxShares: "1", action: "suivant" });
    expect(answer.status).toBe(303);
    expect(answer.headers.location).toBe("/demande/etape/revenus");
    const restored = await agent.get("/demande/etape/revenus");
    expect(restored.text).toContain('value="16 300"');
    expect(textOf(restored.text)).toContain("voici ce que vous aviez saisi");
    expect((await ctx.db.request.findFirstOrThrow({ where: { applicant: { email }, status: "DRAFT" } })).referenceTaxIncome).toBeNull();
  });
});

describe("The warning before the idle logout", () => {
  it("is in every page of a logged-in person, set to the idle timeout, with « Rester connecté »", async () => {
    const { page } = await applicantAt("revenus");
    expect(page.text).toMatch(/<dialog[^>]*id="idle-warning"[^>]*role="alertdialog"/);
    expect(page.text).toContain('data-idle-seconds="1800"');
    expect(page.text).toContain('data-warn-seconds="300"');
    expect(textOf(page.text)).toContain("Rester connecté");
    expect(textOf((await newBrowser(ctx.app).get("/")).text)).not.toContain("Rester connecté");
  });

  it("is not needed with « Mémoriser mes informations ? »", async () => {
    const { email } = await applicantAt("revenus");
    const remembered = newBrowser(ctx.app);
    await logIn(remembered, email, GOOD_PASSWORD, true);
    expect((await remembered.get("/mes-informations")).text).not.toContain('id="idle-warning"');
  });

  it("« Rester connecté » pushes the end of the session back (POST with the CSRF token)", async () => {
    const { agent, page } = await applicantAt("revenus");
    await ctx.db.$executeRaw`UPDATE "session" SET expire = now() + interval '2 minutes'`;
    const refused = await agent.post("/session/prolonger").type("form").send({});
    expect(refused.status).toBe(403);
    const answer = await agent
      .post("/session/prolonger")
      .type("form")
      .send({ _csrf: csrfTokenIn(page.text) });
    expect(answer.status).toBe(204);
    const [row] = await ctx.db.$queryRaw<{ minutes: number }[]>`SELECT EXTRACT(EPOCH FROM (max(expire) - now())) / 60 AS minutes FROM "session"`;
    expect(Number(row!.minutes)).toBeGreaterThan(25);
    await sessionsExpire();
    expect(
      (
        await agent
          .post("/session/prolonger")
          .type("form")
          .send({ _csrf: csrfTokenIn(page.text) })
      ).status,
    ).toBe(403);
  });
});
