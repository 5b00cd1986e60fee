/**
 * « Modifier » on the récapitulatif brings the applicant back to it once the
 * changed step is valid, unless the change makes another step necessary
 * (a RIB after choosing direct debit): that one comes first.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registerAndActivate } from "../support/accounts.js";
import { fillFirstRequest, fillProfile, step } from "../support/applicant.js";
import { csrfTokenIn, newBrowser, textOf, type Agent } from "../support/browserless.js";
import { pdfFile } from "../support/files.js";
import { createTestContext, MANY_REGISTRATIONS, type TestContext } from "../support/test-app.js";

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext({ throttleRules: MANY_REGISTRATIONS });
});
afterAll(async () => ctx.close());

let counter = 0;
async function atSummary(): Promise<Agent> {
  const email = `recap${++counter}@example.fr`;
  const agent = newBrowser(ctx.app);
  await registerAndActivate(ctx, agent, { email });
  await fillProfile(agent, email);
  await fillFirstRequest(agent);
  return agent;
}

/** Follows « Modifier » for a group of the summary, then posts the step's form as the page gives it. */
async function modify(agent: Agent, slug: string, fields: Record<string, string>, action = "suivant") {
  const summary = await agent.get("/demande/etape/recapitulatif");
  const link = new RegExp(`href="(/demande/etape/${slug}[^"]*)"[^>]*>Modifier`).exec(summary.text)?.[1]?.replace(/&amp;/g, "&");
  expect(link, `Modifier ${slug}`).toBeDefined();
  const page = await agent.get(link!);
  expect(page.status).toBe(200);
  const hidden = [...page.text.matchAll(/<input type="hidden" name="(retour)" value="([^"]*)"/g)].map((match) => [match[1]!, match[2]!]);
  return agent
    .post(`/demande/etape/${slug}`)
    .type("form")
    .send({ _csrf: csrfTokenIn(page.text), ...Object.fromEntries(hidden), ...fields, action });
}

describe("« Modifier » from the récapitulatif", () => {
  it("comes back to the récapitulatif once the change is valid", async () => {
    const agent = await atSummary();
    const answer = await modify(agent, "revenus", { referenceTaxIncome: "11 200", taxShares: "2" });
    expect(answer.status).toBe(303);
    expect(answer.headers.location).toBe("/demande/etape/recapitulatif");
    expect(textOf((await agent.get("/demande/etape/recapitulatif")).text)).toContain("11 200 €");
  });

  it("keeps the way back through an error on the changed step", async () => {
    const agent = await atSummary();
    const refused = await modify(agent, "aidant", { aidantName: "Dupont", aidantEmail: "pas-une-adresse" });
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('name="retour" value="recapitulatif"');
    const fixed = await agent
      .post("/demande/etape/aidant")
      .type("form")
      .send({ _csrf: csrfTokenIn(refused.text), retour: "recapitulatif", aidantName: "Dupont", aidantEmail: "aidant@example.fr", action: "suivant" });
    expect(fixed.headers.location).toBe("/demande/etape/recapitulatif");
  });

  it("goes first to a step the change made necessary (a RIB), then back to the récapitulatif", async () => {
    const agent = await atSummary();
    const answer = await modify(agent, "participation", {
      directDebit: "oui",
      iban: "FR76 3000 6000 0112 3456 7890 189",
      bic: "AGRIFRPP",
      accountHolder: "Igrek Ikse",
      debitConsent: "on",
    });
    expect(answer.headers.location).toBe("/demande/etape/justificatifs?retour=recapitulatif");
    const documents = await agent.get(answer.headers.location!);
    const uploadAction = /action="(\/demande\/justificatifs\/RIB[^"]*)"/.exec(documents.text)![1]!.replace(/&amp;/g, "&");
    const uploaded = await agent.post(uploadAction).field("_csrf", csrfTokenIn(documents.text)).attach("fichiers", pdfFile("RIB"), "rib.pdf");
    expect(uploaded.status).toBe(303);
    expect(uploaded.headers.location).toBe("/demande/etape/justificatifs?retour=recapitulatif#section-RIB");
    const page = await agent.get("/demande/etape/justificatifs?retour=recapitulatif");
    const next = await agent
      .post("/demande/etape/justificatifs")
      .type("form")
      .send({ _csrf: csrfTokenIn(page.text), retour: /name="retour" value="([^"]*)"/.exec(page.text)?.[1] ?? "", action: "suivant" });
    expect(next.headers.location).toBe("/demande/etape/recapitulatif");
  });

  it("goes first to a step before the récapitulatif that is still incomplete, keeping the way back", async () => {
    const agent = await atSummary();
    await ctx.db.request.updateMany({
      where: { status: "DRAFT", navigoNumber: { not: null } },
      data: { completedSteps: ["type", "eligibilite", "navigo", "zonage", "revenus"] },
    });
    const answer = await agent
      .post("/demande/etape/navigo")
      .type("form")
      .send({ _csrf: csrfTokenIn((await agent.get("/demande/etape/navigo")).text), retour: "recapitulatif", navigoNumber: "12345678", action: "suivant" });
    expect(answer.headers.location).toBe("/demande/etape/aidant?retour=recapitulatif");
  });

  it("leaves « Suivant » as it was without it: the next step", async () => {
    const agent = await atSummary();
    const answer = await step(agent, "revenus", { referenceTaxIncome: "11 200", taxShares: "2" });
    expect(answer.headers.location).toBe("/demande/etape/aidant");
  });
});
