/**
 * The person's rights from their account: « Télécharger mes données » (a ZIP
 * unzipped here: the JSON's fields, the documents' bytes, the IBAN in full)
 * and « Supprimer mon compte » (wrong password, a request being processed,
 * then success: rows gone or anonymised, files gone, the other session
 * logged out, the mail received); and « Données personnelles » stating the
 * configured periods.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import type { Response } from "superagent";
import yauzl from "yauzl";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { erasedEmail } from "../../src/features/retention/erasure.js";
import { GOOD_PASSWORD, logIn, registerAndActivate } from "../support/accounts.js";
import { acceptTerms, FIRST_REQUEST_SECTIONS, fillFirstRequest, fillProfile } from "../support/applicant.js";
import { storeDocument } from "../support/retention.js";
import { createStaff } from "../support/back-office.js";
import { csrfTokenIn, newBrowser, submitForm, textOf, type Agent } from "../support/browserless.js";
import { pdfFile } from "../support/files.js";
import { createTestContext, MANY_REGISTRATIONS, type TestContext } from "../support/test-app.js";

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext({ throttleRules: MANY_REGISTRATIONS });
});
afterAll(async () => ctx.close());

const binary = (res: Response, callback: (error: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on("data", (chunk: Buffer) => chunks.push(chunk));
  res.on("end", () => callback(null, Buffer.concat(chunks)));
};

async function unzip(bytes: Buffer): Promise<Map<string, Buffer>> {
  const zip = await yauzl.fromBufferPromise(bytes, { lazyEntries: true });
  const files = new Map<string, Buffer>();
  for await (const entry of zip.eachEntry()) {
    const stream = await zip.openReadStreamPromise(entry);
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    files.set(entry.fileName, Buffer.concat(chunks));
  }
  return files;
}

let counter = 0;
/** An applicant with a submitted first request paid by direct debit, logged in. */
async function applicantWithRequest(): Promise<{ browser: Agent; email: string; requestId: string; number: string }> {
  const email = `droits${++counter}@example.fr`;
  const browser = newBrowser(ctx.app);
  await registerAndActivate(ctx, browser, { email });
  await fillProfile(browser, email, { firstName: "Odette", lastName: "Lambert", city: "Pantin" });
  await fillFirstRequest(browser, { directDebit: true, aidantEmail: "aidant.lambert@example.fr" });
  const page = await browser.get("/demande/etape/avis");
  const draftId = /name="draftId" value="([^"]+)"/.exec(page.text)![1]!;
  const sent = await browser
    .post("/demande/etape/avis")
    .type("form")
    .send({ _csrf: csrfTokenIn(page.text), draftId, satisfaction: "Très satisfait", satisfactionComment: "", action: "envoyer" });
  expect(sent.status).toBe(303);
  const request = await ctx.db.request.findFirstOrThrow({ where: { applicant: { email } } });
  return { browser, email, requestId: request.id, number: request.number! };
}

async function download(browser: Agent) {
  const page = await browser.get("/mon-compte/mes-donnees");
  expect(page.status).toBe(200);
  return browser
    .post("/mon-compte/mes-donnees")
    .type("form")
    .send({ _csrf: csrfTokenIn(page.text) })
    .buffer(true)
    .parse(binary);
}

describe("« Télécharger mes données »", () => {
  it("is offered on « Mes informations personnelles » and gives a ZIP with the readable JSON and the documents' bytes", async () => {
    const { browser, email, requestId, number } = await applicantWithRequest();
    const agent = await createStaff(ctx.db, `instructeur${counter}@cd93.fr`);
    await ctx.db.internalNote.create({ data: { requestId, authorId: agent.id, text: "Avis d'impôt vérifié." } });

    const profile = await browser.get("/mes-informations");
    expect(profile.text).toContain('href="/mon-compte/mes-donnees"');
    expect(profile.text).toContain('href="/mon-compte/supprimer"');

    // A POST with its CSRF token, never a link a prefetch could follow.
    expect((await browser.post("/mon-compte/mes-donnees").type("form").send({})).status).toBe(403);
    const answer = await download(browser);
    expect(answer.status).toBe(200);
    expect(answer.headers["content-type"]).toBe("application/zip");
    expect(answer.headers["content-disposition"]).toBe('attachment; filename="mes-donnees-amethyste.zip"');

    const files = await unzip(answer.body as Buffer);
    const json = files.get("mes-donnees.json")!.toString("utf8");
    expect(json).toContain('\n  "compte": {\n    "adresseEmail"');
    const data = JSON.parse(json) as {
      compte: { adresseEmail: string; prenom: string; nomUsage: string };
      informationsPersonnelles: { ville: string; codePostal: string };
      demandes: {
        numero: string;
        statut: string;
        numeroPasseNavigo: string;
        aidant: { adresseEmail: string };
        prelevement: { iban: string };
        reponses: { rubrique: string }[];
        historique: { vers: string }[];
        notesInternesDesAgents: { texte: string }[];
        justificatifs: { nom: string; rubrique: string; fichier: string }[];
      }[];
    };
    expect(data.compte).toMatchObject({ adresseEmail: email, prenom: "Odette", nomUsage: "Lambert" });
    expect(data.informationsPersonnelles).toMatchObject({ codePostal: "93000", ville: "Pantin" });
    expect(data.demandes).toHaveLength(1);
    const request = data.demandes[0]!;
    expect(request).toMatchObject({ numero: number, statut: "Déposée", numeroPasseNavigo: "12345678" });
    expect(request.aidant.adresseEmail).toBe("aidant.lambert@example.fr");
    // Decrypted for the person only, in their own download.
    expect(request.prelevement.iban.replace(/\s/g, "")).toBe("FR7630006000011234567890189");
    expect(request.reponses.length).toBeGreaterThan(3);
    expect(request.historique.map((change) => change.vers)).toContain("Déposée");
    expect(request.notesInternesDesAgents).toEqual([{ le: expect.any(String) as unknown, texte: "Avis d'impôt vérifié." }]);
    expect(JSON.stringify(data)).not.toContain(`instructeur${counter}@cd93.fr`);

    const sections = request.justificatifs.map((document) => document.rubrique).sort();
    expect(sections).toEqual([...FIRST_REQUEST_SECTIONS, "RIB"].sort());
    for (const document of request.justificatifs) {
      expect(document.fichier.startsWith(`justificatifs/${number}/`)).toBe(true);
      expect(files.get(document.fichier)).toEqual(pdfFile(document.rubrique));
    }
    expect(files.has("LISEZ-MOI.txt")).toBe(true);
  }, 120_000);

  it("is only the person's own data; agents and visitors cannot reach it", async () => {
    const first = await applicantWithRequest();
    const second = await applicantWithRequest();
    const files = await unzip((await download(second.browser)).body as Buffer);
    const json = files.get("mes-donnees.json")!.toString("utf8");
    expect(json).toContain(second.number);
    expect(json).not.toContain(first.number);
    expect(json).not.toContain(first.email);

    const visitor = newBrowser(ctx.app);
    const redirected = await visitor.get("/mon-compte/mes-donnees");
    expect(redirected.status).toBe(302);
    expect(redirected.headers.location).toBe("/connexion");
    await createStaff(ctx.db, "guichet-donnees@cd93.fr");
    const staff = newBrowser(ctx.app);
    await logIn(staff, "guichet-donnees@cd93.fr");
    expect((await staff.get("/mon-compte/mes-donnees")).status).toBe(404);
    expect((await staff.get("/mon-compte/supprimer")).status).toBe(404);
  }, 120_000);
});

describe("« Supprimer mon compte »", () => {
  it("asks for the password, refuses while a request is processed, then erases the account, ends every session and mails the person", async () => {
    const { browser, email, requestId, number } = await applicantWithRequest();
    const otherDevice = newBrowser(ctx.app);
    expect((await logIn(otherDevice, email)).status).toBe(303);

    // A request being processed: the page says why and what to do, and a POST changes nothing.
    const refusedPage = await browser.get("/mon-compte/supprimer");
    expect(refusedPage.status).toBe(200);
    expect(textOf(refusedPage.text)).toContain("Une de vos demandes est en cours de traitement");
    expect(textOf(refusedPage.text)).toContain("retirer votre demande");
    expect(refusedPage.text).toContain('href="/mes-demandes"');
    expect(refusedPage.text).not.toContain('name="password"');
    const refused = await browser
      .post("/mon-compte/supprimer")
      .type("form")
      .send({ _csrf: csrfTokenIn(refusedPage.text), password: GOOD_PASSWORD, confirm: "on" });
    expect(refused.status).toBe(409);
    expect(textOf(refused.text)).toContain("ne peut pas être supprimé");
    expect(await ctx.db.user.count({ where: { email } })).toBe(1);

    // The decision comes; the person starts a new draft with a document.
    await ctx.db.request.update({ where: { id: requestId }, data: { status: "REFUSED" } });
    await ctx.db.statusChange.create({ data: { requestId, fromStatus: "SUBMITTED", toStatus: "REFUSED", message: "Ressources trop élevées." } });
    await acceptTerms(browser);
    const draft = await ctx.db.request.findFirstOrThrow({ where: { applicant: { email }, status: "DRAFT" } });
    await storeDocument(ctx, draft.id);
    const storedNames = (await ctx.db.requestDocument.findMany({ where: { request: { applicant: { email } } } })).map((document) => document.storedName);
    expect(storedNames.length).toBe(FIRST_REQUEST_SECTIONS.length + 2);
    for (const name of storedNames) expect(existsSync(path.join(ctx.uploadsDir, name))).toBe(true);

    const page = await browser.get("/mon-compte/supprimer");
    const text = textOf(page.text);
    expect(text).toContain("Ce qui sera supprimé");
    expect(text).toContain("Ce qui sera conservé");
    expect(text).toContain("sans votre nom, votre adresse, votre adresse e-mail, votre IBAN ni votre numéro de passe Navigo");

    const missing = await submitForm(browser, "/mon-compte/supprimer", { password: "", confirm: "" });
    expect(missing.status).toBe(422);
    expect(textOf(missing.text)).toContain("Indiquez votre mot de passe.");
    expect(textOf(missing.text)).toContain("Cochez la case pour confirmer");
    expect(missing.text).toContain('href="#champ-password"');

    const wrong = await submitForm(browser, "/mon-compte/supprimer", { password: "Pas-Le-Bon-Mot-2-Passe", confirm: "on" });
    expect(wrong.status).toBe(422);
    expect(textOf(wrong.text)).toContain("Le mot de passe est incorrect.");
    expect(await ctx.db.user.count({ where: { email } })).toBe(1);

    const user = await ctx.db.user.findUniqueOrThrow({ where: { email } });
    const done = await submitForm(browser, "/mon-compte/supprimer", { password: GOOD_PASSWORD, confirm: "on" });
    expect(done.status).toBe(303);
    expect(done.headers.location).toBe("/compte-supprime");
    const landing = await browser.get("/compte-supprime");
    expect(textOf(landing.text)).toContain("Votre compte a été supprimé");

    // Every session is over: this one, and the other device's.
    const afterwards = await otherDevice.get("/mes-informations");
    expect(afterwards.status).toBe(302);
    expect(afterwards.headers.location).toBe("/connexion");
    expect((await browser.get("/mes-demandes")).status).toBe(302);
    expect((await logIn(newBrowser(ctx.app), email)).status).toBe(401);

    // The profile, the draft and every document are gone; the finished request stays, anonymised.
    const shell = await ctx.db.user.findUniqueOrThrow({ where: { id: user.id }, include: { profile: true, tokens: true } });
    expect(shell).toMatchObject({ email: erasedEmail(user.id), firstName: "Compte", lastName: "supprimé", passwordHash: null, profile: null, tokens: [] });
    const kept = await ctx.db.request.findMany({ where: { applicantId: user.id }, include: { documents: true, statusChanges: true } });
    expect(kept).toHaveLength(1);
    expect(kept[0]).toMatchObject({
      number,
      status: "REFUSED",
      navigoNumber: null,
      aidantName: null,
      aidantEmail: null,
      ibanEncrypted: null,
      ibanLast4: null,
      bic: null,
      accountHolder: null,
      profileSnapshot: null,
      documents: [],
    });
    expect(kept[0]!.statusChanges.length).toBeGreaterThan(1);
    for (const name of storedNames) expect(existsSync(path.join(ctx.uploadsDir, name))).toBe(false);
    expect(await ctx.db.session.count({ where: { sess: { path: ["passport", "user", "id"], equals: user.id } } })).toBe(0);

    await ctx.deliverMails();
    const mail = await ctx.smtp.waitFor(email, "a été supprimé");
    expect(mail.text).toContain("Bonjour Odette");
    const entry = await ctx.db.auditLog.findFirstOrThrow({ where: { action: "ACCOUNT_DELETED" } });
    expect(entry.actorId).toBeNull();
    expect(JSON.stringify(entry.details)).toContain(user.id);
    expect(JSON.stringify(entry.details)).not.toMatch(/droits|Odette|Lambert|Pantin|example\.fr/);

    // The address is free again: the person may come back with a new account.
    await registerAndActivate(ctx, newBrowser(ctx.app), { email });
  }, 180_000);
});

describe("« Données personnelles »", () => {
  it("states the configured periods and the DPO, and links to the two account actions", async () => {
    const page = await newBrowser(ctx.app).get("/donnees-personnelles");
    const text = textOf(page.text);
    expect(text).toContain("pendant 3 ans, le compte est supprimé");
    expect(text).toContain("modifiée pendant 1 an");
    expect(text).toContain("Supprimés 2 ans après la décision");
    expect(text).toContain("envoyé 30 jours avant");
    expect(text).toContain("dpo@seinesaintdenis.fr");
    expect(page.text).toContain('href="/mon-compte/mes-donnees"');
    expect(page.text).toContain('href="/mon-compte/supprimer"');

    const other = await createTestContext({
      env: {
        RETENTION_DRAFT_MONTHS: "18",
        RETENTION_DOCUMENT_MONTHS: "30",
        RETENTION_ACCOUNT_MONTHS: "60",
        RETENTION_WARNING_DAYS: "45",
        DPO_EMAIL: "protection.donnees@example.fr",
      },
    });
    try {
      const changed = textOf((await newBrowser(other.app).get("/donnees-personnelles")).text);
      expect(changed).toContain("pendant 5 ans, le compte est supprimé");
      expect(changed).toContain("modifiée pendant 18 mois");
      expect(changed).toContain("Supprimés 30 mois après la décision");
      expect(changed).toContain("envoyé 45 jours avant");
      expect(changed).toContain("protection.donnees@example.fr");
      expect(changed).not.toContain("dpo@seinesaintdenis.fr");
    } finally {
      await other.close();
    }
  }, 60_000);
});
