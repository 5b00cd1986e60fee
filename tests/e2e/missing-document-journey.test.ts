/**
 * « Je ne peux pas fournir ce document » in chromium: the applicant declares,
 * with the keyboard alone and none of the portal's JavaScript, why the
 * situation proof cannot be given, reads « Non fourni : … » in the
 * récapitulatif and sends; the agent reads the reason in place of the file
 * and asks for another document; the applicant answers with a file from the
 * request's page. axe-core on each page.
 */
import { describe, expect, it } from "vitest";
import { GOOD_PASSWORD } from "../support/accounts.js";
import { firstRequestAtDocumentsWithoutSituation } from "../support/applicant.js";
import { createStaff } from "../support/back-office.js";
import { pdfFile } from "../support/files.js";
import { applicantWithProfile } from "./applicant.js";
import { setStatusInBrowser } from "./back-office.js";
import { browserSuite, expectNoAccessibilityViolations, logInInBrowser, withoutPortalScript } from "./browser.js";
import { chooseRadio, enterAndWait, pressButton, tabTo, typeInto } from "./keyboard.js";

const suite = browserSuite();
const EMAIL = "sans.justificatif@example.fr";
const AGENT = "agent.nonfourni@cd93.fr";
const LOST = "Non fourni : Document perdu ou volé, demande de duplicata en cours";
const DETAILS = "Duplicata demandé à la CNAV le 2 novembre.";
const ASKED = "Merci de joindre une attestation de la CNAV à la place du titre de pension.";

/** A first request filled through the forms up to « Justificatifs », every document saved but « Justificatif de situation ». */
async function applicantAtDocumentsStep() {
  const browser = await applicantWithProfile(suite, { email: EMAIL, firstName: "Lucien", lastName: "Morel" });
  await firstRequestAtDocumentsWithoutSituation(browser);
}

describe("« Je ne peux pas fournir ce document » in chromium", () => {
  it("declared with the keyboard, sent, read by the agent who asks for another document, answered with a file", async () => {
    await applicantAtDocumentsStep();
    await createStaff(suite.ctx.db, AGENT);

    // The applicant's browser runs none of the portal's JavaScript: the disclosure, the radios and the forms are the browser's own.
    const page = await logInInBrowser(suite, EMAIL, GOOD_PASSWORD, await withoutPortalScript(await suite.browser.newContext()));
    await page.getByRole("link", { name: "Créer ou compléter ma demande" }).first().click();
    await expect.poll(() => page.title()).toContain("Justificatifs");
    await expectNoAccessibilityViolations(page, "justificatifs, situation manquante");

    // With the keyboard: open « Je ne peux pas fournir ce document » of the situation proof (a native disclosure, no script needed).
    await tabTo(page, "#section-SITUATION summary");
    await page.keyboard.press("Enter");
    expect(await page.locator("#section-SITUATION details").getAttribute("open")).not.toBeNull();
    await expectNoAccessibilityViolations(page, "je ne peux pas fournir ce document, ouvert");
    // Sent without a reason: the error summary lists the problem, the form stays open.
    await pressButton(page, "#section-SITUATION details button[type=submit]");
    expect(await page.locator("[data-error-summary]").textContent()).toContain("Choisissez la raison pour laquelle vous ne pouvez pas fournir ce document.");
    expect(await page.locator("#section-SITUATION details").getAttribute("open")).not.toBeNull();
    await expectNoAccessibilityViolations(page, "je ne peux pas fournir ce document, erreur");
    await page.screenshot({ path: "tests/e2e/screenshots/non-fourni-erreur.png", fullPage: true });
    // No script moved the focus to the summary (it would with JavaScript): Tab reaches its link, which leads to the first reason.
    expect(await page.evaluate(() => document.activeElement === document.body)).toBe(true);
    await tabTo(page, "[data-error-summary] a");
    await page.keyboard.press("Enter");
    expect(await page.evaluate(() => document.activeElement?.getAttribute("name"))).toBe("raison-SITUATION");
    await chooseRadio(page, "raison-SITUATION", "LOST");
    await typeInto(page, 'textarea[name="precision-SITUATION"]', DETAILS);
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.textContent)).toContain("Enregistrer ma réponse");
    await enterAndWait(page);
    await page.getByText("Votre réponse est enregistrée : « Justificatif de situation » ne sera pas fourni.").waitFor();
    expect(await page.locator("#section-SITUATION").textContent()).toContain(`${LOST} (« ${DETAILS} »)`);
    await expectNoAccessibilityViolations(page, "justificatifs, non fourni");
    await page.screenshot({ path: "tests/e2e/screenshots/non-fourni.png", fullPage: true });

    await pressButton(page, 'button[value="suivant"]');
    expect(await page.title()).toContain("Récapitulatif");
    const situation = page.locator(".summary-list__row", { has: page.getByRole("term").getByText("Justificatif de situation", { exact: true }) });
    expect(await situation.locator("dd").innerText()).toBe(`${LOST} (« ${DETAILS} »)`);
    await expectNoAccessibilityViolations(page, "récapitulatif, non fourni");
    await pressButton(page, 'button[value="suivant"]');
    await pressButton(page, 'button[value="envoyer"]');
    await page.getByRole("heading", { name: "Votre demande est envoyée" }).waitFor();
    await expectNoAccessibilityViolations(page, "confirmation, non fourni");
    const number = (await page.locator(".confirmation-banner__number").textContent())!;

    // The agent reads the reason in place of the file, and asks for something else.
    const agent = await logInInBrowser(suite, AGENT, GOOD_PASSWORD);
    await agent.getByRole("link", { name: number, exact: true }).click();
    const documents = agent.locator("h2:text-is('Justificatifs') + ul");
    expect(await documents.locator("li", { hasText: "Justificatif de situation" }).innerText()).toBe(`Justificatif de situation : ${LOST} (« ${DETAILS} »)`);
    expect(await documents.getByRole("link").allInnerTexts()).toEqual(["identity.pdf", "tax_notice.pdf", "navigo.pdf", "address.pdf"]);
    await expectNoAccessibilityViolations(agent, "demande (agent), non fourni");
    await agent.screenshot({ path: "tests/e2e/screenshots/non-fourni-agent.png", fullPage: true });
    await setStatusInBrowser(agent, "En cours d'instruction");
    await setStatusInBrowser(agent, "En attente de pièce complémentaire", { message: ASKED });
    await agent.getByText("est maintenant « En attente de pièce complémentaire »").waitFor();
    await expectNoAccessibilityViolations(agent, "demande (agent), pièce demandée");

    // The applicant reads the department's answer beside their own, and sends the document asked for.
    await page.getByRole("link", { name: "Mes demandes en cours" }).first().click();
    await page.getByRole("link", { name: number, exact: true }).click();
    const detail = (await page.locator("main").innerText()).replace(/\s+/g, " ");
    expect(detail).toContain(ASKED);
    expect(detail).toContain(`Justificatif de situation : ${LOST} (« ${DETAILS} »)`);
    await expectNoAccessibilityViolations(page, "détail de la demande, pièce demandée");
    await page.getByLabel("Fichier(s) à joindre").setInputFiles({ name: "attestation-cnav.pdf", mimeType: "application/pdf", buffer: pdfFile("CNAV") });
    await page.getByRole("button", { name: "Envoyer" }).click();
    await page.getByText("Vos pièces sont envoyées.").waitFor();
    expect(await page.textContent("main")).toContain("Pièce complémentaire reçue");
    await expectNoAccessibilityViolations(page, "détail de la demande, pièce envoyée");

    await agent.reload();
    expect(await agent.locator("main").innerText()).toContain("attestation-cnav.pdf");
    expect(await agent.locator("main").innerText()).toContain("Pièce complémentaire reçue");
    await page.close();
    await agent.close();
  });
});
