/**
 * The warning before the idle logout, in chromium: the page's clock is
 * installed and moved forward (no real waiting), the dialog says how long
 * remains, « Rester connecté » pings the server, which pushes the end back.
 */
import { describe, expect, it } from "vitest";
import { GOOD_PASSWORD, registerAndActivate } from "../support/accounts.js";
import { newBrowser } from "../support/browserless.js";
import { browserSuite, expectNoAccessibilityViolations, logInInBrowser } from "./browser.js";

const suite = browserSuite();
const MINUTE = 60_000;

async function minutesLeftInSession(): Promise<number> {
  const [row] = await suite.ctx.db.$queryRaw<{ minutes: number }[]>`SELECT EXTRACT(EPOCH FROM (max(expire) - now())) / 60 AS minutes FROM "session"`;
  return Number(row!.minutes);
}

describe("Idle warning in chromium", () => {
  it("warns 5 minutes before the idle logout, and « Rester connecté » keeps the session", async () => {
    const email = "inactive@example.fr";
    await registerAndActivate(suite.ctx, newBrowser(suite.ctx.app), { email });
    const page = await logInInBrowser(suite, email, GOOD_PASSWORD);
    await page.clock.install();
    await page.goto(`${suite.baseUrl}/mes-informations`);
    const dialog = page.getByRole("alertdialog", { name: "Votre session va bientôt expirer" });
    expect(await dialog.isVisible()).toBe(false);

    await page.clock.fastForward(25 * MINUTE + 1000);
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain("vous serez déconnecté dans 5 minutes");
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Rester connecté");
    await expectNoAccessibilityViolations(page, "avertissement de fin de session");

    await page.clock.fastForward(2 * MINUTE);
    await expect.poll(() => dialog.textContent()).toContain("dans 3 minutes");

    await suite.ctx.db.$executeRaw`UPDATE "session" SET expire = now() + interval '2 minutes'`;
    await page.getByRole("button", { name: "Rester connecté" }).click();
    await dialog.waitFor({ state: "hidden" });
    await expect.poll(minutesLeftInSession).toBeGreaterThan(25);

    // Untouched this time: the dialog comes back, then says the session ended.
    await page.clock.fastForward(25 * MINUTE + 1000);
    await dialog.waitFor();
    await page.clock.fastForward(5 * MINUTE);
    await expect.poll(() => dialog.textContent()).toContain("Votre session a expiré");
    await page.close();
  });
});
