/**
 * The applicant pages while an aidant acts for someone (« Agir pour … »):
 * they work on the person's own draft and requests, never the aidant's, and
 * speak of that person where « vous » would mean the aidant.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { acceptTerms, answerSteps, firstRequestAnswers, PROFILE } from "../support/applicant.js";
import { seedRequest } from "../support/back-office.js";
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
  await actingFor(ctx, paul, marie.id);
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

describe("The applicant pages' wording while an aidant acts for someone", () => {
  it("« Mes demandes » and « Renouveler » say that the person has no request, and still say « Vous » to the person themself", async () => {
    const lucie = await applicantWithProfile(ctx, "Lucie", "Moreau");
    const helper = await applicantWithProfile(ctx, "Jean", "Petit");
    await actingFor(ctx, helper, lucie.id);

    const current = textOf((await helper.browser.get("/mes-demandes")).text);
    expect(current).toContain("Lucie MOREAU n'a pas de demande en cours.");
    expect(current).not.toContain("Vous n'avez pas");
    expect(textOf((await helper.browser.get("/mes-demandes/terminees")).text)).toContain("Lucie MOREAU n'a pas de demande terminée.");
    expect(textOf((await helper.browser.get("/renouveler")).text)).toContain("Lucie MOREAU n'a pas encore de demande validée à renouveler.");

    expect(textOf((await lucie.browser.get("/mes-demandes")).text)).toContain("Vous n'avez pas de demande en cours.");
    expect(textOf((await lucie.browser.get("/renouveler")).text)).toContain("Vous n'avez pas encore de demande validée à renouveler.");
  });

  it("a sent request's pages, « Retirer sa demande » and the profile speak of the person, not of the aidant", async () => {
    const request = await seedRequest(ctx.db, { firstName: "Jeanne", lastName: "Martin", email: "jeanne.martin@example.fr" });
    const number = request.number!;
    const helper = await applicantWithProfile(ctx, "Luc", "Girard");
    await actingFor(ctx, helper, request.applicantId);

    const confirmation = textOf((await helper.browser.get(`/mes-demandes/${number}/confirmation`)).text);
    expect(confirmation).toContain("Nous avons envoyé un e-mail de confirmation à Jeanne MARTIN.");
    expect(confirmation).toContain("Jeanne MARTIN reçoit un e-mail quand sa demande est validée ou refusée.");
    expect(confirmation).not.toContain("Nous vous avons envoyé");

    const open = textOf((await helper.browser.get("/demande")).text);
    expect(open).toContain(`Jeanne MARTIN a déjà une demande en cours Sa demande n° ${number}`);
    expect(open).toContain(`Voir sa demande ${number}`);

    const detail = textOf((await helper.browser.get(`/mes-demandes/${number}`)).text);
    expect(detail).toContain("Retirer sa demande Si Jeanne MARTIN n'a plus besoin du forfait Améthyste, vous pouvez retirer sa demande.");
    expect(detail).toContain("Je confirme que je retire la demande de Jeanne MARTIN");
    expect(detail).not.toContain("Retirer ma demande");
    const withdrawn = await submitForm(helper.browser, `/mes-demandes/${number}`, { confirm: "on" }, `/mes-demandes/${number}/retirer`);
    expect(withdrawn.status).toBe(303);
    expect(textOf((await helper.browser.get(`/mes-demandes/${number}`)).text)).toContain(
      `La demande ${number} de Jeanne MARTIN est retirée (« Classée sans suite »).`,
    );

    const saved = await submitForm(helper.browser, "/mes-informations", { ...PROFILE, firstName: "Jeanne", lastName: "Martin" });
    expect(saved.status, saved.text.slice(0, 2000)).toBe(303);
    expect(textOf((await helper.browser.get("/mes-informations")).text)).toContain("Les informations de Jeanne MARTIN sont mises à jour.");
    expect(await ctx.db.user.findUniqueOrThrow({ where: { id: helper.id }, select: { firstName: true } })).toEqual({ firstName: "Luc" });
  });
});
