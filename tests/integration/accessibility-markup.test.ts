/**
 * What automation (axe-core) cannot judge but a screen-reader user hears:
 * each row of a request table is named by its request number, and each link
 * or disclosure of a row says which request it belongs to (RGAA 5.7, 6.1).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { logIn } from "../support/accounts.js";
import { loggedInStaff, seedRequest } from "../support/back-office.js";
import { newBrowser, submitForm } from "../support/browserless.js";
import { createTestContext, type TestContext } from "../support/test-app.js";

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => ctx.close());

describe("Request tables, as a screen reader reads them", () => {
  it("name each row by its number, and each row's controls by the request", async () => {
    const { agent } = await loggedInStaff(ctx);
    const request = await seedRequest(ctx.db, { email: "lecteur@example.fr", status: "IN_REVIEW" });
    const number = request.number!;
    expect((await submitForm(agent, `/agent/demandes/${number}`, { status: "AWAITING_DOCUMENT", message: "Il manque l'avis." }, `/agent/demandes/${number}/statut`)).status).toBe(303);

    const applicant = newBrowser(ctx.app);
    await logIn(applicant, "lecteur@example.fr");
    const list = (await applicant.get("/mes-demandes")).text;
    expect(list).toMatch(new RegExp(`<th scope="row"[^>]*>[\\s\\S]*?<a href="/mes-demandes/${number}">${number}</a></th>`));
    expect(list).toContain(`Afficher les détails<span class="visually-hidden"> de la réponse pour la demande ${number}</span>`);
    expect(list).toContain(`Joindre un ou plusieurs fichiers<span class="visually-hidden"> à la demande ${number}</span>`);

    const queue = (await agent.get("/agent")).text;
    expect(queue).toMatch(new RegExp(`<th scope="row"[^>]*>[\\s\\S]*?<a href="/agent/demandes/${number}">${number}</a></th>`));
  });
});

describe("Deleting a file is confirmed first (RGAA 11.12)", () => {
  it("« Supprimer » opens a page that names the file; the file stays until « Supprimer définitivement »", async () => {
    const { registerAndActivate } = await import("../support/accounts.js");
    const { acceptTerms, fillProfile, step, upload } = await import("../support/applicant.js");
    const { pdfFile } = await import("../support/files.js");
    const { csrfTokenIn } = await import("../support/browserless.js");
    const browser = newBrowser(ctx.app);
    await registerAndActivate(ctx, browser, { email: "suppression@example.fr" });
    await fillProfile(browser, "suppression@example.fr");
    await acceptTerms(browser);
    for (const [slug, fields] of [
      ["type", { type: "FIRST" }],
      ["eligibilite", { statutCode: "PA", residentOneYear: "oui", taxable: "non", retired: "oui", otherTransportAid: "non" }],
      ["navigo", { navigoNumber: "12345678" }],
      ["zonage", { zonageCode: "Z2_5" }],
      ["revenus", { referenceTaxIncome: "9 850", taxShares: "1" }],
      ["aidant", { aidantName: "", aidantEmail: "" }],
      ["participation", { directDebit: "non" }],
    ] as const) {
      expect((await step(browser, slug, fields)).status).toBe(303);
    }
    expect((await upload(browser, "IDENTITY", [{ name: "carte-identite.pdf", content: pdfFile() }])).status).toBe(303);
    const document = await ctx.db.requestDocument.findFirstOrThrow({ where: { originalName: "carte-identite.pdf" } });

    const stepPage = (await browser.get("/demande/etape/justificatifs")).text;
    expect(stepPage).toContain(`href="/demande/justificatifs/fichier/${document.id}/supprimer"`);
    const confirm = await browser.get(`/demande/justificatifs/fichier/${document.id}/supprimer`);
    expect(confirm.status).toBe(200);
    expect(confirm.text).toContain("Supprimer le fichier « carte-identite.pdf » ?");
    expect(await ctx.db.requestDocument.count({ where: { id: document.id } })).toBe(1);

    const removed = await browser.post(`/demande/justificatifs/fichier/${document.id}/supprimer`).type("form").send({ _csrf: csrfTokenIn(confirm.text) });
    expect(removed.status).toBe(303);
    expect(await ctx.db.requestDocument.count({ where: { id: document.id } })).toBe(0);

    const stranger = newBrowser(ctx.app);
    await logIn(stranger, "lecteur@example.fr");
    expect((await stranger.get(`/demande/justificatifs/fichier/${document.id}/supprimer`)).status).toBe(404);
  });
});
