/**
 * « Télécharger mes données » and « Supprimer mon compte » in chromium: found
 * from « Mes informations personnelles », the refusal while a request is
 * being processed, the error summary taking the focus, and the account
 * deleted; axe-core checks each page and state.
 */
import { describe, expect, it } from "vitest";
import { GOOD_PASSWORD } from "../support/accounts.js";
import { seedRequest } from "../support/back-office.js";
import { seedFinished } from "../support/retention.js";
import { browserSuite, expectNoAccessibilityViolations, logInInBrowser } from "./browser.js";

const suite = browserSuite();

describe("« Supprimer mon compte » in chromium", () => {
  it("says why while a request is being processed", async () => {
    await seedRequest(suite.ctx.db, { email: "en-cours@example.fr", status: "IN_REVIEW" });
    const page = await logInInBrowser(suite, "en-cours@example.fr", GOOD_PASSWORD);
    await page.goto(`${suite.baseUrl}/mes-informations`);
    await page.getByRole("link", { name: "Supprimer mon compte" }).click();
    await page.getByText("Une de vos demandes est en cours de traitement").waitFor();
    await expectNoAccessibilityViolations(page, "suppression refusée");
    await page.goto(`${suite.baseUrl}/mes-informations`);
    await page.getByRole("link", { name: "Télécharger mes données" }).click();
    await page.getByRole("button", { name: "Télécharger mes données (fichier ZIP)" }).waitFor();
    await expectNoAccessibilityViolations(page, "télécharger mes données");
    await page.context().close();
  });

  it("asks for the password, shows the errors, then deletes the account", async () => {
    await seedFinished(suite.ctx, "APPROVED", new Date(), { email: "depart@example.fr" });
    const page = await logInInBrowser(suite, "depart@example.fr", GOOD_PASSWORD);
    await page.goto(`${suite.baseUrl}/mes-informations`);
    await page.getByRole("link", { name: "Supprimer mon compte" }).click();
    await page.getByText("Ce qui sera conservé").waitFor();
    await expectNoAccessibilityViolations(page, "supprimer mon compte");

    await page.getByRole("button", { name: "Supprimer définitivement mon compte" }).click();
    await expect.poll(() => page.title()).toMatch(/^Erreur : /);
    expect(await page.evaluate(() => document.activeElement?.getAttribute("data-error-summary"))).not.toBeNull();
    await expectNoAccessibilityViolations(page, "supprimer mon compte, erreurs");

    await page.getByLabel(/^Mot de passe/).fill(GOOD_PASSWORD);
    await page.getByLabel("Je confirme que je veux supprimer mon compte").check();
    await page.getByRole("button", { name: "Supprimer définitivement mon compte" }).click();
    await page.getByRole("heading", { name: "Votre compte a été supprimé" }).waitFor();
    await expectNoAccessibilityViolations(page, "compte supprimé");
    expect(await suite.ctx.db.user.count({ where: { email: "depart@example.fr" } })).toBe(0);
    await page.context().close();
  });
});
