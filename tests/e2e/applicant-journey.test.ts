/**
 * The applicant's journey in chromium: the profile, a first request with
 * direct debit done with the mouse, a renewal done with the keyboard alone,
 * real files uploaded, axe-core on every step and every error state.
 */
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { GOOD_PASSWORD, registerAndActivate } from "../support/accounts.js";
import { newBrowser } from "../support/browserless.js";
import { pdfFile, pngFile } from "../support/files.js";
import { fillEligibilityInBrowser } from "./applicant.js";
import { browserSuite, expectNoAccessibilityViolations, logInInBrowser } from "./browser.js";
import { chooseRadio, pressButton, tabTo, typeInto } from "./keyboard.js";

const suite = browserSuite();

async function loggedIn(email: string): Promise<Page> {
  await registerAndActivate(suite.ctx, newBrowser(suite.ctx.app), { email });
  return logInInBrowser(suite, email, GOOD_PASSWORD);
}

async function fillProfileWithMouse(page: Page, email: string) {
  await page.getByRole("link", { name: "Mes informations personnelles" }).first().click();
  await page.getByRole("button", { name: "Mettre à jour" }).click();
  await page.locator("[data-error-summary]").waitFor();
  await expectNoAccessibilityViolations(page, "profil, erreurs");
  await page.getByLabel("Madame").check();
  await page.getByLabel(/^Situation familiale/).selectOption("Veuf/Veuve");
  await page.getByLabel(/^Nom de naissance/).fill("Ikse");
  await page.getByLabel(/^Date de naissance \*/).fill("18/06/1950");
  await page.getByLabel(/^Rue/).fill("1940, avenue du Général de Gaulle");
  await page.getByLabel(/^Code postal/).fill("93000");
  await page.getByLabel(/^Ville/).fill("Bobigny");
  await page.getByLabel(/^Adresse e-mail/).fill(email);
  await page
    .getByRole("group", { name: /Bénéficiaire d'une mesure de protection/ })
    .getByLabel("Non")
    .check();
  await page.getByRole("button", { name: "Mettre à jour" }).click();
  await page.getByText("Vos informations sont mises à jour.").waitFor();
  await expectNoAccessibilityViolations(page, "profil enregistré");
}

async function next(page: Page, label: string) {
  await page.getByRole("button", { name: "Suivant" }).click();
  await page.waitForLoadState("load");
  await expectNoAccessibilityViolations(page, label);
}

describe("Applicant journey in chromium", () => {
  it("a first request with direct debit, real files, submission and « Mes demandes en cours »", async () => {
    const email = "premiere@example.fr";
    const page = await loggedIn(email);
    await fillProfileWithMouse(page, email);

    await page.getByRole("link", { name: "Créer ou compléter ma demande" }).first().click();
    await expectNoAccessibilityViolations(page, "termes d'utilisation");
    await page.getByLabel(/J'accepte les termes d'utilisation/).check();
    await page.getByRole("button", { name: "Envoyer" }).click();
    await expect.poll(() => page.title()).toContain("Étape 1 sur 10");
    await expectNoAccessibilityViolations(page, "type de demande");

    await next(page, "type de demande, erreur");
    await page.getByLabel("Première demande").check();
    await next(page, "éligibilité");
    await next(page, "éligibilité, erreurs");
    await fillEligibilityInBrowser(page);
    await next(page, "numéro Navigo");
    await page.getByRole("textbox", { name: /^Numéro de Passe Navigo/ }).fill("12AB");
    await next(page, "numéro Navigo, erreur");
    await page.getByRole("textbox", { name: /^Numéro de Passe Navigo/ }).fill("A 1234 5678");
    await next(page, "zonage");
    await page.getByLabel(/Zones 1 à 5/).check();
    await next(page, "revenus");
    await page.getByLabel(/^Revenu fiscal de référence/).fill("9 850");
    await page.getByLabel(/^Nombre de parts fiscales/).fill("1,3");
    await next(page, "revenus, erreur");
    await page.getByLabel(/^Nombre de parts fiscales/).fill("1,5");
    await next(page, "aidant");
    await page.getByLabel(/^Nom de famille de votre aidant/).fill("Dupont");
    await page.getByLabel(/^Courriel aidant/).fill("aidant.dupont@example.fr");
    await next(page, "mode de participation");
    await page.getByLabel("Oui", { exact: true }).check();
    await page.getByLabel(/^N° IBAN/).fill("FR76 3000 6000 0112 3456 7890 180");
    await page.getByLabel(/^BIC/).fill("AGRIFRPP");
    await page.getByLabel(/^Nom du titulaire du compte/).fill("Igrek Ikse");
    await page.getByLabel(/J'accepte le paiement de ma participation/).check();
    await next(page, "mode de participation, erreur");
    await page.getByLabel(/^N° IBAN/).fill("FR76 3000 6000 0112 3456 7890 189");
    await next(page, "justificatifs");

    await page.getByRole("button", { name: "Suivant" }).click();
    await page.getByText("Ajoutez au moins un fichier dans « Pièce d'identité »").first().waitFor();
    await expectNoAccessibilityViolations(page, "justificatifs, erreurs");
    // With JavaScript a section uploads without leaving the page: a file chosen in another section stays chosen.
    await page.locator("#section-SITUATION input[type=file]").setInputFiles({ name: "pension.pdf", mimeType: "application/pdf", buffer: pdfFile("pension") });
    for (const section of ["IDENTITY", "TAX_NOTICE", "NAVIGO", "RIB", "ADDRESS"]) {
      const form = page.locator(`#section-${section}`);
      await form
        .locator('input[type="file"]')
        .setInputFiles([
          { name: `${section.toLowerCase()}.pdf`, mimeType: "application/pdf", buffer: pdfFile(section) },
          ...(section === "IDENTITY" ? [{ name: "verso.png", mimeType: "image/png", buffer: pngFile() }] : []),
        ]);
      await form.getByRole("button", { name: /^Enregistrer/ }).click();
      await page.locator(`#section-${section} .badge--success`).waitFor();
    }
    expect(await page.locator("#section-SITUATION input[type=file]").evaluate((input: HTMLInputElement) => input.files?.[0]?.name)).toBe("pension.pdf");
    await page
      .locator("#section-SITUATION")
      .getByRole("button", { name: /^Enregistrer/ })
      .click();
    await page.locator("#section-SITUATION .badge--success").waitFor();
    expect(await page.locator("#upload-status").textContent()).toContain("1 fichier enregistré dans « Justificatif de situation »");
    await expectNoAccessibilityViolations(page, "justificatifs enregistrés");
    await page.screenshot({ path: "tests/e2e/screenshots/justificatifs.png", fullPage: true });
    await page.getByRole("button", { name: "Suivant" }).click();
    await expect.poll(() => page.title()).toContain("Récapitulatif");
    await expectNoAccessibilityViolations(page, "récapitulatif");
    const summary = await page.textContent("main");
    expect(summary).toContain("•••• •••• •••• •••• •••• 0189");
    expect(summary).toContain("42 €");
    await page.getByRole("textbox", { name: /^Numéro de Passe Navigo/ }).fill("87654321");
    await next(page, "votre avis");
    await page.getByLabel(/^Niveau de satisfaction/).selectOption("Très satisfait");
    await page.getByRole("button", { name: "Envoyer" }).click();
    await page.getByRole("heading", { name: "Votre demande est envoyée" }).waitFor();
    await expectNoAccessibilityViolations(page, "confirmation");
    const number = (await page.locator(".confirmation-banner__number").textContent())!;
    expect(number).toMatch(/^DEM-\d{10}$/);
    await page.emulateMedia({ media: "print" });
    await page.pdf({ path: "tests/e2e/screenshots/recepisse.pdf", format: "A4" });
    await page.emulateMedia({ media: "screen" });

    await page.getByRole("link", { name: "Mes demandes en cours" }).first().click();
    await expectNoAccessibilityViolations(page, "mes demandes en cours");
    expect(await page.textContent("table")).toContain(number);
    await page.getByRole("link", { name: number, exact: true }).click();
    await expectNoAccessibilityViolations(page, "détail de la demande");
    expect(await page.textContent("main")).toContain("87654321");

    await suite.ctx.deliverMails();
    await suite.ctx.smtp.waitFor(email, number);
    await suite.ctx.smtp.waitFor("aidant.dupont@example.fr", number);
    await page.close();
  });

  it("a renewal with the keyboard alone", async () => {
    const email = "clavier@example.fr";
    const setup = await loggedIn(email);
    await fillProfileWithMouse(setup, email);
    const cookies = await setup.context().cookies();
    await setup.close();
    const context = await suite.browser.newContext();
    await context.addCookies(cookies);
    const page = await context.newPage();

    await page.goto(`${suite.baseUrl}/`);
    await pressButton(page, 'a[href="/demande"]');
    await tabTo(page, 'input[name="acceptTerms"]');
    await page.keyboard.press("Space");
    await pressButton(page, 'button[type="submit"]:not(.button--link)');
    await chooseRadio(page, "type", "RENEWAL");
    await pressButton(page, 'button[value="suivant"]');
    expect(await page.title()).toContain("Étape 2 sur 9");
    // The guide's words for a renewal.
    expect(await page.getByRole("heading", { level: 1 }).innerText()).toBe("Ma demande de renouvellement Améthyste");
    expect(await page.getByText("Écrivez ci-dessous votre numéro de Passe Navigo").isVisible()).toBe(true);
    await typeInto(page, 'input[name="navigoNumber"]', "1234 5678 90");
    await pressButton(page, 'button[value="suivant"]');
    await tabTo(page, 'select[name="statutCode"]');
    await page.keyboard.press("ArrowDown"); // PA
    await page.keyboard.press("ArrowDown"); // AH
    await page.keyboard.press("ArrowDown"); // AC
    await chooseRadio(page, "zonageCode", "Z3_5");
    await pressButton(page, 'button[value="suivant"]');
    await typeInto(page, 'input[name="referenceTaxIncome"]', "21000");
    await typeInto(page, 'input[name="taxShares"]', "2");
    await pressButton(page, 'button[value="suivant"]');
    await pressButton(page, 'button[value="suivant"]'); // no aidant
    await chooseRadio(page, "directDebit", "non");
    await pressButton(page, 'button[value="suivant"]');
    expect(await page.title()).toContain("Justificatifs");
    await expectNoAccessibilityViolations(page, "justificatifs (renouvellement)");

    for (const section of ["IDENTITY", "TAX_NOTICE", "NAVIGO"]) {
      await tabTo(page, `#champ-section-${section}`);
      // The files are given to the focused input rather than through the
      // dialog that Space opens: headless chromium sometimes never reports
      // that dialog under load (CI waited 30 s for it once), and the dialog
      // is the operating system's, not the portal's. What the portal owns,
      // reaching the input and sending the form with the keyboard, is still
      // done with Tab and Enter.
      await page.locator(":focus").setInputFiles({ name: `${section}.pdf`, mimeType: "application/pdf", buffer: pdfFile(section) });
      await page.keyboard.press("Tab");
      await page.keyboard.press("Enter");
      await page.locator(`#section-${section} .badge--success`).waitFor();
      expect(await page.locator("#upload-status").textContent()).toMatch(/^1 fichier enregistré dans « /);
    }
    await pressButton(page, 'button[value="suivant"]');
    expect(await page.title()).toContain("Récapitulatif");
    expect(await page.textContent("main")).toContain("AC - Ancien combattant");
    await pressButton(page, 'button[value="suivant"]');
    await pressButton(page, 'button[value="envoyer"]');
    await page.getByRole("heading", { name: "Votre demande est envoyée" }).waitFor();
    await context.close();
  });
});
