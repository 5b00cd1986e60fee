import { readdir } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GOOD_PASSWORD, registerAndActivate, logIn } from "../support/accounts.js";
import { acceptTerms, fillFirstRequest, fillProfile, step, upload } from "../support/applicant.js";
import { newBrowser, submitForm, textOf } from "../support/browserless.js";
import { executableFile, htmlFile, jpegFile, pdfFile, pngFile } from "../support/files.js";
import { createTestContext, MANY_REGISTRATIONS, type TestContext } from "../support/test-app.js";

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext({ throttleRules: MANY_REGISTRATIONS });
});
afterAll(async () => ctx.close());

/** A renewal (AC, zones 1 à 5, no aidant) filled up to « Mode de participation ». */
async function renewalUpToParticipation(agent: ReturnType<typeof newBrowser>) {
  await acceptTerms(agent);
  await step(agent, "type", { type: "RENEWAL" });
  await step(agent, "navigo", { navigoNumber: "12345678" });
  await step(agent, "zonage", { statutCode: "AC", zonageCode: "Z1_5" });
  await step(agent, "revenus", { referenceTaxIncome: "20000", taxShares: "2" });
  await step(agent, "aidant", { aidantName: "", aidantEmail: "" });
}

let counter = 0;
async function newApplicant(options: { profile?: boolean } = {}) {
  const email = `demandeur${++counter}@example.fr`;
  const agent = newBrowser(ctx.app);
  await registerAndActivate(ctx, agent, { email });
  if (options.profile !== false) await fillProfile(agent, email);
  return { agent, email };
}

describe("Mes informations personnelles", () => {
  it("must be complete before a request can start", async () => {
    const { agent } = await newApplicant({ profile: false });
    const page = await agent.get("/demande");
    expect(page.status).toBe(200);
    expect(textOf(page.text)).toContain("Avant de faire votre demande, complétez vos informations personnelles");
    expect(page.text).toContain('href="/mes-informations"');
  });

  it("saves every field, normalising the phone number", async () => {
    const { agent, email } = await newApplicant();
    const page = await agent.get("/mes-informations");
    expect(page.text).toContain('value="06 12 34 56 78"');
    expect(page.text).toContain('value="18/06/1950"');
    const user = await ctx.db.user.findUniqueOrThrow({ where: { email }, include: { profile: true } });
    expect(user.profile).toMatchObject({ civility: "MADAME", postalCode: "93000", city: "Bobigny", protectionMeasure: false });
    expect(user.profile!.birthDate!.toISOString().slice(0, 10)).toBe("1950-06-18");
  });

  it.each([
    [{ postalCode: "9300" }, "Le code postal compte 5 chiffres"],
    [{ birthDate: "31/02/1950" }, "Cette date n'existe pas"],
    [{ birthDate: "" }, "Indiquez votre date de naissance, ou cochez"],
    [{ mobilePhone: "01 43 93 93 93" }, "Un numéro de mobile commence par 06 ou 07."],
    [{ protectionMeasure: "oui", protectionType: "" }, "Indiquez le type de mesure de protection."],
    [{ civility: "" }, "Indiquez votre civilité."],
  ])("refuses %o with a French message, keeping what was typed", async (change, message) => {
    const { agent, email } = await newApplicant();
    const answer = await submitForm(agent, "/mes-informations", { ...(await import("../support/applicant.js")).PROFILE, email, city: "Montreuil", ...change });
    expect(answer.status).toBe(422);
    expect(textOf(answer.text)).toContain(message);
    expect(answer.text).toContain('value="Montreuil"');
    const user = await ctx.db.user.findUniqueOrThrow({ where: { email }, include: { profile: true } });
    expect(user.profile!.city).toBe("Bobigny");
  });

  it("changes the e-mail address only once the new one is confirmed", async () => {
    const { agent, email } = await newApplicant();
    const answer = await submitForm(agent, "/mes-informations", {
      ...(await import("../support/applicant.js")).PROFILE,
      email: "nouvelle@example.fr",
      currentPassword: GOOD_PASSWORD,
    });
    expect(answer.status).toBe(303);
    expect((await ctx.db.user.findUniqueOrThrow({ where: { email } })).email).toBe(email);
    await ctx.deliverMails();
    const mail = await ctx.smtp.waitFor("nouvelle@example.fr", "Confirmez votre nouvelle adresse");
    const notice = await ctx.smtp.waitFor(email, "Demande de changement de votre adresse e-mail");
    expect(notice.text).toContain("http://portail.test/mot-de-passe-oublie");
    const link = /http:\/\/portail\.test(\/mes-informations\/confirmer-email\?token=\S+)/.exec(mail.text)![1]!;
    const confirmed = await agent.get(link);
    expect(confirmed.status).toBe(200);
    expect(textOf(confirmed.text)).toContain("Votre nouvelle adresse e-mail est confirmée");
    expect(await ctx.db.user.count({ where: { email: "nouvelle@example.fr" } })).toBe(1);
    expect((await logIn(newBrowser(ctx.app), "nouvelle@example.fr")).status).toBe(303);
  });
});

describe("The request wizard", () => {
  it("asks to accept the terms first, then resumes the one draft", async () => {
    const { agent } = await newApplicant();
    const terms = await agent.get("/demande");
    expect(textOf(terms.text)).toContain("J'accepte les termes d'utilisation de ce télé service");
    const refused = await submitForm(agent, "/demande", {});
    expect(refused.status).toBe(422);
    await acceptTerms(agent);
    // Accepting again (another tab, a replayed form) creates no second draft.
    const again = await submitForm(agent, "/mes-informations", { acceptTerms: "on" }, "/demande");
    expect(again.status).toBe(303);
    const resumed = await agent.get("/demande");
    expect(resumed.headers.location).toBe("/demande/etape/type");
    const page = await agent.get("/demande/etape/type");
    expect(page.text).toMatch(/<title>Type de demande – Étape 1 sur 10/);
    expect(textOf(page.text)).toContain("Étape 1 sur 10");
    const user = await ctx.db.user.findFirstOrThrow({ where: { email: `demandeur${counter}@example.fr` } });
    const drafts = await ctx.db.request.findMany({ where: { applicantId: user.id } });
    expect(drafts).toHaveLength(1);
    expect(drafts[0]!.termsVersion).toBe("2026-11");
  });

  it("redirects a step not reached yet to the first incomplete one", async () => {
    const { agent } = await newApplicant();
    await acceptTerms(agent);
    const early = await agent.get("/demande/etape/revenus");
    expect(early.status).toBe(303);
    expect(early.headers.location).toBe("/demande/etape/type");
    expect((await agent.get("/demande/etape/nexiste-pas")).status).toBe(404);
  });

  it("has no eligibility step for a renewal, and counts the steps accordingly", async () => {
    const { agent } = await newApplicant();
    await acceptTerms(agent);
    const answer = await step(agent, "type", { type: "RENEWAL" });
    expect(answer.headers.location).toBe("/demande/etape/navigo");
    const navigo = await agent.get("/demande/etape/navigo");
    expect(textOf(navigo.text)).toContain("Étape 2 sur 9");
    expect(navigo.text).not.toContain("/demande/etape/eligibilite");
  });

  it("explains why the answers make a person ineligible, with the department's contact, and does not go on", async () => {
    const { agent } = await newApplicant();
    await acceptTerms(agent);
    await step(agent, "type", { type: "FIRST" });
    const answer = await step(agent, "eligibilite", { statutCode: "PA", residentOneYear: "non", taxable: "oui", retired: "oui", otherTransportAid: "oui" });
    expect(answer.status).toBe(200);
    const text = textOf(answer.text);
    expect(text).toContain("vous ne pouvez pas bénéficier du forfait Améthyste");
    expect(text).toContain("Il faut habiter en Seine-Saint-Denis depuis au moins un an.");
    expect(text).toContain("il ne faut pas être imposable");
    expect(text).toContain("ne se cumule pas avec le Chèque Taxi");
    expect(text).toContain("01 43 93 93 93");
    expect((await agent.get("/demande/etape/navigo")).headers.location).toBe("/demande/etape/eligibilite");
  });

  it.each([
    ["navigo", { navigoNumber: "12AB34" }, "ne contient que des chiffres"],
    ["navigo", { navigoNumber: "" }, "Indiquez le numéro de votre Passe Navigo."],
    ["revenus", { referenceTaxIncome: "12,50", taxShares: "1" }, "sans centimes"],
    ["revenus", { referenceTaxIncome: "-5", taxShares: "1" }, "sans centimes"],
    ["revenus", { referenceTaxIncome: "1000", taxShares: "1,3" }, "de 0,25 en 0,25"],
    ["revenus", { referenceTaxIncome: "1000", taxShares: "11" }, "entre 1 et 10"],
    ["aidant", { aidantName: "Dupont", aidantEmail: "" }, "Indiquez aussi le courriel de l'aidant"],
    ["aidant", { aidantName: "", aidantEmail: "aidant@example.fr" }, "Indiquez aussi le nom de l'aidant"],
    [
      "participation",
      { directDebit: "oui", iban: "FR76 3000 6000 0112 3456 7890 180", bic: "AGRIFRPP", accountHolder: "X", debitConsent: "on" },
      "Ce numéro IBAN n'est pas valide",
    ],
    [
      "participation",
      { directDebit: "oui", iban: "FR76 3000 6000 0112 3456 7890 189", bic: "AGRI", accountHolder: "X", debitConsent: "on" },
      "Le BIC compte 8 ou 11 caractères",
    ],
    [
      "participation",
      { directDebit: "oui", iban: "FR76 3000 6000 0112 3456 7890 189", bic: "AGRIFRPP", accountHolder: "X" },
      "Cochez la case pour accepter le paiement",
    ],
  ])("step %s refuses %o with a French message (422), keeping what was typed", async (slug, fields, message) => {
    const { agent } = await newApplicant();
    await renewalUpToParticipation(agent);
    const answer = await step(agent, slug, fields);
    expect(answer.status).toBe(422);
    expect(textOf(answer.text)).toContain(message);
    for (const value of Object.values(fields)) if (value && value !== "on" && value !== "oui") expect(answer.text).toContain(`value="${value}"`);
  });

  it("keeps what was typed when the person goes back before it is valid", async () => {
    const { agent } = await newApplicant();
    await acceptTerms(agent);
    await step(agent, "type", { type: "RENEWAL" });
    const back = await step(agent, "navigo", { navigoNumber: "12AB" }, "precedent");
    expect(back.status).toBe(303);
    expect(back.headers.location).toBe("/demande/etape/type");
    expect((await agent.get("/demande/etape/navigo")).text).toContain('value="12AB"');
  });

  it("stores the IBAN encrypted, shows only its last 4 characters, and needs no RIB without direct debit", async () => {
    const { agent, email } = await newApplicant();
    await fillFirstRequest(agent, { directDebit: true });
    const user = await ctx.db.user.findUniqueOrThrow({ where: { email } });
    const draft = await ctx.db.request.findFirstOrThrow({ where: { applicantId: user.id } });
    expect(draft.ibanEncrypted).toMatch(/^v1:/);
    expect(draft.ibanEncrypted).not.toContain("FR76");
    expect(draft.ibanLast4).toBe("0189");
    const summary = await agent.get("/demande/etape/recapitulatif");
    expect(textOf(summary.text)).toContain("•••• •••• •••• •••• •••• 0189");
    expect(summary.text).not.toContain("FR7630006000011234567890189");
    expect(textOf(summary.text)).toContain("Zones 2 à 5");
    expect(textOf(summary.text)).toContain("30 €");

    // Switching to « Non » drops the bank details and the RIB from the required sections.
    await step(agent, "participation", { directDebit: "non" });
    const documents = await agent.get("/demande/etape/justificatifs");
    expect(documents.text).not.toContain('id="section-RIB"');
    const after = await ctx.db.request.findFirstOrThrow({ where: { applicantId: user.id } });
    expect(after.ibanEncrypted).toBeNull();
  });

  it("requires a RIB again when direct debit is chosen after the documents were done", async () => {
    const { agent } = await newApplicant();
    await fillFirstRequest(agent);
    await step(agent, "participation", {
      directDebit: "oui",
      iban: "FR76 3000 6000 0112 3456 7890 189",
      bic: "AGRIFRPP",
      accountHolder: "Igrek Ikse",
      debitConsent: "on",
    });
    expect((await agent.get("/demande/etape/recapitulatif")).headers.location).toBe("/demande/etape/justificatifs");
    const refused = await step(agent, "justificatifs", {});
    expect(refused.status).toBe(422);
    expect(textOf(refused.text)).toContain("Ajoutez au moins un fichier dans « RIB »");
  });

  it("resumes after logout, on another browser, at the first incomplete step with every answer", async () => {
    const { agent, email } = await newApplicant();
    await acceptTerms(agent);
    await step(agent, "type", { type: "RENEWAL" });
    await step(agent, "navigo", { navigoNumber: "87654321" });
    const other = newBrowser(ctx.app);
    await logIn(other, email);
    const resumed = await other.get("/demande");
    expect(resumed.headers.location).toBe("/demande/etape/zonage");
    expect((await other.get("/demande/etape/navigo")).text).toContain('value="87654321"');
  });
});

describe("Justificatifs", () => {
  async function atDocuments() {
    const { agent, email } = await newApplicant();
    await renewalUpToParticipation(agent);
    await step(agent, "participation", { directDebit: "non" });
    return { agent, email };
  }
  const storedFiles = async () => (await readdir(ctx.uploadsDir)).filter((name) => name !== ".incoming");

  it("accepts PDF, PNG and JPEG by content, lists them, and lets the owner download them", async () => {
    const { agent } = await atDocuments();
    const answer = await upload(agent, "IDENTITY", [
      { name: "carte.pdf", content: pdfFile() },
      { name: "photo.png", content: pngFile() },
      { name: "scan.jpg", content: jpegFile() },
    ]);
    expect(answer.status).toBe(303);
    const page = await agent.get("/demande/etape/justificatifs");
    expect(textOf(page.text)).toContain("3 fichiers enregistrés dans « Pièce d'identité ».");
    expect(textOf(page.text)).toContain("✓ Enregistré");
    const id = /href="\/documents\/([0-9a-f-]{36})">carte\.pdf/.exec(page.text)![1]!;
    const download = await agent.get(`/documents/${id}`);
    expect(download.status).toBe(200);
    expect(download.headers["content-type"]).toBe("application/pdf");
    expect(download.headers["content-disposition"]).toMatch(/^attachment; filename="?carte\.pdf"?$/);
    expect(download.headers["x-content-type-options"]).toBe("nosniff");
    expect(
      Buffer.from(download.body as Buffer)
        .subarray(0, 5)
        .toString(),
    ).toBe("%PDF-");

    // Another applicant, or nobody, gets 404.
    const stranger = await newApplicant();
    expect((await stranger.agent.get(`/documents/${id}`)).status).toBe(404);
    expect((await newBrowser(ctx.app).get(`/documents/${id}`)).status).toBe(302);
  });

  it.each([
    ["an executable named .pdf", [{ name: "avis.pdf", content: executableFile() }], "n'est pas d'un type accepté"],
    ["HTML named .pdf", [{ name: "avis.pdf", content: htmlFile() }], "n'est pas d'un type accepté"],
    ["an empty file", [{ name: "vide.pdf", content: Buffer.alloc(0) }], "est vide"],
    [
      "10 MB + 1 byte",
      [{ name: "gros.pdf", content: Buffer.concat([pdfFile(), Buffer.alloc(10 * 1024 * 1024 + 1 - pdfFile().length)]) }],
      "dépasse la taille maximale de 10 Mo",
    ],
    ["six files at once", Array.from({ length: 6 }, (_, i) => ({ name: `p${i}.pdf`, content: pdfFile() })), "au plus 5 fichiers à la fois"],
    ["no file", [], "Sélectionnez au moins un fichier"],
  ])("refuses %s (422, French message), leaving no file and no row", async (_label, files, message) => {
    const { agent } = await atDocuments();
    const before = await storedFiles();
    const answer = await upload(agent, "TAX_NOTICE", files);
    expect(answer.status).toBe(422);
    expect(textOf(answer.text)).toContain(message);
    expect(await storedFiles()).toEqual(before);
    expect(await readdir(`${ctx.uploadsDir}/.incoming`)).toEqual([]);
    expect(await ctx.db.requestDocument.count({ where: { section: "TAX_NOTICE", originalName: { in: files.map((file) => file.name) } } })).toBe(0);
  });

  it("keeps a name with ../ only as a harmless display name, storing the file under a random name", async () => {
    const { agent } = await atDocuments();
    const answer = await upload(agent, "NAVIGO", [{ name: "../../etc/passe.pdf", content: pdfFile() }]);
    expect(answer.status).toBe(303);
    const row = await ctx.db.requestDocument.findFirstOrThrow({ where: { section: "NAVIGO", originalName: "passe.pdf" } });
    expect(row.storedName).toMatch(/^[0-9a-f]{48}$/);
    expect(await storedFiles()).toContain(row.storedName);
  });

  it("removes a file with « Supprimer », from the disk too", async () => {
    const { agent } = await atDocuments();
    await upload(agent, "IDENTITY", [{ name: "a-supprimer.pdf", content: pdfFile() }]);
    const row = await ctx.db.requestDocument.findFirstOrThrow({ where: { originalName: "a-supprimer.pdf" } });
    const answer = await submitForm(agent, "/demande/etape/justificatifs", {}, `/demande/justificatifs/fichier/${row.id}/supprimer`);
    expect(answer.status).toBe(303);
    expect(await ctx.db.requestDocument.count({ where: { id: row.id } })).toBe(0);
    expect(await storedFiles()).not.toContain(row.storedName);
  });

  it("refuses an upload without a CSRF token, keeping nothing", async () => {
    const { agent } = await atDocuments();
    const before = await storedFiles();
    const answer = await agent.post("/demande/justificatifs/IDENTITY").attach("fichiers", pdfFile(), "carte.pdf");
    expect(answer.status).toBe(403);
    expect(await storedFiles()).toEqual(before);
    expect(await readdir(`${ctx.uploadsDir}/.incoming`)).toEqual([]);
  });

  it("refuses « Suivant » while a required section is empty, naming it", async () => {
    const { agent } = await atDocuments();
    const answer = await step(agent, "justificatifs", {});
    expect(answer.status).toBe(422);
    expect(textOf(answer.text)).toContain("Ajoutez au moins un fichier dans « Pièce d'identité »");
    expect(textOf(answer.text)).toContain("Ajoutez au moins un fichier dans « Avis d'imposition »");
  });
});
