/**
 * The applicant pages while an aidant acts for someone (« Agir pour … »):
 * they work on the person's own draft and requests, never the aidant's.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { acceptTerms, answerSteps, firstRequestAnswers } from "../support/applicant.js";
import { actingFor, applicantWithProfile, type Person } from "../support/aidants.js";
import { submitForm, textOf } from "../support/browserless.js";
import { createTestContext, MANY_REGISTRATIONS, type TestContext } from "../support/test-app.js";

let ctx: TestContext;
let marie: Person;
let paul: Person;
beforeAll(async () => {
  ctx = await createTestContext({ throttleRules: MANY_REGISTRATIONS });
  marie = await applicantWithProfile(ctx, "Marie", "Dupont");
  paul = await applicantWithProfile(ctx, "Paul", "Bernard");
  await actingFor(ctx, paul, marie);
}, 60_000);
afterAll(async () => ctx.close());

const DOCUMENTS = "/demande/etape/justificatifs";

describe("« Je ne peux pas fournir ce document » by an aidant", () => {
  it("is recorded on the person's draft and withdrawn from it, the aidant having no draft of their own", async () => {
    await acceptTerms(paul.browser);
    await answerSteps(paul.browser, firstRequestAnswers());
    const draft = await ctx.db.request.findFirstOrThrow({ where: { applicantId: marie.id, status: "DRAFT" } });

    const declared = await submitForm(paul.browser, DOCUMENTS, { "raison-IDENTITY": "LOST" }, "/demande/justificatifs/IDENTITY/non-fourni");
    expect(declared.status, declared.text.slice(0, 2000)).toBe(303);
    expect(declared.headers.location).toBe(`${DOCUMENTS}#section-IDENTITY`);
    expect(await ctx.db.missingDocument.findMany({ where: { requestId: draft.id }, select: { section: true, reason: true } })).toEqual([
      { section: "IDENTITY", reason: "LOST" },
    ]);
    expect(textOf((await paul.browser.get(DOCUMENTS)).text)).toContain("Non fourni : Document perdu ou volé");
    // Marie sees it on her own draft.
    expect(textOf((await marie.browser.get(DOCUMENTS)).text)).toContain("Non fourni : Document perdu ou volé");

    const withdrawn = await submitForm(paul.browser, DOCUMENTS, {}, "/demande/justificatifs/IDENTITY/non-fourni/retirer");
    expect(withdrawn.status).toBe(303);
    expect(await ctx.db.missingDocument.count({ where: { requestId: draft.id } })).toBe(0);
    expect(await ctx.db.request.count({ where: { applicantId: paul.id } })).toBe(0);
  });
});
