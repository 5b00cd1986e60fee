/**
 * Renewals: the reminders 60 and 15 days before « Droit valable au » (to the
 * applicant and the aidant, never twice, not while a renewal is under way),
 * and « Renouveler », which starts a renewal filled from the last validated
 * request, with the still-valid documents copied (never the tax notice).
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runRenewalReminders } from "../../src/features/renewals/reminder-job.js";
import { sendRenewalReminders } from "../../src/features/renewals/renewal-reminders.js";
import { logIn, registerAndActivate } from "../support/accounts.js";
import { fillFirstRequest, fillProfile, step } from "../support/applicant.js";
import { seedRequest } from "../support/back-office.js";
import { csrfTokenIn, linkIn, newBrowser, submitForm, textOf } from "../support/browserless.js";
import { pdfFile } from "../support/files.js";
import { createTestContext, MANY_REGISTRATIONS, PUBLIC_URL, type TestContext } from "../support/test-app.js";

const DAY_MS = 24 * 60 * 60 * 1000;

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext({ throttleRules: MANY_REGISTRATIONS });
});
afterAll(async () => ctx.close());

/** The calendar day `days` after the test clock's today (UTC midnight, as « Droit valable au » is stored). */
function dayIn(days: number, from = ctx.clock.now()): Date {
  const today = Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate());
  return new Date(today + days * DAY_MS);
}

let people = 0;
async function validatedRequest(validUntil: Date, options: { aidantEmail?: string } = {}) {
  people += 1;
  const email = `rappel${people}@example.fr`;
  const request = await seedRequest(ctx.db, {
    firstName: "Odile",
    email,
    status: "APPROVED",
    aidantName: options.aidantEmail ? "Karim Benali" : null,
    aidantEmail: options.aidantEmail ?? null,
    extra: { validFrom: new Date(validUntil.getTime() - 364 * DAY_MS), validUntil },
  });
  return { request, email };
}

/** What the job needs, as the server gives it. */
const job = () => ({ db: ctx.db, clock: ctx.clock, publicUrl: PUBLIC_URL });

const reminders = (address: string) => ctx.smtp.to(address).filter((mail) => mail.subject.includes("pensez à le renouveler"));

describe("the renewal reminders", () => {
  it("mail the applicant and the aidant 60 days, then 15 days before « Droit valable au », each once", async () => {
    const validUntil = dayIn(60);
    const { request, email } = await validatedRequest(validUntil, { aidantEmail: "aidant.rappel@example.fr" });
    const shown = validUntil.toLocaleDateString("fr-FR", { timeZone: "UTC" });

    expect(await sendRenewalReminders(job(), dayIn(-1))).toBe(0); // 61 days before: too early
    const ran = await runRenewalReminders(ctx.pool, job());
    expect(ran).toBeGreaterThanOrEqual(1);
    await ctx.deliverMails();
    const mail = await ctx.smtp.waitFor(email, "pensez à le renouveler");
    expect(mail.subject).toBe(`Votre forfait Améthyste est valable jusqu'au ${shown} : pensez à le renouveler`);
    expect(mail.text).toContain("Bonjour Odile,");
    expect(mail.text).toContain(`${PUBLIC_URL}/renouveler`);
    expect(linkIn(mail.text, "/renouveler")).toBe("/renouveler");
    const aidantMail = await ctx.smtp.waitFor("aidant.rappel@example.fr", "pensez à le renouveler");
    expect(aidantMail.subject).toBe(`Le forfait Améthyste de la personne que vous aidez est valable jusqu'au ${shown} : pensez à le renouveler`);
    expect(aidantMail.text).toContain("Bonjour Karim Benali,");

    // The same day again, the next days, two servers at once: nothing more.
    await Promise.all([
      runRenewalReminders(ctx.pool, job()),
      runRenewalReminders(ctx.pool, job()),
      sendRenewalReminders(job(), dayIn(1)),
      sendRenewalReminders(job(), dayIn(30)),
    ]);
    await ctx.deliverMails();
    expect(reminders(email)).toHaveLength(1);
    expect(reminders("aidant.rappel@example.fr")).toHaveLength(1);

    // 15 days before: the second reminder, once.
    expect(await sendRenewalReminders(job(), dayIn(45))).toBeGreaterThanOrEqual(1);
    await sendRenewalReminders(job(), dayIn(45));
    await sendRenewalReminders(job(), dayIn(50));
    await ctx.deliverMails();
    expect(reminders(email)).toHaveLength(2);
    expect(reminders("aidant.rappel@example.fr")).toHaveLength(2);
    const stored = await ctx.db.renewalReminder.findMany({ where: { requestId: request.id }, orderBy: { kind: "asc" } });
    expect(stored.map((row) => row.kind)).toEqual(["D15", "D60"]);
  });

  it("send only the 15-day reminder to a right found inside 15 days, and nothing once it has ended", async () => {
    const { email } = await validatedRequest(dayIn(10));
    const { email: ended } = await validatedRequest(dayIn(-1));
    await sendRenewalReminders(job(), ctx.clock.now());
    await ctx.deliverMails();
    await ctx.smtp.waitFor(email, "pensez à le renouveler");
    expect(reminders(email)).toHaveLength(1);
    expect(reminders(ended)).toHaveLength(0);
    expect(await ctx.db.renewalReminder.count({ where: { request: { applicant: { email } } } })).toBe(1);
  });

  it("are not sent while a renewal is in preparation or waiting for its answer", async () => {
    const drafting = await validatedRequest(dayIn(60));
    await ctx.db.request.create({ data: { applicantId: drafting.request.applicantId, termsAcceptedAt: new Date(), termsVersion: "2026-11", type: "RENEWAL" } });
    const sent = await validatedRequest(dayIn(60));
    await ctx.db.request.create({
      data: {
        applicantId: sent.request.applicantId,
        termsAcceptedAt: new Date(),
        termsVersion: "2026-11",
        type: "RENEWAL",
        status: "SUBMITTED",
        submittedAt: new Date(),
      },
    });
    const control = await validatedRequest(dayIn(60));
    await sendRenewalReminders(job(), ctx.clock.now());
    await ctx.deliverMails();
    await ctx.smtp.waitFor(control.email, "pensez à le renouveler");
    expect(reminders(drafting.email)).toHaveLength(0);
    expect(reminders(sent.email)).toHaveLength(0);
  });
});

/** A first request sent through the wizard (direct debit, an aidant, real files), then validated until `validUntil`. */
async function applicantWithValidatedRequest(validUntil: Date) {
  people += 1;
  const email = `renouvelle${people}@example.fr`;
  const browser = newBrowser(ctx.app);
  await registerAndActivate(ctx, browser, { email });
  await fillProfile(browser, email);
  await fillFirstRequest(browser, { directDebit: true, aidantEmail: "aidant.renouvelle@example.fr" });
  const page = await browser.get("/demande/etape/avis");
  const draftId = /name="draftId" value="([^"]+)"/.exec(page.text)![1]!;
  const sent = await browser
    .post("/demande/etape/avis")
    .type("form")
    .send({ _csrf: csrfTokenIn(page.text), draftId, satisfaction: "Très satisfait", action: "envoyer" });
  expect(sent.status).toBe(303);
  const previous = await ctx.db.request.update({
    where: { id: draftId },
    // Sent and validated about a year ago, with that year's tax notice.
    data: {
      status: "APPROVED",
      submittedAt: new Date(validUntil.getTime() - 380 * DAY_MS),
      validFrom: new Date(validUntil.getTime() - 364 * DAY_MS),
      validUntil,
    },
    include: { documents: true },
  });
  return { browser, email, previous };
}

async function storedBytes(storedName: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of await ctx.storage.read(storedName)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

describe("« Renouveler »", () => {
  it("starts a renewal filled from the last validated request, each step to check, with the identity and Navigo copies and the RIB reused, never the tax notice", async () => {
    const { browser, previous } = await applicantWithValidatedRequest(dayIn(40));

    // From « Mes demandes terminées » and the request's page.
    expect(textOf((await browser.get(`/mes-demandes/${previous.number}`)).text)).toContain("Renouveler");
    const start = await browser.get("/renouveler");
    expect(start.status).toBe(200);
    const startText = textOf(start.text);
    expect(startText).toContain(`Votre demande n° ${previous.number} a été validée`);
    expect(startText).toContain("pas l'avis d'imposition");

    const refused = await submitForm(browser, "/renouveler", {});
    expect(refused.status).toBe(422);
    expect(textOf(refused.text)).toContain("Cochez la case pour accepter les termes d'utilisation et commencer votre renouvellement.");
    expect(await ctx.db.request.count({ where: { applicantId: previous.applicantId } })).toBe(1);

    const started = await submitForm(browser, "/renouveler", { acceptTerms: "on" });
    expect(started.status).toBe(303);
    expect(started.headers.location).toBe("/demande");
    const draft = await ctx.db.request.findFirstOrThrow({ where: { applicantId: previous.applicantId, status: "DRAFT" }, include: { documents: true } });
    expect(draft.type).toBe("RENEWAL");
    expect(draft.completedSteps).toEqual([]);
    expect(draft.ibanEncrypted).toBe(previous.ibanEncrypted);
    expect(draft.debitConsent).toBe(false);

    // Documents: copies under new names, the same bytes; no tax notice, no address or situation proof.
    expect(draft.documents.map((document) => document.section).sort()).toEqual(["IDENTITY", "NAVIGO", "RIB"]);
    for (const copy of draft.documents) {
      const original = previous.documents.find((document) => document.section === copy.section)!;
      expect(copy.storedName).not.toBe(original.storedName);
      expect(copy.reused).toBe(true);
      expect(await readFile(path.join(ctx.uploadsDir, copy.storedName))).toEqual(await storedBytes(original.storedName));
    }

    // The wizard resumes at its first step; each step shows the previous values and is done only with « Suivant ».
    const resumed = await browser.get("/demande");
    expect(resumed.headers.location).toBe("/demande/etape/type");
    expect((await browser.get("/demande/etape/type")).text).toContain('value="RENEWAL" checked');
    expect((await step(browser, "type", { type: "RENEWAL" })).status).toBe(303);
    expect((await browser.get("/demande/etape/navigo")).text).toContain(`value="${previous.navigoNumber}"`);
    expect((await step(browser, "navigo", { navigoNumber: "A 1234 5678" })).status).toBe(303);
    const zonagePage = (await browser.get("/demande/etape/zonage")).text;
    expect(zonagePage).toContain('value="Z2_5" checked');
    expect(zonagePage).toMatch(/<option value="PA"[^>]*selected/);
    const zonage = await step(browser, "zonage", { statutCode: "PA", zonageCode: "Z2_5" });
    expect(zonage.status, textOf(zonage.text).slice(0, 1500)).toBe(303);
    // Last year's notice: the figures are asked again.
    const income = await browser.get("/demande/etape/revenus");
    expect(income.text).not.toContain('value="9 850"');
    expect(income.text).not.toContain('value="9850"');
    expect((await step(browser, "revenus", { referenceTaxIncome: "10 200", taxShares: "1,5" })).status).toBe(303);
    const aidant = await browser.get("/demande/etape/aidant");
    expect(aidant.text).toContain('value="aidant.renouvelle@example.fr"');
    // The aidant named here gets the mails; to see the request they are invited with their own account, never with the applicant's password.
    const aidantStepText = textOf(aidant.text);
    expect(aidantStepText).not.toContain("se connecter avec votre compte");
    expect(aidantStepText).toContain("avec son propre compte, sans votre mot de passe, invitez-le depuis « Mon aidant »");
    expect(/<main[\s\S]*<\/main>/.exec(aidant.text)![0]).toContain('<a href="/mon-aidant">« Mon aidant »</a>');
    expect((await step(browser, "aidant", { aidantName: "Dupont", aidantEmail: "aidant.renouvelle@example.fr" })).status).toBe(303);
    const participation = await browser.get("/demande/etape/participation");
    expect(participation.text).toContain('value="AGRIFRPP"');
    expect(participation.text).toContain('value="Igrek Ikse"');
    // The mandate is agreed again: without the box the step is refused, the saved IBAN kept.
    const noConsent = await step(browser, "participation", { directDebit: "oui", iban: "", bic: "AGRIFRPP", accountHolder: "Igrek Ikse" });
    expect(noConsent.status).toBe(422);
    expect(textOf(noConsent.text)).toContain("Cochez la case pour accepter le paiement par prélèvement automatique.");
    expect(
      (await step(browser, "participation", { directDebit: "oui", iban: "", bic: "AGRIFRPP", accountHolder: "Igrek Ikse", debitConsent: "on" })).status,
    ).toBe(303);

    const documents = await browser.get("/demande/etape/justificatifs");
    const documentsText = textOf(documents.text);
    expect(documentsText.match(/repris de votre demande précédente/g)).toHaveLength(3);
    expect(documentsText).toContain("Vérifiez que cette pièce d'identité est toujours valable.");
    // Only this year's tax notice is missing.
    const upload = await browser
      .post("/demande/justificatifs/TAX_NOTICE")
      .field("_csrf", csrfTokenIn(documents.text))
      .attach("fichiers", pdfFile("Avis 2026"), "avis-2026.pdf");
    expect(upload.status).toBe(303);
    expect((await step(browser, "justificatifs", {})).status).toBe(303);
    expect((await step(browser, "recapitulatif", { navigoNumber: "12345678" })).status).toBe(303);

    const feedback = await browser.get("/demande/etape/avis");
    const draftId = /name="draftId" value="([^"]+)"/.exec(feedback.text)![1]!;
    const sent = await browser
      .post("/demande/etape/avis")
      .type("form")
      .send({ _csrf: csrfTokenIn(feedback.text), draftId, satisfaction: "Très satisfait", action: "envoyer" });
    expect(sent.status).toBe(303);
    const renewal = await ctx.db.request.findUniqueOrThrow({ where: { id: draftId }, include: { documents: true } });
    expect(renewal.status).toBe("SUBMITTED");
    expect(renewal.type).toBe("RENEWAL");
    expect(renewal.referenceTaxIncome).toBe(10200);
    expect(renewal.documents.map((document) => document.section).sort()).toEqual(["IDENTITY", "NAVIGO", "RIB", "TAX_NOTICE"]);

    // With the renewal sent, no reminder for the old right.
    await sendRenewalReminders(job(), ctx.clock.now());
    await ctx.deliverMails();
    expect(reminders(renewal.aidantEmail!)).toHaveLength(0);
  });

  it("tells an aidant whose own right is also to renew that this page renews theirs, and how to renew the person's", async () => {
    const { request: helped } = await validatedRequest(dayIn(30));
    const { request: own, email } = await validatedRequest(dayIn(40));
    await ctx.db.aidantAccess.create({ data: { applicantId: helped.applicantId, aidantId: own.applicantId } });
    const aidant = newBrowser(ctx.app);
    await logIn(aidant, email);

    const page = await aidant.get("/renouveler");
    expect(textOf(page.text)).toContain(`Votre demande n° ${own.number} a été validée`);
    expect(textOf(page.text)).toContain(
      "Cette page renouvelle votre propre forfait. Pour renouveler celui d'une personne que vous aidez, ouvrez « Personnes que j'aide » et choisissez « Agir pour … ».",
    );
    expect(page.text).toContain('href="/personnes-aidees"');
  });

  it("renews the right of the person an aidant acts for, never the aidant's own", async () => {
    const { request: previous } = await validatedRequest(dayIn(30), { aidantEmail: "aidant.agit@example.fr" });
    const aidant = newBrowser(ctx.app);
    await registerAndActivate(ctx, aidant, { email: "aidant.agit@example.fr", firstName: "Karim", lastName: "Benali" });
    const aidantUser = await ctx.db.user.findUniqueOrThrow({ where: { email: "aidant.agit@example.fr" } });
    await ctx.db.aidantAccess.create({ data: { applicantId: previous.applicantId, aidantId: aidantUser.id } });

    // Logged in as themself (from the reminder mail): the page says to act for the person first.
    const own = await aidant.get("/renouveler");
    expect(textOf(own.text)).toContain(
      "Vous aidez une personne dont le forfait Améthyste arrive à son terme ? Ouvrez « Personnes que j'aide » et choisissez « Agir pour … »",
    );
    expect(own.text).toContain('<a class="button" href="/personnes-aidees">Personnes que j\'aide</a>');
    expect(textOf(own.text)).not.toContain("faites une première demande");

    expect((await submitForm(aidant, "/personnes-aidees", { personId: previous.applicantId }, "/personnes-aidees/agir")).status).toBe(303);
    const page = textOf((await aidant.get("/renouveler")).text);
    expect(page).toContain("Vous agissez pour Odile");
    expect(page).toContain(`Sa demande n° ${previous.number} a été validée`);
    const started = await submitForm(aidant, "/renouveler", { acceptTerms: "on" });
    expect(started.status).toBe(303);
    const draft = await ctx.db.request.findFirstOrThrow({ where: { applicantId: previous.applicantId, status: "DRAFT" } });
    expect(draft).toMatchObject({ type: "RENEWAL", navigoNumber: previous.navigoNumber });
    expect(await ctx.db.request.count({ where: { applicantId: aidantUser.id } })).toBe(0);
    const actions = await ctx.db.auditLog.findMany({ where: { actorId: aidantUser.id, action: "AIDANT_ACTION" } });
    expect(actions.map((entry) => (entry.details as { page: string }).page)).toContain("/renouveler");
  });

  it("shows the terms of use on the page, with no link to « Créer ou compléter ma demande » that would start an empty request instead", async () => {
    const { browser } = await applicantWithValidatedRequest(dayIn(50));
    const start = await browser.get("/renouveler");
    const main = /<main[\s\S]*<\/main>/.exec(start.text)![0];
    expect(textOf(main)).toContain("Termes d'utilisation du télé-service");
    expect(textOf(main)).toContain("une fausse déclaration peut entraîner le refus ou le retrait du droit");
    expect(main).not.toContain('href="/demande"');
  });

  it("says what to do when there is nothing to renew, or a renewal already started", async () => {
    const email = "sans.droit@example.fr";
    const browser = newBrowser(ctx.app);
    await registerAndActivate(ctx, browser, { email });
    const page = await browser.get("/renouveler");
    expect(textOf(page.text)).toContain("Vous n'avez pas encore de demande validée à renouveler.");
    const post = await submitForm(browser, "/renouveler", { acceptTerms: "on" }, "/renouveler");
    expect(post.status).toBe(303);
    expect(await ctx.db.request.count({ where: { applicant: { email } } })).toBe(0);

    const anonymous = await newBrowser(ctx.app).get("/renouveler");
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.location).toBe("/connexion");
  });
});
