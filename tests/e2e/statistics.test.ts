/**
 * « Statistiques » in chromium: an administrator opens it from the main
 * menu, finds the chart (an image with its name) and the same figures in the
 * table, and axe-core finds no violation; the page works without JavaScript.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { GOOD_PASSWORD } from "../support/accounts.js";
import { createStaff } from "../support/back-office.js";
import { DAY, decided, seedHistory } from "../support/decisions.js";
import { browserSuite, expectNoAccessibilityViolations, logInInBrowser } from "./browser.js";

const suite = browserSuite();
beforeAll(async () => {
  const { db } = suite.ctx;
  await createStaff(db, "admin.stats.e2e@cd93.fr", "ADMIN");
  const now = Date.now();
  // Decided 3 to 12 days after deposit, two days ago; one of them waited for a document; one still open.
  for (let days = 3; days <= 12; days += 1) await decided(db, new Date(now - 2 * DAY).toISOString(), days, days % 3 ? "APPROVED" : "REFUSED", days === 4);
  await seedHistory(db, { submittedAt: new Date(now - DAY), status: "SUBMITTED" });
});

describe("« Statistiques » in chromium", () => {
  it("an administrator opens it from the menu and reads the chart and the table; axe finds no violation", async () => {
    const page = await logInInBrowser(suite, "admin.stats.e2e@cd93.fr", GOOD_PASSWORD);
    await page.getByRole("navigation", { name: /menu/i }).getByRole("link", { name: "Statistiques" }).click();
    await page.getByRole("heading", { level: 1, name: "Statistiques" }).waitFor();
    expect(page.url()).toBe(`${suite.baseUrl}/admin/statistiques`);

    const chart = page.getByRole("img", { name: /^Demandes reçues et décidées par mois, du 1er .* au / });
    expect(await chart.count()).toBe(1);
    const table = page.getByRole("table", { name: /^Demandes reçues et décidées par mois/ });
    expect(await table.getByRole("row").count()).toBe(13);
    expect(await page.getByText("pour les 10 demandes décidées").count()).toBe(1);
    expect(await page.getByText("10 % des demandes décidées sur la période", { exact: false }).count()).toBe(1);

    await expectNoAccessibilityViolations(page, "statistiques");
    await page.screenshot({ path: "tests/e2e/screenshots/statistiques.png", fullPage: true });
  });

  it("shows the same page with JavaScript turned off", async () => {
    const context = await suite.browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${suite.baseUrl}/connexion`);
    await page.getByLabel(/^Adresse e-mail/).fill("admin.stats.e2e@cd93.fr");
    await page.getByLabel(/^Mot de passe/).fill(GOOD_PASSWORD);
    await page.getByRole("button", { name: "Se connecter" }).click();
    await page.waitForLoadState("load");
    await page.goto(`${suite.baseUrl}/admin/statistiques`);
    expect(await page.getByRole("img", { name: /^Demandes reçues et décidées par mois/ }).count()).toBe(1);
    const box = await page.locator("svg.chart__svg").boundingBox();
    expect(box?.width).toBeGreaterThan(300);
    expect(box?.height).toBeGreaterThan(100);
    await context.close();
  });
});
