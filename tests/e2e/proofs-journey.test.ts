/**
 * The proofs in chromium: the applicant downloads the receipt of a sent
 * request from its page, then the attestation once validated, and a visitor
 * checks the code at /verifier with the keyboard; axe-core on each page.
 */
import { readFile } from "node:fs/promises";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { GOOD_PASSWORD } from "../support/accounts.js";
import { loggedInStaff, postStatus, seedRequest } from "../support/back-office.js";
import { pdfInfo, pdfText } from "../support/pdf.js";
import { browserSuite, expectNoAccessibilityViolations, logInInBrowser } from "./browser.js";

const suite = browserSuite();

/** Clicks a link that downloads a file and returns the file's name and bytes. */
async function downloadByLink(page: Page, name: string): Promise<{ fileName: string; body: Buffer }> {
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name }).click()]);
  return { fileName: download.suggestedFilename(), body: await readFile(await download.path()) };
}

describe("Proofs in chromium", () => {
  it("the receipt, then the attestation, downloaded from the request's page and checked at /verifier", async () => {
    const request = await seedRequest(suite.ctx.db, { email: "recu@example.fr", firstName: "Odette", lastName: "Lévêque", status: "IN_REVIEW" });
    const number = request.number!;
    const page = await logInInBrowser(suite, "recu@example.fr", GOOD_PASSWORD);

    await page.getByRole("link", { name: "Mes demandes en cours" }).first().click();
    await page.getByRole("link", { name: number, exact: true }).click();
    await expectNoAccessibilityViolations(page, "détail de la demande, récépissé");
    const receipt = await downloadByLink(page, "Récépissé de dépôt (PDF)");
    expect(receipt.fileName).toBe(`recepisse-${number}.pdf`);
    const receiptText = await pdfText(receipt.body);
    expect(receiptText).toContain("Demandeur : Odette LÉVÊQUE");
    expect(receiptText).toContain(`Numéro de demande : ${number}`);
    expect((await pdfInfo(receipt.body)).Tagged).toBe("yes");
    expect(await page.getByRole("link", { name: "Attestation de droit au forfait Améthyste (PDF)" }).count()).toBe(0);

    // A right in force whatever the day the test runs: from 1 January of this year to the end of the next.
    const year = new Date().getFullYear();
    const [validFrom, validUntil] = [`01/01/${year}`, `31/12/${year + 1}`];
    const { agent } = await loggedInStaff(suite.ctx);
    expect((await postStatus(agent, number, { status: "APPROVED", validFrom, validUntil })).status).toBe(303);
    await page.reload();
    await expectNoAccessibilityViolations(page, "détail de la demande validée");
    const attestation = await downloadByLink(page, "Attestation de droit au forfait Améthyste (PDF)");
    expect(attestation.fileName).toBe(`attestation-${number}.pdf`);
    const attestationText = await pdfText(attestation.body);
    expect(attestationText).toContain(`Droit valable du ${validFrom} au ${validUntil}`);
    const code = /[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}/.exec(attestationText)![0];

    const visitor = await (await suite.browser.newContext()).newPage();
    await visitor.goto(`${suite.baseUrl}/verifier`);
    await expectNoAccessibilityViolations(visitor, "vérifier un document");
    await visitor.getByRole("button", { name: "Vérifier" }).click();
    await visitor.locator("[data-error-summary]").waitFor();
    expect(await visitor.evaluate(() => document.activeElement?.hasAttribute("data-error-summary"))).toBe(true);
    await expectNoAccessibilityViolations(visitor, "vérifier un document, erreur");
    await visitor.getByLabel(/^Code de vérification/).focus();
    await visitor.keyboard.type(code.toLowerCase());
    await visitor.keyboard.press("Enter");
    await visitor.getByRole("heading", { name: `Résultat pour le code ${code}` }).waitFor();
    const result = (await visitor.textContent("main"))!.replace(/\s+/g, " ");
    expect(result).toContain(`Valide. Attestation de droit au forfait Améthyste : droit valable du ${validFrom} au ${validUntil}.`);
    expect(result).not.toContain("Odette");
    await expectNoAccessibilityViolations(visitor, "vérifier un document, résultat");
    await visitor.close();
    await page.close();
  });
});
