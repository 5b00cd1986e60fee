/**
 * Every uploaded file goes through a real clamd (tests/support/clamd.ts)
 * before it is stored: a clean file is kept, a file carrying a signature is
 * refused at its field in each accepted format, written to the audit log
 * without its name, and nothing of it stays on disk or in the database. A
 * frozen or stopped daemon refuses the upload with « indisponible » and
 * keeps everything already saved.
 */
import { readdir } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newApplicant, renewalAtDocuments, upload } from "../support/applicant.js";
import { awaitingDocument, createStaff, loggedInStaff } from "../support/back-office.js";
import { csrfTokenIn, textOf, type Agent } from "../support/browserless.js";
import { EICAR, EICAR_SIGNATURE, MARKER, MARKER_SIGNATURE, TestClamd } from "../support/clamd.js";
import { pdfFile } from "../support/files.js";
import { docxFile, jpegWithText, odtFile, pngWithText } from "../support/office-files.js";
import { createTestContext, MANY_REGISTRATIONS, type TestContext } from "../support/test-app.js";

const TIMEOUT_MS = 1_500;
const UNAVAILABLE = "L'analyse antivirus est indisponible, réessayez dans quelques minutes.";

let clamd: TestClamd;
let ctx: TestContext;
beforeAll(async () => {
  clamd = new TestClamd();
  await clamd.start();
  ctx = await createTestContext({ throttleRules: MANY_REGISTRATIONS, env: { CLAMAV_URL: clamd.url, CLAMAV_TIMEOUT_MS: String(TIMEOUT_MS) } });
});
afterAll(async () => {
  await ctx?.close();
  await clamd?.stop();
});

const storedFiles = async () => (await readdir(ctx.uploadsDir)).filter((name) => name !== ".incoming").sort();
const incomingFiles = () => readdir(`${ctx.uploadsDir}/.incoming`);

let counter = 0;
/** A new applicant's renewal, at « Justificatifs ». */
async function atDocuments(): Promise<{ agent: Agent; email: string }> {
  const email = `antivirus${++counter}@example.fr`;
  const agent = await newApplicant(ctx, email);
  await renewalAtDocuments(agent);
  return { agent, email };
}

async function draftOf(email: string) {
  return ctx.db.request.findFirstOrThrow({ where: { applicant: { email } }, include: { documents: true } });
}

/** A refusal left nothing: no file on disk, no temporary copy, no row. */
async function expectNothingKept(before: string[], names: string[]) {
  expect(await storedFiles()).toEqual(before);
  expect(await incomingFiles()).toEqual([]);
  expect(await ctx.db.requestDocument.count({ where: { originalName: { in: names } } })).toBe(0);
}

describe("Antivirus (a real clamd)", () => {
  it("keeps clean files of every accepted format, sent together", async () => {
    const { agent, email } = await atDocuments();
    const files = [
      { name: "carte.pdf", content: pdfFile("carte") },
      { name: "carte.png", content: pngWithText("bonjour") },
      { name: "carte.jpg", content: jpegWithText("bonjour") },
      { name: "attestation.docx", content: docxFile("Attestation") },
      { name: "attestation.odt", content: odtFile("Attestation") },
    ];
    const answer = await upload(agent, "IDENTITY", files);
    expect(answer.status, textOf(answer.text)).toBe(303);
    const draft = await draftOf(email);
    expect(draft.documents.map((document) => document.originalName).sort()).toEqual(files.map((file) => file.name).sort());
    expect(await storedFiles()).toEqual(expect.arrayContaining(draft.documents.map((document) => document.storedName)));
    expect(await incomingFiles()).toEqual([]);
  });

  it.each([
    ["a PDF", "facture.pdf", () => pdfFile(MARKER), MARKER_SIGNATURE],
    ["a PNG", "photo.png", () => pngWithText(MARKER), MARKER_SIGNATURE],
    ["a JPEG", "photo.jpg", () => jpegWithText(MARKER), MARKER_SIGNATURE],
    ["a DOCX (inside word/document.xml)", "lettre.docx", () => docxFile(MARKER), MARKER_SIGNATURE],
    ["an ODT (inside content.xml)", "lettre.odt", () => odtFile(MARKER), MARKER_SIGNATURE],
    ["EICAR inside a DOCX", "eicar.docx", () => docxFile("x", { extra: [{ name: "word/media/test.txt", data: Buffer.from(EICAR) }] }), EICAR_SIGNATURE],
    ["EICAR inside an ODT", "eicar.odt", () => odtFile("x", { extra: [{ name: "Pictures/test.txt", data: Buffer.from(EICAR) }] }), EICAR_SIGNATURE],
  ])("refuses %s carrying a signature at its field, stores nothing, and audits it without the file", async (_label, name, content, signature) => {
    const { agent, email } = await atDocuments();
    const before = await storedFiles();
    const answer = await upload(agent, "TAX_NOTICE", [{ name, content: content() }]);
    expect(answer.status).toBe(422);
    const text = textOf(answer.text);
    expect(text).toContain(`Le fichier « ${name} » contient un virus (${signature}) : il n'a pas été enregistré.`);
    // In the error summary, linked to the section's file field, and at that field.
    expect(answer.text).toMatch(/href="#champ-section-TAX_NOTICE"[^>]*>[^<]*contient un virus/);
    expect(answer.text).toMatch(/id="section-TAX_NOTICE"[^>]*>[\s\S]*contient un virus/);
    await expectNothingKept(before, [name]);

    const draft = await draftOf(email);
    const entries = await ctx.db.auditLog.findMany({ where: { requestId: draft.id, action: "VIRUS_DETECTED" } });
    expect(entries).toHaveLength(1);
    expect(entries[0]!.actorId).toBe(draft.applicantId);
    expect(entries[0]!.details).toEqual({ signature, section: "TAX_NOTICE" });
  });

  it("refuses the whole batch when one file of several is infected, and says the others must be chosen again", async () => {
    const { agent, email } = await atDocuments();
    const before = await storedFiles();
    const answer = await upload(agent, "IDENTITY", [
      { name: "recto.pdf", content: pdfFile("recto") },
      { name: "verso.pdf", content: pdfFile(MARKER) },
    ]);
    expect(answer.status).toBe(422);
    const text = textOf(answer.text);
    expect(text).toContain(`Le fichier « verso.pdf » contient un virus (${MARKER_SIGNATURE}) : il n'a pas été enregistré.`);
    expect(text).toContain("Les autres fichiers choisis n'ont pas été enregistrés non plus : choisissez-les à nouveau.");
    expect(text).not.toContain("« recto.pdf » contient un virus");
    await expectNothingKept(before, ["recto.pdf", "verso.pdf"]);
    expect((await draftOf(email)).documents).toEqual([]);
  });

  it("refuses an infected complement sent to an agent's request, leaving the request as it was", async () => {
    const staffId = (await createStaff(ctx.db, "guichet-antivirus@cd93.fr")).id;
    const email = `complement-antivirus@example.fr`;
    const { applicant, request } = await awaitingDocument(ctx, { email, aidantEmail: "aidant-antivirus@example.fr", staffId, message: "Votre avis." });
    const pageUrl = `/mes-demandes/${request.number}`;
    const token = csrfTokenIn((await applicant.get(pageUrl)).text);
    const before = await storedFiles();
    const answer = await applicant.post(`${pageUrl}/pieces`).field("_csrf", token).attach("fichiers", pngWithText(MARKER), "avis.png");
    expect(answer.status).toBe(422);
    expect(textOf(answer.text)).toContain(`Le fichier « avis.png » contient un virus (${MARKER_SIGNATURE}) : il n'a pas été enregistré.`);
    await expectNothingKept(before, ["avis.png"]);
    expect((await ctx.db.request.findUniqueOrThrow({ where: { id: request.id } })).status).toBe("AWAITING_DOCUMENT");
    expect(await ctx.db.auditLog.count({ where: { requestId: request.id, action: "VIRUS_DETECTED" } })).toBe(1);
  });

  it("shows the refusal in the administrators' audit journal, with the signature and without the file's name", async () => {
    const { admin } = await loggedInStaff(ctx);
    const journal = textOf((await admin.get("/admin/journal?action=VIRUS_DETECTED")).text);
    expect(journal).toContain("Fichier refusé par l'antivirus");
    expect(journal).toContain(`Virus : ${MARKER_SIGNATURE}`);
    expect(journal).not.toContain("facture.pdf");
  });

  it("refuses with « indisponible » after the timeout when the daemon hangs, keeping what was saved", async () => {
    const { agent, email } = await atDocuments();
    expect((await upload(agent, "IDENTITY", [{ name: "deja.pdf", content: pdfFile("deja") }])).status).toBe(303);
    const before = await storedFiles();
    clamd.pause();
    try {
      const started = Date.now();
      const answer = await upload(agent, "TAX_NOTICE", [{ name: "avis.pdf", content: pdfFile("avis") }]);
      const waited = Date.now() - started;
      expect(answer.status).toBe(422);
      expect(textOf(answer.text)).toContain(UNAVAILABLE);
      expect(textOf(answer.text)).toContain("Le fichier choisi n'a pas été enregistré ; ceux déjà enregistrés sont conservés.");
      expect(waited).toBeGreaterThanOrEqual(TIMEOUT_MS - 50);
      await expectNothingKept(before, ["avis.pdf"]);
    } finally {
      clamd.resume();
    }
    const draft = await draftOf(email);
    expect(draft.documents.map((document) => document.originalName)).toEqual(["deja.pdf"]);
    expect(draft.navigoNumber).toBe("12345678");
    // Once the daemon answers again, the same file goes through.
    expect((await upload(agent, "TAX_NOTICE", [{ name: "avis.pdf", content: pdfFile("avis") }])).status).toBe(303);
  });

  // Last: the daemon does not come back.
  it("refuses with « indisponible » when the daemon is stopped, keeping what was saved", async () => {
    const { agent, email } = await atDocuments();
    expect((await upload(agent, "IDENTITY", [{ name: "deja.pdf", content: pdfFile("deja") }])).status).toBe(303);
    await clamd.stop();
    const before = await storedFiles();
    const answer = await upload(agent, "TAX_NOTICE", [
      { name: "avis-1.pdf", content: pdfFile("1") },
      { name: "avis-2.pdf", content: pdfFile("2") },
    ]);
    expect(answer.status).toBe(422);
    expect(textOf(answer.text)).toContain(`${UNAVAILABLE} Les fichiers choisis n'ont pas été enregistrés ; ceux déjà enregistrés sont conservés.`);
    await expectNothingKept(before, ["avis-1.pdf", "avis-2.pdf"]);
    const draft = await draftOf(email);
    expect(draft.documents.map((document) => document.originalName)).toEqual(["deja.pdf"]);
    expect(draft.zonageCode).toBe("Z1_5");
    // The page still works: the person can go on with their draft.
    expect((await agent.get("/demande/etape/justificatifs")).status).toBe(200);
  });
});
