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
