/**
 * Two steps of one draft saved at the same moment (two tabs, a double
 * submit): each keeps its « terminée » mark and its answers.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registerAndActivate } from "../support/accounts.js";
import { acceptTerms, fillProfile, step } from "../support/applicant.js";
import { csrfTokenIn, newBrowser, type Agent } from "../support/browserless.js";
import { createTestContext, type TestContext } from "../support/test-app.js";

let ctx: TestContext;
let agent: Agent;
let draftId: string;
const ROUNDS = 10;

beforeAll(async () => {
  ctx = await createTestContext();
  agent = newBrowser(ctx.app);
  await registerAndActivate(ctx, agent, { email: "deux.onglets@example.fr" });
  await fillProfile(agent, "deux.onglets@example.fr");
  await acceptTerms(agent);
  await step(agent, "type", { type: "RENEWAL" });
  await step(agent, "navigo", { navigoNumber: "12345678" });
  await step(agent, "zonage", { statutCode: "AC", zonageCode: "Z1_5" });
  draftId = (await ctx.db.request.findFirstOrThrow({ where: { status: "DRAFT" } })).id;
});
afterAll(async () => ctx.close());

/** Posts several steps' forms at once, with the session's CSRF token. */
async function postTogether(posts: { slug: string; fields: Record<string, string> }[]) {
  const token = csrfTokenIn((await agent.get("/demande/etape/navigo")).text);
  return Promise.all(
    posts.map(({ slug, fields }) =>
      agent
        .post(`/demande/etape/${slug}`)
        .type("form")
        .send({ _csrf: token, ...fields }),
    ),
  );
}

describe("Steps saved at the same moment", () => {
  it("keep every « terminée » mark and every answer", async () => {
    for (let round = 0; round < ROUNDS; round += 1) {
      await ctx.db.request.update({
        where: { id: draftId },
        data: { completedSteps: ["type", "navigo", "zonage"], referenceTaxIncome: null, taxShares: null },
      });
      const answers = await postTogether([
        { slug: "navigo", fields: { navigoNumber: `1234567${round}`, action: "suivant" } },
        { slug: "revenus", fields: { referenceTaxIncome: String(20_000 + round), taxShares: "2", action: "suivant" } },
      ]);
      expect(answers.map((answer) => answer.status)).toEqual([303, 303]);
      const draft = await ctx.db.request.findUniqueOrThrow({ where: { id: draftId } });
      expect([...draft.completedSteps].sort(), `round ${round}`).toEqual(["navigo", "revenus", "type", "zonage"]);
      expect(draft.navigoNumber).toBe(`1234567${round}`);
      expect(draft.referenceTaxIncome).toBe(20_000 + round);
      expect((await agent.get("/demande")).headers.location).toBe("/demande/etape/aidant");
    }
  });

  it("keep what was typed on one while the other is saved", async () => {
    for (let round = 0; round < ROUNDS; round += 1) {
      await ctx.db.request.update({ where: { id: draftId }, data: { completedSteps: ["type", "navigo", "zonage"], pendingInput: {} } });
      await postTogether([
        { slug: "navigo", fields: { navigoNumber: "87654321", action: "suivant" } },
        { slug: "revenus", fields: { referenceTaxIncome: `abc${round}`, taxShares: "2", action: "precedent" } },
      ]);
      const draft = await ctx.db.request.findUniqueOrThrow({ where: { id: draftId } });
      expect(Object.keys((draft.pendingInput ?? {}) as object), `round ${round}`).toEqual(["revenus"]);
      expect([...draft.completedSteps].sort(), `round ${round}`).toEqual(["navigo", "type", "zonage"]);
    }
    expect((await agent.get("/demande/etape/revenus")).text).toContain(`value="abc${ROUNDS - 1}"`);
  });
});
