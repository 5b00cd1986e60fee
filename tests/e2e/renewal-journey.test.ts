/**
 * The renewal in chromium, from the reminder mail: an applicant whose right
 * ends within 60 days gets the mail the daily job sends (their aidant too),
 * follows its link, logs in, lands on « Renouveler », and finds every step
 * filled from the last request and the still-valid documents reused (never
 * the tax notice); they change their zonage and send. axe-core on each key page.
 */
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { runRenewalReminders } from "../../src/features/renewals/reminder-job.js";
import { GOOD_PASSWORD } from "../support/accounts.js";
import { fillFirstRequest } from "../support/applicant.js";
import { csrfTokenIn, linkIn } from "../support/browserless.js";
import { pdfFile } from "../support/files.js";
import { PUBLIC_URL } from "../support/test-app.js";
import { applicantWithProfile } from "./applicant.js";
import { browserSuite, expectNoAccessibilityViolations, logInHere } from "./browser.js";

const suite = browserSuite();
const DAY_MS = 24 * 60 * 60 * 1000;
const EMAIL = "renouvellement@example.fr";
const AIDANT = "aidant.renouvellement@example.fr";

/**
 * A first request sent through the forms (direct debit, an aidant, real
 * files), then validated until 40 days from now. It was sent on 1 January
 * of this year, so its revenue figures still come from the latest tax notice.
 */
async function validatedRequestEndingSoon() {
  const browser = await applicantWithProfile(suite, { email: EMAIL, firstName: "Odile", lastName: "Renaud" });
  await fillFirstRequest(browser, { directDebit: true, aidantEmail: AIDANT });
  const feedback = await browser.get("/demande/etape/avis");
  const draftId = /name="draftId" value="([^"]+)"/.exec(feedback.text)![1]!;
  const sent = await browser
    .post("/demande/etape/avis")
    .type("form")
    .send({ _csrf: csrfTokenIn(feedback.text), draftId, action: "envoyer" });
  expect(sent.status).toBe(303);
  const now = suite.ctx.clock.now();
  const validUntil = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) + 40 * DAY_MS);
  return suite.ctx.db.request.update({
    where: { id: draftId },
    data: {
      status: "APPROVED",
      submittedAt: new Date(Date.UTC(now.getUTCFullYear(), 0, 1)),
      validFrom: new Date(validUntil.getTime() - 364 * DAY_MS),
      validUntil,
    },
    include: { documents: true },
  });
}

async function next(page: Page) {
  await page.getByRole("button", { name: "Suivant" }).click();
  await page.waitForLoadState("load");
}

describe("Renewal journey in chromium", () => {
  it("from the reminder mail to a renewal sent with the reused documents", async () => {
    const previous = await validatedRequestEndingSoon();
    const validUntil = previous.validUntil!.toLocaleDateString("fr-FR", { timeZone: "UTC" });

    // The daily job, as the server runs it; the mails go through the outbox to the SMTP server.
    expect(await runRenewalReminders(suite.ctx.pool, { db: suite.ctx.db, clock: suite.ctx.clock, publicUrl: PUBLIC_URL })).toBe(1);
    await suite.ctx.deliverMails();
    const mail = await suite.ctx.smtp.waitFor(EMAIL, "pensez à le renouveler");
    expect(mail.subject).toBe(`Votre forfait Améthyste est valable jusqu'au ${validUntil} : pensez à le renouveler`);
    const aidantMail = await suite.ctx.smtp.waitFor(AIDANT, "pensez à le renouveler");
    expect(aidantMail.subject).toBe(`Le forfait Améthyste de la personne que vous aidez est valable jusqu'au ${validUntil} : pensez à le renouveler`);
    expect(aidantMail.text).toContain(`${PUBLIC_URL}/renouveler`);

    // The link, in a browser not logged in: the login page, then where the link points.
    const link = linkIn(mail.text, "/renouveler");
    const page = await (await suite.browser.newContext()).newPage();
    await page.goto(`${suite.baseUrl}${link}`);
    expect(new URL(page.url()).pathname).toBe("/connexion");
    await logInHere(page, EMAIL, GOOD_PASSWORD);
    expect(new URL(page.url()).pathname).toBe("/renouveler");
    await page.getByRole("heading", { name: "Renouveler mon forfait Améthyste" }).waitFor();
    expect(await page.textContent("main")).toContain(`Votre demande n° ${previous.number} a été validée`);
    await expectNoAccessibilityViolations(page, "renouveler");
    await page.screenshot({ path: "tests/e2e/screenshots/renouveler.png", fullPage: true });
    await page.getByRole("button", { name: "Commencer mon renouvellement" }).click();
    await page.locator("[data-error-summary]").waitFor();
    await expectNoAccessibilityViolations(page, "renouveler, erreur");
    await page.getByLabel(/J'accepte les termes d'utilisation/).check();
    await page.getByRole("button", { name: "Commencer mon renouvellement" }).click();

    // Each step already filled: the applicant checks it and presses « Suivant ».
    await expect.poll(() => page.title()).toContain("Étape 1 sur 9");
    expect(await page.getByLabel("Renouvellement").isChecked()).toBe(true);
    await expectNoAccessibilityViolations(page, "type de demande (renouvellement)");
    await next(page);
    expect(await page.getByRole("textbox", { name: /^Numéro de Passe Navigo/ }).inputValue()).toBe(previous.navigoNumber);
    await next(page);
    expect(await page.getByLabel(/^Votre statut/).inputValue()).toBe("PA");
    expect(await page.getByLabel(/Zones 2 à 5/).isChecked()).toBe(true);
    await expectNoAccessibilityViolations(page, "zonage (renouvellement)");
    // The one thing that changed: the zones.
    await page.getByLabel(/Zones 1 à 5/).check();
    await next(page);
    expect(await page.getByLabel(/^Revenu fiscal de référence/).inputValue()).toBe("9850");
    expect(await page.getByLabel(/^Nombre de parts fiscales/).inputValue()).toBe("1,5");
    await next(page);
    expect(await page.getByLabel(/^Courriel aidant/).inputValue()).toBe(AIDANT);
    await next(page);
    expect(await page.getByLabel("Oui", { exact: true }).isChecked()).toBe(true);
    expect(await page.getByLabel(/^BIC/).inputValue()).toBe("AGRIFRPP");
    expect(await page.getByLabel(/^Nom du titulaire du compte/).inputValue()).toBe("Igrek Ikse");
    expect(await page.textContent("main")).toContain("IBAN enregistré : •••• •••• •••• •••• •••• 0189");
    // A new period, a new mandate: the consent is asked again.
    expect(await page.getByLabel(/J'accepte le paiement de ma participation/).isChecked()).toBe(false);
    await expectNoAccessibilityViolations(page, "mode de participation (renouvellement)");
    await page.getByLabel(/J'accepte le paiement de ma participation/).check();
    await next(page);

    // The identity, Navigo and RIB files are offered again; the tax notice is not.
    await expect.poll(() => page.title()).toContain("Justificatifs");
    for (const section of ["IDENTITY", "NAVIGO", "RIB"]) {
      const original = previous.documents.find((document) => document.section === section)!;
      expect(await page.locator(`#section-${section} .file-list`).textContent()).toMatch(
        new RegExp(`${original.originalName}[\\s\\S]*repris de votre demande précédente`),
      );
    }
    expect(await page.locator("#section-IDENTITY").textContent()).toContain("Vérifiez que cette pièce d'identité est toujours valable.");
    expect(await page.locator("#section-TAX_NOTICE").textContent()).toContain("Aucun fichier enregistré.");
    await expectNoAccessibilityViolations(page, "justificatifs (renouvellement)");
    await page.screenshot({ path: "tests/e2e/screenshots/justificatifs-repris.png", fullPage: true });
    await next(page);
    await page.getByText("Ajoutez au moins un fichier dans « Avis d'imposition »").first().waitFor();
    const taxNotice = page.locator("#section-TAX_NOTICE");
    await taxNotice.locator('input[type="file"]').setInputFiles({ name: "avis-2026.pdf", mimeType: "application/pdf", buffer: pdfFile("Avis 2026") });
    await taxNotice.getByRole("button", { name: /^Enregistrer/ }).click();
    await page.locator("#section-TAX_NOTICE .badge--success").waitFor();
    await next(page);

    await expect.poll(() => page.title()).toContain("Récapitulatif");
    const answer = (label: string) =>
      page
        .locator(".summary-list__row", { has: page.getByRole("term").getByText(label, { exact: true }) })
        .locator("dd")
        .innerText();
    expect(await answer("Zonage")).toBe("Zones 1 à 5");
    expect(await answer("Pièce d'identité")).toBe("identity.pdf");
    expect(await answer("Avis d'imposition")).toBe("avis-2026.pdf");
    expect(await answer("Copie du Passe Navigo")).toBe("navigo.pdf");
    expect(await answer("RIB")).toBe("rib.pdf");
    expect(await page.getByRole("textbox", { name: /^Numéro de Passe Navigo/ }).inputValue()).toBe(previous.navigoNumber);
    await expectNoAccessibilityViolations(page, "récapitulatif (renouvellement)");
    await next(page);
    await page.getByRole("button", { name: "Envoyer" }).click();
    await page.getByRole("heading", { name: "Votre demande est envoyée" }).waitFor();
    await expectNoAccessibilityViolations(page, "confirmation (renouvellement)");
    const number = (await page.locator(".confirmation-banner__number").textContent())!;

    const renewal = await suite.ctx.db.request.findUniqueOrThrow({ where: { number }, include: { documents: true } });
    expect(renewal).toMatchObject({ type: "RENEWAL", status: "SUBMITTED", zonageCode: "Z1_5", navigoNumber: previous.navigoNumber, aidantEmail: AIDANT });
    expect(renewal.documents.map((document) => `${document.section}${document.reused ? " repris" : ""}`).sort()).toEqual([
      "IDENTITY repris",
      "NAVIGO repris",
      "RIB repris",
      "TAX_NOTICE",
    ]);
    await page.close();
  });
});
