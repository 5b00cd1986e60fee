/**
 * An agent's final decision (« Validée », « Refusée », « Classée sans suite »)
 * is mailed at once and cannot be undone, so it is restated first and only
 * recorded once confirmed (RGAA 11.12).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loggedInStaff, postStatus, seedRequest } from "../support/back-office.js";
import { csrfTokenIn, textOf, type Agent } from "../support/browserless.js";
import { createTestContext, type TestContext } from "../support/test-app.js";

let ctx: TestContext;
let agent: Agent;
beforeAll(async () => {
  ctx = await createTestContext();
  ({ agent } = await loggedInStaff(ctx));
});
afterAll(async () => ctx.close());

const post = (number: string, fields: Record<string, string>) => postStatus(agent, number, fields, { confirm: false });

describe("Final decisions are confirmed first", () => {
  it.each([
    ["APPROVED", { validFrom: "01/01/2027", validUntil: "31/12/2027" }, "Validée", "Droit valable du 01/01/2027 au 31/12/2027"],
    ["REFUSED", { message: "Vous êtes imposable." }, "Refusée", "Vous êtes imposable."],
    ["CLOSED", {}, "Classée sans suite", "ne pourra plus changer de statut"],
  ] as const)("%s: restated, nothing recorded nor mailed, then recorded once confirmed", async (status, fields, label, restated) => {
    const request = await seedRequest(ctx.db, { status: "IN_REVIEW", lastName: "Morel", firstName: "Lucie" });
    const number = request.number!;
    const mailsBefore = await ctx.db.outboxMail.count();

    const asked = await post(number, { status, ...fields });
    expect(asked.status).toBe(200);
    const text = textOf(asked.text);
    expect(text).toContain("Confirmer la décision");
    expect(text).toContain(`La demande ${number} de Lucie MOREL passera au statut « ${label} »`);
    expect(text).toContain(restated);
    expect((await ctx.db.request.findUniqueOrThrow({ where: { id: request.id } })).status).toBe("IN_REVIEW");
    expect(await ctx.db.outboxMail.count()).toBe(mailsBefore);

    const confirmed = await agent
      .post(`/agent/demandes/${number}/statut`)
      .type("form")
      .send({
        _csrf: csrfTokenIn(asked.text),
        ...Object.fromEntries([...asked.text.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((m) => [m[1], m[2]])),
      });
    expect(confirmed.status).toBe(303);
    expect((await ctx.db.request.findUniqueOrThrow({ where: { id: request.id } })).status).toBe(status);
    expect(await ctx.db.outboxMail.count()).toBe(mailsBefore + 1);
  });

  it("a decision that cannot be taken is refused at the field before any confirmation", async () => {
    const request = await seedRequest(ctx.db, { status: "IN_REVIEW" });
    const refused = await post(request.number!, { status: "REFUSED", message: " " });
    expect(refused.status).toBe(422);
    expect(textOf(refused.text)).not.toContain("Confirmer la décision");
  });

  it("a step that is not final is recorded at once", async () => {
    const request = await seedRequest(ctx.db, { status: "IN_REVIEW" });
    expect((await post(request.number!, { status: "AWAITING_DOCUMENT", message: "Il manque l'avis." })).status).toBe(303);
  });
});
