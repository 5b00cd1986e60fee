import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FieldCipher } from "../../src/lib/encryption.js";
import { logIn, registerAndActivate } from "../support/accounts.js";
import { createStaff, postStatus, seedRequest } from "../support/back-office.js";
import { csrfTokenIn, newBrowser, submitForm, textOf, type Agent } from "../support/browserless.js";
import { pdfFile } from "../support/files.js";
import { createTestContext, TEST_IBAN_KEY, type TestContext } from "../support/test-app.js";

let ctx: TestContext;
let agent: Agent;
let agentId: string;
let admin: Agent;
let applicant: Agent;

beforeAll(async () => {
  ctx = await createTestContext();
  agentId = (await createStaff(ctx.db, "agent@cd93.fr")).id;
  await createStaff(ctx.db, "admin@cd93.fr", "ADMIN");
  agent = newBrowser(ctx.app);
  expect((await logIn(agent, "agent@cd93.fr")).headers.location).toBe("/agent");
  admin = newBrowser(ctx.app);
  await logIn(admin, "admin@cd93.fr");
  applicant = newBrowser(ctx.app);
  await registerAndActivate(ctx, applicant, { email: "demandeur@example.fr" });
});
afterAll(async () => ctx.close());

const changeStatus = (number: string, fields: Record<string, string>) => postStatus(agent, number, fields);

describe("Guards", () => {
  it("gives applicants the 404 page on every back-office page (visitors: tests/integration/login-guards.test.ts)", async () => {
    const request = await seedRequest(ctx.db);
    for (const path of [
      "/agent",
      `/agent/demandes/${request.number}`,
      "/agent/export.csv",
      "/agent/invitations",
      "/admin/agents",
      "/admin/journal",
      "/admin/participations",
    ]) {
      const answer = await applicant.get(path);
      expect(answer.status, path).toBe(404);
      expect(textOf(answer.text)).toContain("Page introuvable");
    }
    const post = await applicant
      .post(`/agent/demandes/${request.number}/statut`)
      .type("form")
      .send({ _csrf: csrfTokenIn((await applicant.get("/")).text), status: "IN_REVIEW" });
    expect(post.status).toBe(404);
    expect((await ctx.db.request.findUniqueOrThrow({ where: { id: request.id } })).status).toBe("SUBMITTED");
  });

  it("lets agents into /agent but not /admin, and administrators into both", async () => {
    expect((await agent.get("/agent")).status).toBe(200);
    expect((await agent.get("/admin/agents")).status).toBe(404);
    expect((await admin.get("/agent")).status).toBe(200);
    expect((await admin.get("/admin/agents")).status).toBe(200);
    expect((await agent.get("/demande")).status).toBe(404);
  });
});

describe("Status changes", () => {
  it("follows the whole story, mailing the applicant and the aidant at every change, and auditing it", async () => {
    const request = await seedRequest(ctx.db, { aidantName: "Dupont", aidantEmail: "aidant.histoire@example.fr", email: "histoire@example.fr" });
    const number = request.number!;

    expect((await changeStatus(number, { status: "IN_REVIEW" })).status).toBe(303);

    const noMessage = await changeStatus(number, { status: "AWAITING_DOCUMENT", message: " " });
    expect(noMessage.status).toBe(422);
    expect(textOf(noMessage.text)).toContain("Indiquez la pièce demandée");
    expect((await ctx.db.request.findUniqueOrThrow({ where: { id: request.id } })).status).toBe("IN_REVIEW");

    expect((await changeStatus(number, { status: "AWAITING_DOCUMENT", message: "Merci de joindre votre avis d'imposition 2025." })).status).toBe(303);

    // The applicant adds the document.
    const owner = newBrowser(ctx.app);
    await logIn(owner, "histoire@example.fr");
    const detail = await owner.get(`/mes-demandes/${number}`);
    expect(textOf(detail.text)).toContain("Merci de joindre votre avis d'imposition 2025.");
    const sent = await owner.post(`/mes-demandes/${number}/pieces`).field("_csrf", csrfTokenIn(detail.text)).attach("fichiers", pdfFile(), "avis-2025.pdf");
    expect(sent.status).toBe(303);

    const agentPage = await agent.get(`/agent/demandes/${number}`);
    expect(textOf(agentPage.text)).toContain("Pièce complémentaire reçue");
    expect(textOf(agentPage.text)).toContain("avis-2025.pdf");

    const noDates = await changeStatus(number, { status: "APPROVED" });
    expect(noDates.status).toBe(422);
    expect(textOf(noDates.text)).toContain("Indiquez le début de validité du droit.");
    const badRange = await changeStatus(number, { status: "APPROVED", validFrom: "01/01/2027", validUntil: "31/12/2026" });
    expect(badRange.status).toBe(422);
    expect(textOf(badRange.text)).toContain("La fin de validité doit être après le début.");
    expect(badRange.text).toContain('value="01/01/2027"');

    expect(
      (await changeStatus(number, { status: "APPROVED", validFrom: "01/01/2027", validUntil: "31/12/2027", message: "Votre forfait est accordé." })).status,
    ).toBe(303);
    const approved = await ctx.db.request.findUniqueOrThrow({ where: { id: request.id }, include: { statusChanges: { orderBy: { createdAt: "asc" } } } });
    expect(approved.status).toBe("APPROVED");
    expect(approved.validFrom!.toISOString().slice(0, 10)).toBe("2027-01-01");
    expect(approved.statusChanges.map((change) => change.toStatus)).toEqual(["IN_REVIEW", "AWAITING_DOCUMENT", "DOCUMENT_RECEIVED", "APPROVED"]);
    expect(approved.statusChanges[0]!.actorId).toBe(agentId);
    expect(approved.statusChanges[1]!.message).toBe("Merci de joindre votre avis d'imposition 2025.");

    await ctx.deliverMails();
    for (const label of ["En cours d'instruction", "En attente de pièce complémentaire", "Pièce complémentaire reçue", "Validée"]) {
      const toApplicant = await ctx.smtp.waitFor("histoire@example.fr", label);
      expect(toApplicant.text).toContain(`http://portail.test/mes-demandes/${number}`);
      // No personal data in the mail beyond the name and the number: not the department's message.
      expect(toApplicant.text).not.toContain("avis d'imposition 2025");
      await ctx.smtp.waitFor("aidant.histoire@example.fr", label);
    }

    const documentMail = await ctx.smtp.waitFor("histoire@example.fr", "En attente de pièce complémentaire");
    expect(documentMail.text).toContain("Le Département a besoin d'une pièce complémentaire.");
    expect(documentMail.text).toContain("« Joindre un ou plusieurs fichiers »");

    const audits = await ctx.db.auditLog.findMany({ where: { requestId: request.id, action: "STATUS_CHANGED" } });
    expect(audits).toHaveLength(3);

    // Finished: in « Demandes terminées », with the validity dates.
    expect(textOf((await owner.get("/mes-demandes/terminees")).text)).toContain(number);
    expect(textOf((await owner.get(`/mes-demandes/${number}`)).text)).toContain("du 01/01/2027 au 31/12/2027");

    // A finished request cannot move: refused, nothing changed.
    const refused = await changeStatus(number, { status: "IN_REVIEW" });
    expect(refused.status).toBe(422);
    expect(textOf(refused.text)).toContain("Une demande « Validée » ne peut pas passer à « En cours d'instruction ».");
    expect((await ctx.db.request.findUniqueOrThrow({ where: { id: request.id } })).status).toBe("APPROVED");
  });

  it("refuses with a reason, which the applicant reads; a refusal without one is refused", async () => {
    const request = await seedRequest(ctx.db);
    await changeStatus(request.number!, { status: "IN_REVIEW" });
    expect((await changeStatus(request.number!, { status: "REFUSED" })).status).toBe(422);
    expect((await changeStatus(request.number!, { status: "REFUSED", message: "Vous êtes imposable." })).status).toBe(303);
    expect((await ctx.db.request.findUniqueOrThrow({ where: { id: request.id } })).status).toBe("REFUSED");
  });

  it.each([
    ["SUBMITTED", "APPROVED"],
    ["SUBMITTED", "DOCUMENT_RECEIVED"],
    ["SUBMITTED", "DRAFT"],
    ["AWAITING_DOCUMENT", "DOCUMENT_RECEIVED"],
    ["CLOSED", "IN_REVIEW"],
  ] as const)("refuses %s → %s for an agent (422, nothing changed)", async (from, to) => {
    const request = await seedRequest(ctx.db, { status: from });
    const answer = await changeStatus(request.number!, { status: to, message: "x", validFrom: "01/01/2027", validUntil: "31/12/2027" });
    expect(answer.status).toBe(422);
    expect((await ctx.db.request.findUniqueOrThrow({ where: { id: request.id } })).status).toBe(from);
    expect(await ctx.db.statusChange.count({ where: { requestId: request.id } })).toBe(0);
  });

  it("answers 404 for an unknown request number", async () => {
    expect((await agent.get("/agent/demandes/DEM-9999999999")).status).toBe(404);
    expect((await agent.get("/agent/demandes/n-importe-quoi")).status).toBe(404);
    expect((await changeStatus("DEM-9999999999", { status: "IN_REVIEW" })).status).toBe(404);
  });
});

describe("Request page", () => {
  it("adds internal notes the applicant never sees, and audits them", async () => {
    const request = await seedRequest(ctx.db, { email: "note@example.fr" });
    const empty = await submitForm(agent, `/agent/demandes/${request.number}`, { note: "  " }, `/agent/demandes/${request.number}/notes`);
    expect(empty.status).toBe(422);
    const added = await submitForm(
      agent,
      `/agent/demandes/${request.number}`,
      { note: "Appeler la fille de la demandeuse." },
      `/agent/demandes/${request.number}/notes`,
    );
    expect(added.status).toBe(303);
    expect(textOf((await agent.get(`/agent/demandes/${request.number}`)).text)).toContain("Appeler la fille de la demandeuse.");
    const owner = newBrowser(ctx.app);
    await logIn(owner, "note@example.fr");
    expect(textOf((await owner.get(`/mes-demandes/${request.number}`)).text)).not.toContain("Appeler la fille");
    expect(await ctx.db.auditLog.count({ where: { requestId: request.id, action: "NOTE_ADDED" } })).toBe(1);
  });

  it("reveals the IBAN only on an explicit, audited action", async () => {
    const cipher = new FieldCipher(TEST_IBAN_KEY);
    const request = await seedRequest(ctx.db, {
      extra: {
        directDebit: true,
        ibanEncrypted: cipher.encrypt("FR7630006000011234567890189"),
        ibanLast4: "0189",
        bic: "AGRIFRPP",
        accountHolder: "J M",
        debitConsent: true,
      },
    });
    const page = await agent.get(`/agent/demandes/${request.number}`);
    expect(page.text).not.toContain("FR76");
    expect(textOf(page.text)).toContain("•••• 0189");
    const revealed = await submitForm(agent, `/agent/demandes/${request.number}`, {}, `/agent/demandes/${request.number}/iban`);
    expect(revealed.status).toBe(200);
    expect(textOf(revealed.text)).toContain("FR76 3000 6000 0112 3456 7890 189");
    expect(revealed.headers["cache-control"]).toContain("no-store");
    const entries = await ctx.db.auditLog.findMany({ where: { requestId: request.id, action: "IBAN_REVEALED" } });
    expect(entries).toHaveLength(1);
    expect(entries[0]!.actorId).toBe(agentId);
  });

  it("audits every opening of a request's page, with the agent and the request, and nothing for an unknown number", async () => {
    const request = await seedRequest(ctx.db, { email: "consultee@example.fr" });
    expect((await agent.get(`/agent/demandes/${request.number}`)).status).toBe(200);
    expect((await agent.get(`/agent/demandes/${request.number}`)).status).toBe(200);
    const entries = await ctx.db.auditLog.findMany({ where: { requestId: request.id, action: "REQUEST_VIEWED" } });
    expect(entries).toHaveLength(2);
    expect(entries.every((entry) => entry.actorId === agentId)).toBe(true);
    const before = await ctx.db.auditLog.count({ where: { action: "REQUEST_VIEWED" } });
    expect((await agent.get("/agent/demandes/DEM-0099999999")).status).toBe(404);
    expect(await ctx.db.auditLog.count({ where: { action: "REQUEST_VIEWED" } })).toBe(before);
    const journal = textOf((await admin.get("/admin/journal?action=REQUEST_VIEWED")).text);
    expect(journal).toContain("Demande consultée");
    expect(journal).toContain(request.number!);
    expect(journal).not.toContain("consultee@example.fr");
  });

  it("opens PDF documents inline, audited, and never a draft's", async () => {
    const request = await seedRequest(ctx.db);
    const storedName = await ctx.storage.keep(await writeTemp(pdfFile()));
    const document = await ctx.db.requestDocument.create({
      data: { requestId: request.id, section: "IDENTITY", originalName: "carte.pdf", storedName, mimeType: "application/pdf", sizeBytes: 300 },
    });
    const answer = await agent.get(`/agent/documents/${document.id}`);
    expect(answer.status).toBe(200);
    expect(answer.headers["content-disposition"]).toMatch(/^inline; filename="?carte\.pdf"?$/);
    expect(answer.headers["x-content-type-options"]).toBe("nosniff");
    expect(await ctx.db.auditLog.count({ where: { action: "DOCUMENT_OPENED", requestId: request.id } })).toBe(1);
    expect((await applicant.get(`/agent/documents/${document.id}`)).status).toBe(404);
  });
});

async function writeTemp(content: Buffer): Promise<string> {
  const { writeFile } = await import("node:fs/promises");
  const path = `${ctx.storage.incomingDir}/${Date.now()}${Math.random().toString(16).slice(2)}`;
  await writeFile(path, content);
  return path;
}

describe("Audit log", () => {
  it("cannot be updated or deleted, even by a direct query", async () => {
    await expect(ctx.db.$executeRaw`DELETE FROM "AuditLog"`).rejects.toThrow(/ne se modifie pas/);
    await expect(ctx.db.$executeRaw`UPDATE "AuditLog" SET "action" = 'EXPORTED'`).rejects.toThrow(/ne se modifie pas/);
  });

  it("is readable and filterable by administrators", async () => {
    const page = await admin.get("/admin/journal?action=STATUS_CHANGED");
    expect(page.status).toBe(200);
    const rows = textOf(page.text.split("<tbody>")[1]!.split("</tbody>")[0]!);
    expect(rows).toContain("Changement de statut");
    expect(rows).toContain("Anne Agent");
    expect(rows).not.toContain("IBAN affiché");
    const bad = await admin.get("/admin/journal?du=32/01/2026");
    expect(bad.status).toBe(422);
    expect(textOf(bad.text)).toContain("Cette date n'existe pas");
  });
});
