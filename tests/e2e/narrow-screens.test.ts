/**
 * On a phone (320 CSS px), and at 200 % zoom on most laptops, the request
 * tables become one block per request: each value says what it is, and no
 * control is moved off-screen while staying in the tab order.
 */
import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { GOOD_PASSWORD } from "../support/accounts.js";
import { createStaff, seedRequest } from "../support/back-office.js";
import { browserSuite, expectNoAccessibilityViolations, logInInBrowser } from "./browser.js";

const suite = browserSuite();
beforeAll(async () => {
  await createStaff(suite.ctx.db, "agent.etroit@cd93.fr");
  await seedRequest(suite.ctx.db, { email: "etroit@example.fr", status: "IN_REVIEW" });
  await seedRequest(suite.ctx.db, {
    email: "etroit.termine@example.fr",
    status: "APPROVED",
    extra: { validFrom: new Date(Date.UTC(2027, 0, 1)), validUntil: new Date(Date.UTC(2027, 11, 31)) },
  });
});

/** The visible text of each cell of the table's first row, as a person reads it. */
async function firstRowCells(page: Page): Promise<string[]> {
  return page
    .locator("table tbody tr")
    .first()
    .locator("th, td")
    .evaluateAll((cells) => cells.map((cell) => (cell as HTMLElement).innerText.replace(/\s+/g, " ").trim()));
}

/** Every link, button and field of the page that the keyboard reaches lies within the screen. */
async function focusableOffScreen(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>("main a[href], main button, main input, main select, main textarea")]
      .filter((element) => element.offsetParent !== null || getComputedStyle(element).position === "fixed")
      .filter((element) => {
        const box = element.getBoundingClientRect();
        return box.right <= 0 || box.left >= window.innerWidth + 1 || box.bottom + window.scrollY <= 0;
      })
      .map((element) => element.outerHTML.slice(0, 120)),
  );
}

describe("Request tables at 320 px", () => {
  it("the applicant's lists label every cell and keep sorting on screen", async () => {
    for (const [email, path, status] of [
      ["etroit@example.fr", "/mes-demandes", "En cours d'instruction"],
      ["etroit.termine@example.fr", "/mes-demandes/terminees", "Validée"],
    ] as const) {
      const page = await logInInBrowser(suite, email, GOOD_PASSWORD);
      await page.setViewportSize({ width: 320, height: 640 });
      await page.goto(suite.baseUrl + path);
      const cells = await firstRowCells(page);
      expect(cells[0]).toMatch(/^Numéro de demande\s*:?\s*DEM-/);
      expect(cells[1]).toMatch(/^Type\s*:?\s*Renouvellement/);
      expect(cells[2]).toMatch(/^Créé le\s*:?\s*\d\d\/\d\d\/\d{4}/);
      expect(cells[3]).toBe(`Raison du statut : ${status}`);
      expect(cells[4]).toMatch(/^Réponse du département/);
      expect(await focusableOffScreen(page)).toEqual([]);
      await page.getByRole("link", { name: /les plus anciennes d'abord/ }).click();
      await page.waitForLoadState("load");
      expect(page.url()).toContain("tri=ancien");
      await expectNoAccessibilityViolations(page, `${path} à 320 px`);
      await page.context().close();
    }
  });

  it("the agent's queue labels every cell", async () => {
    const page = await logInInBrowser(suite, "agent.etroit@cd93.fr", GOOD_PASSWORD);
    await page.setViewportSize({ width: 320, height: 640 });
    await page.goto(suite.baseUrl + "/agent");
    const cells = await firstRowCells(page);
    expect(cells.map((cell) => cell.split(" : ")[0])).toEqual([
      "Numéro",
      "Demandeur",
      "Type",
      "Situation",
      "Zonage",
      "Déposée le",
      "Ancienneté",
      "Statut",
      "Attribuée à",
    ]);
    expect(await focusableOffScreen(page)).toEqual([]);
    await expectNoAccessibilityViolations(page, "file des demandes à 320 px");
    await page.context().close();
  });
});
