/** What an agent does in the browser on a request's page, for the browser tests that go through the back office. */
import type { Page } from "playwright-core";
import { expectNoAccessibilityViolations } from "./browser.js";

/**
 * « Enregistrer le statut » with the status `label` and the fields given; a
 * final decision, restated before it is recorded, is confirmed (axe-core
 * checks that confirmation page).
 */
export async function setStatusInBrowser(page: Page, label: string, fields: { message?: string; from?: string; until?: string } = {}): Promise<void> {
  await page
    .getByRole("group", { name: /Nouveau statut/ })
    .getByLabel(label, { exact: true })
    .check();
  if (fields.message !== undefined) await page.getByLabel(/^Réponse du département/).fill(fields.message);
  if (fields.from !== undefined) await page.getByLabel(/^Du/).fill(fields.from);
  if (fields.until !== undefined) await page.getByLabel(/^Au/).fill(fields.until);
  await page.getByRole("button", { name: "Enregistrer le statut" }).click();
  await page.waitForLoadState("load");
  if ((await page.title()).startsWith("Confirmer la décision")) {
    await expectNoAccessibilityViolations(page, `confirmation « ${label} »`);
    await page.getByRole("button", { name: `Confirmer : « ${label} »` }).click();
    await page.waitForLoadState("load");
  }
}
