/**
 * « Réponse du département » is the answer of the request's current status:
 * once validated, the applicant sees the validation and its dates, not the
 * old « pièce manquante » message, in the list, on the request's page and in
 * the mail.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { logIn } from "../support/accounts.js";
import { loggedInStaff, postStatus, seedRequest } from "../support/back-office.js";
import { newBrowser, textOf, type Agent } from "../support/browserless.js";
import { createTestContext, type TestContext } from "../support/test-app.js";

let ctx: TestContext;
let agent: Agent;
beforeAll(async () => {
  ctx = await createTestContext();
  ({ agent } = await loggedInStaff(ctx));
});
afterAll(async () => ctx.close());

const changeStatus = (number: string, fields: Record<string, string>) => postStatus(agent, number, fields);

describe("The department's answer follows the current status", () => {
  it("a request validated after a missing document shows the validation and its dates, not the old request for a document", async () => {
    const request = await seedRequest(ctx.db, { email: "reponse@example.fr", status: "IN_REVIEW" });
    const number = request.number!;
    const missing = "Merci de joindre votre avis d'imposition 2025.";
    expect((await changeStatus(number, { status: "AWAITING_DOCUMENT", message: missing })).status).toBe(303);
    await ctx.db.request.update({ where: { id: request.id }, data: { status: "DOCUMENT_RECEIVED" } });
    expect((await changeStatus(number, { status: "APPROVED", validFrom: "01/01/2027", validUntil: "31/12/2027" })).status).toBe(303);

    const applicant = newBrowser(ctx.app);
    await logIn(applicant, "reponse@example.fr");
    const finished = textOf((await applicant.get("/mes-demandes/terminees")).text);
    expect(finished).toContain("Validée");
    expect(finished).toContain("Droit valable du 01/01/2027 au 31/12/2027");
    expect(finished).not.toContain(missing);

    const page = textOf((await applicant.get(`/mes-demandes/${number}`)).text);
    const current = page.slice(page.indexOf("Réponse du département"), page.indexOf("Historique des réponses"));
    expect(current).toContain("Validée");
    expect(current).toContain("Droit valable du 01/01/2027 au 31/12/2027");
    expect(current).not.toContain(missing);

    await ctx.deliverMails();
    const mail = await ctx.smtp.waitFor("reponse@example.fr", "Validée");
    expect(mail.text).toContain("du 01/01/2027 au 31/12/2027");
  });

  it("a request moved on without a message shows no earlier status's message as its answer", async () => {
    const request = await seedRequest(ctx.db, { email: "reponse2@example.fr", status: "IN_REVIEW" });
    const number = request.number!;
    const missing = "Il manque votre carte d'invalidité.";
    expect((await changeStatus(number, { status: "AWAITING_DOCUMENT", message: missing })).status).toBe(303);
    await ctx.db.request.update({ where: { id: request.id }, data: { status: "DOCUMENT_RECEIVED" } });
    expect((await changeStatus(number, { status: "IN_REVIEW" })).status).toBe(303);

    const applicant = newBrowser(ctx.app);
    await logIn(applicant, "reponse2@example.fr");
    const list = textOf((await applicant.get("/mes-demandes")).text);
    expect(list).toContain("En cours d'instruction");
    expect(list).not.toContain(missing);
  });
});
