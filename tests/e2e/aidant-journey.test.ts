/**
 * The aidant's journey in chromium: the applicant invites their aidant from
 * « Mon aidant », the aidant creates their account from the mail's link,
 * chooses « Agir pour … » and fills and sends the request for the person;
 * the request page then says the aidant sent it. axe-core on every page.
 */
import { describe, expect, it } from "vitest";
import { GOOD_PASSWORD } from "../support/accounts.js";
import { linkIn } from "../support/browserless.js";
import { pdfFile } from "../support/files.js";
import { applicantWithProfile, fillEligibilityInBrowser } from "./applicant.js";
import { browserSuite, expectNoAccessibilityViolations, logInInBrowser } from "./browser.js";

const suite = browserSuite();

describe("Aidant journey in chromium", () => {
  it("from the invitation to a request sent by the aidant for the person", async () => {
    const email = "marie.dupont@example.fr";
    await applicantWithProfile(suite, { email, firstName: "Marie", lastName: "Dupont" });

    // The applicant invites their aidant.
    const applicant = await logInInBrowser(suite, email, GOOD_PASSWORD);
    await applicant.getByRole("link", { name: "Mes informations personnelles" }).first().click();
    await applicant.getByRole("link", { name: "Mon aidant" }).click();
    await expectNoAccessibilityViolations(applicant, "mon aidant");
    await applicant.getByRole("button", { name: "Envoyer l'invitation" }).click();
    await applicant.locator("[data-error-summary]").waitFor();
    await expectNoAccessibilityViolations(applicant, "mon aidant, erreur");
    await applicant.getByLabel(/^Adresse e-mail de votre aidant/).fill("paul.bernard@example.fr");
    await applicant.getByRole("button", { name: "Envoyer l'invitation" }).click();
    await applicant.getByText("L'invitation est envoyée à paul.bernard@example.fr").waitFor();
    await expectNoAccessibilityViolations(applicant, "invitation envoyée");

    await suite.ctx.deliverMails();
    const mail = await suite.ctx.smtp.waitFor("paul.bernard@example.fr", "Marie Dupont vous invite à l'aider");
    const link = linkIn(mail.text, "/invitation-aidant?token=");

    // The aidant creates their account from the link.
    const page = await (await suite.browser.newContext()).newPage();
    await page.goto(`${suite.baseUrl}${link}`);
    await page.getByRole("heading", { name: "Invitation à aider Marie DUPONT" }).waitFor();
    await expectNoAccessibilityViolations(page, "invitation");
    await page.getByRole("button", { name: "Créer mon compte et accepter" }).click();
    await page.locator("[data-error-summary]").waitFor();
    await expectNoAccessibilityViolations(page, "invitation, erreurs");
    await page.getByLabel(/^Votre nom/).fill("Bernard");
    await page.getByLabel(/^Votre prénom/).fill("Paul");
    await page.getByLabel(/^Mot de passe/).fill(GOOD_PASSWORD);
    await page.getByLabel(/^Confirmation du mot de passe/).fill(GOOD_PASSWORD);
    await page.getByRole("button", { name: "Créer mon compte et accepter" }).click();
    await page.getByRole("heading", { name: "Personnes que j'aide" }).waitFor();
    await expectNoAccessibilityViolations(page, "personnes que j'aide");

    // « Agir pour Marie DUPONT »: every page then says so.
    await page.getByRole("button", { name: "Agir pour Marie DUPONT" }).click();
    await page.getByText("Vous agissez pour Marie DUPONT").waitFor();
    await expectNoAccessibilityViolations(page, "mes demandes, en agissant pour");
    await page.screenshot({ path: "tests/e2e/screenshots/agir-pour.png" });

    await page.getByRole("link", { name: "Créer ou compléter ma demande" }).first().click();
    await page.getByLabel(/J'accepte les termes d'utilisation/).check();
    await page.getByRole("button", { name: "Envoyer" }).click();
    await expect.poll(() => page.title()).toContain("Étape 1 sur 10");
    await expectNoAccessibilityViolations(page, "type de demande, en agissant pour");
    expect(await page.textContent("body")).toContain("Vous agissez pour Marie DUPONT");
    const next = () => page.getByRole("button", { name: "Suivant" }).click();
    await page.getByLabel("Première demande").check();
    await next();
    await fillEligibilityInBrowser(page);
    await next();
    await page.getByRole("textbox", { name: /^Numéro de Passe Navigo/ }).fill("A 1234 5678");
    await next();
    await page.getByLabel(/Zones 1 à 5/).check();
    await next();
    await page.getByLabel(/^Revenu fiscal de référence/).fill("9 850");
    await page.getByLabel(/^Nombre de parts fiscales/).fill("1,5");
    await next();
    await page.getByLabel(/^Nom de famille de votre aidant/).fill("Bernard");
    await page.getByLabel(/^Courriel aidant/).fill("paul.bernard@example.fr");
    await next();
    await page.getByLabel("Non", { exact: true }).check();
    await next();
    await expect.poll(() => page.title()).toContain("Justificatifs");
    for (const section of ["IDENTITY", "TAX_NOTICE", "NAVIGO", "ADDRESS", "SITUATION"]) {
      const form = page.locator(`#section-${section}`);
      await form.locator('input[type="file"]').setInputFiles({ name: `${section.toLowerCase()}.pdf`, mimeType: "application/pdf", buffer: pdfFile(section) });
      await form.getByRole("button", { name: /^Enregistrer/ }).click();
      await page.locator(`#section-${section} .badge--success`).waitFor();
    }
    await expectNoAccessibilityViolations(page, "justificatifs, en agissant pour");
    await next();
    await expect.poll(() => page.title()).toContain("Récapitulatif");
    await page.getByRole("textbox", { name: /^Numéro de Passe Navigo/ }).fill("87654321");
    await next();
    await page.getByLabel(/^Niveau de satisfaction/).selectOption("Très satisfait");
    await page.getByRole("button", { name: "Envoyer" }).click();
    await page.getByRole("heading", { name: "Votre demande est envoyée" }).waitFor();
    await expectNoAccessibilityViolations(page, "confirmation, en agissant pour");
    const number = (await page.locator(".confirmation-banner__number").textContent())!;
    expect(await page.textContent("main")).toContain("Marie DUPONT");

    await page.getByRole("link", { name: "Mes demandes en cours" }).first().click();
    await page.getByRole("link", { name: number, exact: true }).click();
    await expectNoAccessibilityViolations(page, "détail de la demande, en agissant pour");
    expect(await page.textContent("main")).toContain("Déposée – par Paul Bernard (aidant)");

    // Back to their own account: the banner goes, the person's request is no longer listed.
    await page.getByRole("button", { name: "Revenir à mon compte" }).click();
    await page.getByText("Vous êtes revenu sur votre propre compte.").waitFor();
    expect(await page.textContent("body")).not.toContain("Vous agissez pour");
    await page.goto(`${suite.baseUrl}/mes-demandes`);
    expect(await page.textContent("main")).not.toContain(number);

    // The applicant sees the request, who sent it, and who has access.
    await applicant.goto(`${suite.baseUrl}/mes-demandes/${number}`);
    expect(await applicant.textContent("main")).toContain("Déposée – par Paul Bernard (aidant)");
    await applicant.goto(`${suite.baseUrl}/mon-aidant`);
    expect(await applicant.textContent("main")).toContain("Paul BERNARD");
    await expectNoAccessibilityViolations(applicant, "mon aidant, accès accordé");
    await page.close();
    await applicant.close();
  });
});
