/**
 * One open request at a time: while a request is submitted and not yet
 * validated, refused or closed, « Créer ou compléter ma demande » says where it
 * stands instead of starting another; a renewal after a final answer is fine.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { changeStatus } from "../../src/features/status/status-service.js";
import { registerAndActivate } from "../support/accounts.js";
import { fillFirstRequest, fillProfile, step } from "../support/applicant.js";
import { createStaff } from "../support/back-office.js";
import { csrfTokenIn, newBrowser, submitForm, textOf } from "../support/browserless.js";
import { createTestContext, MANY_REGISTRATIONS, PUBLIC_URL, type TestContext } from "../support/test-app.js";

let ctx: TestContext;
let staffId: string;
beforeAll(async () => {
  ctx = await createTestContext({ throttleRules: MANY_REGISTRATIONS });
  staffId = (await createStaff(ctx.db, "agent@cd93.fr")).id;
});
afterAll(async () => ctx.close());

let counter = 0;
/** An applicant whose first request is submitted (« Déposée »). */
async function withSubmittedRequest() {
  const email = `ouverte${++counter}@example.fr`;
  const agent = newBrowser(ctx.app);
  await registerAndActivate(ctx, agent, { email });
  await fillProfile(agent, email);
  await fillFirstRequest(agent);
  const page = await agent.get("/demande/etape/avis");
  const draftId = /name="draftId" value="([^"]+)"/.exec(page.text)![1]!;
  const sent = await agent
    .post("/demande/etape/avis")
    .type("form")
    .send({ _csrf: csrfTokenIn(page.text), draftId, action: "envoyer" });
  const number = /DEM-\d{10}/.exec(sent.headers.location!)![0];
  const request = await ctx.db.request.findFirstOrThrow({ where: { number } });
  return { agent, email, number, request };
}

const move = (requestId: string, to: "IN_REVIEW" | "APPROVED" | "AWAITING_DOCUMENT", message?: string) =>
  ctx.db.$transaction((tx) => changeStatus(tx, { requestId, to, actor: "agent", actorId: staffId, message, publicUrl: PUBLIC_URL }));

async function requestsOf(email: string) {
  return ctx.db.request.findMany({ where: { applicant: { email } } });
}

function expectOpenRequestPage(page: { text: string }, number: string, status: string) {
  const text = textOf(page.text);
  expect(text).toContain("Vous avez déjà une demande en cours");
  expect(text).toContain(number);
  expect(text).toContain(status);
  expect(page.text).toContain(`href="/mes-demandes/${number}"`);
}

describe("While a request is open", () => {
  it("« Créer ou compléter ma demande » says where it stands instead of starting another", async () => {
    const { agent, email, number, request } = await withSubmittedRequest();
    const page = await agent.get("/demande");
    expect(page.status).toBe(200);
    expectOpenRequestPage(page, number, "Déposée");
    expect(page.text).not.toContain('name="acceptTerms"');

    await move(request.id, "IN_REVIEW");
    expectOpenRequestPage(await agent.get("/demande"), number, "En cours d'instruction");
    await move(request.id, "AWAITING_DOCUMENT", "Merci d'envoyer votre avis d'imposition.");
    expectOpenRequestPage(await agent.get("/demande"), number, "En attente de pièce complémentaire");
    expect(await requestsOf(email)).toHaveLength(1);
  });

  it("refuses the forms too: the terms, any step, any upload", async () => {
    const { agent, email, number } = await withSubmittedRequest();
    const terms = await submitForm(agent, "/mes-informations", { acceptTerms: "on" }, "/demande");
    expect(terms.status).toBe(409);
    expectOpenRequestPage(terms, number, "Déposée");
    expect(await requestsOf(email)).toHaveLength(1);

    const stepPage = await agent.get("/demande/etape/type");
    expectOpenRequestPage(stepPage, number, "Déposée");
    const stepPost = await step(agent, "type", { type: "RENEWAL" });
    expect(stepPost.status).toBe(409);
    const upload = await agent
      .post("/demande/justificatifs/IDENTITY")
      .field("_csrf", csrfTokenIn((await agent.get("/mes-informations")).text))
      .attach("fichiers", Buffer.from("%PDF-1.4\n%%EOF\n"), "piece.pdf");
    expect(upload.status).toBe(409);
    expect(await requestsOf(email)).toHaveLength(1);
  });

  it("never submits a second one, even from a draft left from before", async () => {
    const { agent, email, number, request } = await withSubmittedRequest();
    // A draft started before the rule existed, complete and ready to send.
    await ctx.db.request.create({
      data: {
        applicantId: request.applicantId,
        termsAcceptedAt: new Date(),
        termsVersion: "2026-11",
        type: "RENEWAL",
        navigoNumber: "87654321",
        statutCode: "AC",
        zonageCode: "Z1_5",
        referenceTaxIncome: 20000,
        taxShares: 2,
        directDebit: false,
        completedSteps: ["type", "navigo", "zonage", "revenus", "aidant", "participation", "justificatifs", "recapitulatif"],
      },
    });
    const draft = await ctx.db.request.findFirstOrThrow({ where: { applicantId: request.applicantId, status: "DRAFT" } });
    const token = csrfTokenIn((await agent.get("/mes-informations")).text);
    const answer = await agent.post("/demande/etape/avis").type("form").send({ _csrf: token, draftId: draft.id, action: "envoyer" });
    expect(answer.status).toBe(409);
    expectOpenRequestPage(answer, number, "Déposée");
    expect((await requestsOf(email)).filter((row) => row.status !== "DRAFT")).toHaveLength(1);
  });

  it("is enforced by the database as well: two open requests of one applicant cannot be stored", async () => {
    const { request } = await withSubmittedRequest();
    const { id: _id, number: _number, createdAt: _c, updatedAt: _u, ...copy } = request;
    await expect(
      ctx.db.request.create({ data: { ...copy, status: "IN_REVIEW", eligibility: undefined, pendingInput: undefined, profileSnapshot: undefined } }),
    ).rejects.toMatchObject({ code: "P2002" });
  });
});

describe("Once the request has its final answer", () => {
  it("a renewal can start", async () => {
    const { agent, email, request } = await withSubmittedRequest();
    await move(request.id, "IN_REVIEW");
    await ctx.db.$transaction((tx) =>
      changeStatus(tx, {
        requestId: request.id,
        to: "APPROVED",
        actor: "agent",
        actorId: staffId,
        publicUrl: PUBLIC_URL,
        data: { validFrom: new Date("2026-12-01"), validUntil: new Date("2027-11-30") },
      }),
    );
    const terms = await agent.get("/demande");
    expect(terms.status).toBe(200);
    expect(terms.text).toContain('name="acceptTerms"');
    const accepted = await submitForm(agent, "/demande", { acceptTerms: "on" });
    expect(accepted.status).toBe(303);
    expect((await step(agent, "type", { type: "RENEWAL" })).headers.location).toBe("/demande/etape/navigo");
    expect(await requestsOf(email)).toHaveLength(2);
  });
});
