/**
 * « Je ne peux pas fournir ce document »: the applicant says why a required
 * document cannot be given; the request can then be sent, and the agent reads
 * the reason in place of the file and may ask for something else.
 */
import { readdir } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registerAndActivate } from "../support/accounts.js";
import { fillProfile, firstRequestAtDocumentsWithoutSituation, step, upload } from "../support/applicant.js";
import { loggedInStaff, postStatus } from "../support/back-office.js";
import { csrfTokenIn, newBrowser, submitForm, textOf, type Agent } from "../support/browserless.js";
import { pdfFile } from "../support/files.js";
import { createTestContext, MANY_REGISTRATIONS, type TestContext } from "../support/test-app.js";

let ctx: TestContext;
let staff: Agent;
beforeAll(async () => {
  ctx = await createTestContext({ throttleRules: MANY_REGISTRATIONS });
  ({ agent: staff } = await loggedInStaff(ctx));
});
afterAll(async () => ctx.close());

const DOCUMENTS = "/demande/etape/justificatifs";
const LOST = "Document perdu ou volé, demande de duplicata en cours";

let counter = 0;
/** An applicant whose first request is at « Justificatifs », every section filled but « Justificatif de situation ». */
async function atDocumentsStep() {
  const email = `nonfourni${++counter}@example.fr`;
  const agent = newBrowser(ctx.app);
  await registerAndActivate(ctx, agent, { email });
  await fillProfile(agent, email);
  await firstRequestAtDocumentsWithoutSituation(agent);
  const draft = await ctx.db.request.findFirstOrThrow({ where: { applicant: { email }, status: "DRAFT" } });
  return { agent, email, draftId: draft.id };
}

const declare = (agent: Agent, section: string, fields: Record<string, string>) =>
  submitForm(agent, DOCUMENTS, fields, `/demande/justificatifs/${section}/non-fourni`);
const withdraw = (agent: Agent, section: string) => submitForm(agent, DOCUMENTS, {}, `/demande/justificatifs/${section}/non-fourni/retirer`);
const storedFiles = async () => (await readdir(ctx.uploadsDir)).filter((name) => name !== ".incoming");

describe("« Je ne peux pas fournir ce document »", () => {
  it("lets the request be sent with the reason, shown in the récapitulatif, to the applicant and to the agent, who can ask for something else", async () => {
    const { agent, draftId } = await atDocumentsStep();
    const page = await agent.get(DOCUMENTS);
    expect(textOf(page.text)).toContain("Je ne peux pas fournir ce document");
    expect(page.text).toContain('action="/demande/justificatifs/SITUATION/non-fourni"');

    const answer = await declare(agent, "SITUATION", {
      "raison-SITUATION": "LOST",
      "precision-SITUATION": "  Duplicata demandé à la CNAV le 2 novembre.\u0007 ",
    });
    expect(answer.status).toBe(303);
    expect(answer.headers.location).toBe(`${DOCUMENTS}#section-SITUATION`);
    const stored = await ctx.db.missingDocument.findUniqueOrThrow({ where: { requestId_section: { requestId: draftId, section: "SITUATION" } } });
    expect(stored).toMatchObject({ reason: "LOST", details: "Duplicata demandé à la CNAV le 2 novembre." });
    const after = textOf((await agent.get(DOCUMENTS)).text);
    expect(after).toContain(`Non fourni : ${LOST}`);
    expect(after).toContain("J'ai finalement ce document");

    expect((await step(agent, "justificatifs", {})).status).toBe(303);
    const summary = textOf((await agent.get("/demande/etape/recapitulatif")).text);
    expect(summary).toContain(`Justificatif de situation Non fourni : ${LOST} (« Duplicata demandé à la CNAV le 2 novembre. »)`);
    expect((await step(agent, "recapitulatif", { navigoNumber: "12345678" })).status).toBe(303);

    const feedback = await agent.get("/demande/etape/avis");
    const sent = await agent
      .post("/demande/etape/avis")
      .type("form")
      .send({ _csrf: csrfTokenIn(feedback.text), draftId: /name="draftId" value="([^"]+)"/.exec(feedback.text)![1]!, action: "envoyer" });
    expect(sent.status, sent.text.slice(0, 2000)).toBe(303);
    const number = /\/mes-demandes\/(DEM-\d{10})\/confirmation/.exec(sent.headers.location!)![1]!;

    expect(textOf((await agent.get(`/mes-demandes/${number}`)).text)).toContain(`Justificatif de situation : Non fourni : ${LOST}`);
    const agentPage = textOf((await staff.get(`/agent/demandes/${number}`)).text);
    expect(agentPage).toContain(`Justificatif de situation : Non fourni : ${LOST} (« Duplicata demandé à la CNAV le 2 novembre. »)`);
    expect(agentPage).toContain("identity.pdf");

    // The agent asks for something else: the existing « Pièce complémentaire demandée » with its message.
    expect((await postStatus(staff, number, { status: "IN_REVIEW" })).status).toBe(303);
    const other = "Merci de joindre une attestation de la CNAV à la place du titre de pension.";
    expect((await postStatus(staff, number, { status: "AWAITING_DOCUMENT", message: other })).status).toBe(303);
    const detail = textOf((await agent.get(`/mes-demandes/${number}`)).text);
    expect(detail).toContain(other);
    expect(detail).toContain(`Non fourni : ${LOST}`);
  });

  it("refuses « Suivant » without a file nor a declaration, and accepts « Autre raison » with its precision", async () => {
    const { agent, draftId } = await atDocumentsStep();
    const refused = await step(agent, "justificatifs", {});
    expect(refused.status).toBe(422);
    expect(textOf(refused.text)).toContain("Ajoutez au moins un fichier dans « Justificatif de situation »");

    expect(
      (await declare(agent, "SITUATION", { "raison-SITUATION": "OTHER", "precision-SITUATION": "Mon employeur ne me l'a pas encore remis." })).status,
    ).toBe(303);
    expect(await ctx.db.missingDocument.count({ where: { requestId: draftId } })).toBe(1);
    expect((await step(agent, "justificatifs", {})).status).toBe(303);
  });

  it("gives French messages at the field (no reason, « Autre raison » without text, too long) and keeps the files already saved", async () => {
    const { agent, draftId } = await atDocumentsStep();
    const filesBefore = await ctx.db.requestDocument.findMany({ where: { requestId: draftId } });
    expect(filesBefore).toHaveLength(4);

    const noReason = await declare(agent, "SITUATION", { "precision-SITUATION": "" });
    expect(noReason.status).toBe(422);
    expect(textOf(noReason.text)).toContain("Choisissez la raison pour laquelle vous ne pouvez pas fournir ce document.");
    expect(noReason.text).toContain('href="#champ-raison-SITUATION"');
    expect(noReason.text).toContain('id="champ-raison-SITUATION"');
    expect(noReason.text).toMatch(/<details class="missing-document" open>/);
    expect(textOf(noReason.text)).toContain("identity.pdf");

    const otherEmpty = await declare(agent, "SITUATION", { "raison-SITUATION": "OTHER", "precision-SITUATION": "   " });
    expect(otherEmpty.status).toBe(422);
    expect(textOf(otherEmpty.text)).toContain("Précisez la raison pour laquelle vous ne pouvez pas fournir ce document.");
    expect(otherEmpty.text).toContain('href="#champ-precision-SITUATION"');
    // The choice made is kept.
    expect(otherEmpty.text).toMatch(/id="champ-raison-SITUATION-3" name="raison-SITUATION" value="OTHER" checked/);

    const tooLong = await declare(agent, "SITUATION", { "raison-SITUATION": "PENDING", "precision-SITUATION": "x".repeat(501) });
    expect(tooLong.status).toBe(422);
    expect(textOf(tooLong.text)).toContain("La précision ne doit pas dépasser 500 caractères.");

    const unknown = await declare(agent, "SITUATION", { "raison-SITUATION": "HACK" });
    expect(unknown.status).toBe(422);
    const repeated = await agent
      .post("/demande/justificatifs/SITUATION/non-fourni")
      .type("form")
      .send(`_csrf=${encodeURIComponent(csrfTokenIn((await agent.get(DOCUMENTS)).text))}&raison-SITUATION=LOST&raison-SITUATION=OTHER`);
    expect(repeated.status).toBe(422);

    expect(await ctx.db.missingDocument.count({ where: { requestId: draftId } })).toBe(0);
    const filesAfter = await ctx.db.requestDocument.findMany({ where: { requestId: draftId } });
    expect(filesAfter.map((file) => file.id).sort()).toEqual(filesBefore.map((file) => file.id).sort());
    const onDisk = await storedFiles();
    for (const file of filesAfter) expect(onDisk).toContain(file.storedName);
  });

  it("is withdrawn by « J'ai finalement ce document » or by adding a file", async () => {
    const { agent, draftId } = await atDocumentsStep();
    const where = { requestId_section: { requestId: draftId, section: "SITUATION" } };
    expect((await declare(agent, "SITUATION", { "raison-SITUATION": "PENDING" })).status).toBe(303);
    const withdrawn = await withdraw(agent, "SITUATION");
    expect(withdrawn.status).toBe(303);
    expect(await ctx.db.missingDocument.findUnique({ where })).toBeNull();
    expect(textOf((await agent.get(DOCUMENTS)).text)).not.toContain("Non fourni");
    expect((await step(agent, "justificatifs", {})).status).toBe(422);

    expect((await declare(agent, "SITUATION", { "raison-SITUATION": "NOT_CONCERNED" })).status).toBe(303);
    expect((await upload(agent, "SITUATION", [{ name: "pension.pdf", content: pdfFile("pension") }])).status).toBe(303);
    expect(await ctx.db.missingDocument.findUnique({ where })).toBeNull();
    expect((await step(agent, "justificatifs", {})).status).toBe(303);
    const summary = textOf((await agent.get("/demande/etape/recapitulatif")).text);
    expect(summary).toContain("Justificatif de situation pension.pdf");
  });

  it("is declared and withdrawn by an aidant acting for the person, on the person's draft", async () => {
    const { email, draftId } = await atDocumentsStep();
    const applicant = await ctx.db.user.findUniqueOrThrow({ where: { email } });
    const aidant = newBrowser(ctx.app);
    const aidantEmail = `aidant.nonfourni${++counter}@example.fr`;
    await registerAndActivate(ctx, aidant, { email: aidantEmail, firstName: "Paul", lastName: "Bernard" });
    const aidantUser = await ctx.db.user.findUniqueOrThrow({ where: { email: aidantEmail } });
    await ctx.db.aidantAccess.create({ data: { applicantId: applicant.id, aidantId: aidantUser.id } });
    expect((await submitForm(aidant, "/personnes-aidees", { personId: applicant.id }, "/personnes-aidees/agir")).status).toBe(303);

    const declared = await declare(aidant, "SITUATION", { "raison-SITUATION": "PENDING" });
    expect(declared.status).toBe(303);
    expect(declared.headers.location).toBe(`${DOCUMENTS}#section-SITUATION`);
    const where = { requestId_section: { requestId: draftId, section: "SITUATION" } };
    expect(await ctx.db.missingDocument.findUnique({ where })).toMatchObject({ reason: "PENDING" });
    expect(textOf((await aidant.get(DOCUMENTS)).text)).toContain("Non fourni : Document en cours de délivrance");
    const actions = await ctx.db.auditLog.findMany({ where: { actorId: aidantUser.id, action: "AIDANT_ACTION" } });
    expect(actions.map((entry) => (entry.details as { page: string }).page)).toContain("/demande/justificatifs/:section/non-fourni");

    expect((await withdraw(aidant, "SITUATION")).status).toBe(303);
    expect(await ctx.db.missingDocument.findUnique({ where })).toBeNull();
    expect(await ctx.db.request.count({ where: { applicantId: aidantUser.id } })).toBe(0);
  });

  it("only takes the applicant's own draft, a section it asks for, and a CSRF token", async () => {
    const { agent, draftId } = await atDocumentsStep();

    // Another applicant without a draft is sent to « Créer ou compléter ma demande »; nothing is stored anywhere.
    const other = newBrowser(ctx.app);
    const otherEmail = `autre${++counter}@example.fr`;
    await registerAndActivate(ctx, other, { email: otherEmail });
    await fillProfile(other, otherEmail);
    const stranger = await submitForm(other, "/mes-demandes", { "raison-SITUATION": "LOST" }, "/demande/justificatifs/SITUATION/non-fourni");
    expect(stranger.status).toBe(303);
    expect(stranger.headers.location).toBe("/demande");
    // An agent is no applicant: the route does not exist for them (404, like every role check).
    const byStaff = await submitForm(staff, "/agent", { "raison-SITUATION": "LOST" }, "/demande/justificatifs/SITUATION/non-fourni");
    expect(byStaff.status).toBe(404);
    // Not logged in.
    const anonymous = newBrowser(ctx.app);
    const notLogged = await submitForm(anonymous, "/connexion", { "raison-SITUATION": "LOST" }, "/demande/justificatifs/SITUATION/non-fourni");
    expect([302, 303, 403]).toContain(notLogged.status);
    // A section this request does not ask for (no direct debit: no RIB).
    expect((await declare(agent, "RIB", { "raison-RIB": "LOST" })).status).toBe(404);
    // No CSRF token.
    const forged = await agent.post("/demande/justificatifs/SITUATION/non-fourni").type("form").send({ "raison-SITUATION": "LOST" });
    expect(forged.status).toBe(403);

    expect(await ctx.db.missingDocument.count({ where: { requestId: draftId } })).toBe(0);
  });
});
