/**
 * The foundation's journey in a real browser, as a person would do it: create
 * an account, open the mail, choose a password, log out and in, forget the
 * password, reset it, change it. axe-core checks every page and every error
 * state.
 */
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { GOOD_PASSWORD, OTHER_PASSWORD } from "../support/accounts.js";
import { linkIn } from "../support/browserless.js";
import { accountMenuToggle, browserSuite, expectNoAccessibilityViolations, logOutInBrowser } from "./browser.js";
import { tabTo } from "./keyboard.js";

const suite = browserSuite();

async function mailLink(to: string, subject: string, path: string): Promise<string> {
  await suite.ctx.deliverMails();
  return suite.baseUrl + linkIn((await suite.ctx.smtp.waitFor(to, subject)).text, path);
}

async function checked(page: Page, label: string): Promise<void> {
  await expectNoAccessibilityViolations(page, label);
}

describe("Account journey in chromium", () => {
  it("the accessibility check itself fails on a page with violations", async () => {
    const page = await suite.browser.newPage();
    await page.setContent('<html><body><img src="x.png"><input type="text"><a href="#"></a></body></html>');
    await expect(expectNoAccessibilityViolations(page, "page fautive")).rejects.toThrow(/image-alt/);
    await page.close();
  });

  it("public pages have no WCAG 2.1 A/AA violation", async () => {
    const page = await suite.browser.newPage();
    for (const path of [
      "/",
      "/faq",
      "/mentions-legales",
      "/donnees-personnelles",
      "/accessibilite",
      "/connexion",
      "/inscription",
      "/mot-de-passe-oublie",
      "/page-inconnue",
    ]) {
      await page.goto(suite.baseUrl + path);
      await checked(page, path);
    }
    await page.close();
  });

  it("register, verify, log out, log in, forget, reset, change the password", async () => {
    const context = await suite.browser.newContext();
    const page = await context.newPage();
    const email = "parcours@example.fr";

    await page.goto(suite.baseUrl + "/");
    await page.getByRole("link", { name: "Créer un compte" }).click();
    await expect.poll(() => page.title()).toContain("Je crée mon compte");

    // Submitting empty: the error summary gets the focus and links to the fields.
    await page.getByRole("button", { name: "Envoyer" }).click();
    await expect.poll(() => page.title()).toMatch(/^Erreur : /);
    expect(await page.evaluate(() => document.activeElement?.getAttribute("data-error-summary"))).not.toBeNull();
    await checked(page, "inscription, erreurs");
    await page.getByRole("link", { name: "Indiquez le prénom." }).click();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("champ-firstName");

    await page.getByLabel(/^Nom/).fill("Ikse");
    await page.getByLabel("Prénom").fill("Igrek");
    await page.getByLabel(/^Adresse e-mail/).fill(email);
    await page.getByRole("button", { name: "Envoyer" }).click();
    await page.getByText("Nous vous avons envoyé un e-mail.").waitFor();
    await checked(page, "inscription, e-mail envoyé");

    await page.goto(await mailLink(email, "Créez votre mot de passe", "/inscription/confirmer?token="));
    await checked(page, "choix du mot de passe");
    await page.getByLabel(/^Mot de passe/).fill(GOOD_PASSWORD);
    await page.getByLabel("Confirmation du mot de passe").fill("Pas-La-Meme-123");
    await page.getByRole("button", { name: "S'inscrire" }).click();
    await page.getByText("La confirmation ne correspond pas au mot de passe.").first().waitFor();
    await checked(page, "choix du mot de passe, erreurs");
    await page.getByLabel(/^Mot de passe/).fill(GOOD_PASSWORD);
    await page.getByLabel("Confirmation du mot de passe").fill(GOOD_PASSWORD);
    await page.getByRole("button", { name: "S'inscrire" }).click();
    await page.getByText("Votre compte est créé et vous êtes connecté.").waitFor();
    // The guide's header: « NOM Prénom » opens the account menu, by keyboard, without a script.
    expect(await accountMenuToggle(page).innerText()).toMatch(/IKSE Igrek$/);
    expect(await page.getByRole("link", { name: "Changer le mot de passe" }).isVisible()).toBe(false);
    await tabTo(page, "details.account-menu > summary");
    await page.keyboard.press("Enter");
    const accountMenu = page.locator("details.account-menu");
    for (const item of ["Mes informations personnelles", "Changer le mot de passe"])
      expect(await accountMenu.getByRole("link", { name: item }).isVisible()).toBe(true);
    expect(await accountMenu.getByRole("button", { name: "Se déconnecter" }).isVisible()).toBe(true);
    expect(await page.getByRole("navigation", { name: "Menu principal" }).getByRole("link").allInnerTexts()).toEqual([
      "Accueil",
      "Mes informations personnelles",
      "Créer ou compléter ma demande",
      "Mes demandes en cours",
      "Demandes terminées",
    ]);
    await checked(page, "accueil connecté, menu du compte ouvert");
    await page.keyboard.press("Enter");
    expect(await accountMenu.getByRole("button", { name: "Se déconnecter" }).isVisible()).toBe(false);

    await logOutInBrowser(page);
    await page.getByRole("navigation", { name: "Menu principal" }).getByRole("link", { name: "Se connecter" }).click();
    await page.getByLabel(/^Adresse e-mail/).fill(email);
    await page.getByLabel(/^Mot de passe/).fill("Mauvais-Mot-2-Passe");
    await page.getByRole("button", { name: "Se connecter" }).click();
    await page.getByText("Adresse e-mail ou mot de passe incorrect.").first().waitFor();
    await checked(page, "connexion, erreur");
    await page.getByLabel(/^Mot de passe/).fill(GOOD_PASSWORD);
    await page.getByRole("button", { name: "Se connecter" }).click();
    await logOutInBrowser(page);

    await page.goto(suite.baseUrl + "/connexion");
    await page.getByRole("link", { name: "Mot de passe oublié ?" }).click();
    await page.getByLabel(/^Adresse e-mail/).fill(email);
    await page.getByRole("button", { name: "Envoyer" }).click();
    await page.getByText("Si un compte existe avec cette adresse").waitFor();
    await checked(page, "mot de passe oublié, envoyé");

    await page.goto(await mailLink(email, "Modification de votre mot de passe", "/reinitialiser-mot-de-passe?token="));
    await checked(page, "réinitialisation");
    await page.getByLabel(/^Nouveau mot de passe/).fill("court");
    await page.getByLabel("Confirmer le nouveau mot de passe").fill("court");
    await page.getByRole("button", { name: "Réinitialiser" }).click();
    await page.getByText("Le mot de passe doit contenir au moins 12 caractères.").first().waitFor();
    await checked(page, "réinitialisation, erreurs");
    await page.getByLabel(/^Nouveau mot de passe/).fill(OTHER_PASSWORD);
    await page.getByLabel("Confirmer le nouveau mot de passe").fill(OTHER_PASSWORD);
    await page.getByRole("button", { name: "Réinitialiser" }).click();
    await page.getByText("Votre mot de passe a été modifié.").waitFor();

    await page.getByLabel(/^Adresse e-mail/).fill(email);
    await page.getByLabel(/^Mot de passe/).fill(OTHER_PASSWORD);
    await page.getByLabel("Mémoriser mes informations ?").check();
    await page.getByRole("button", { name: "Se connecter" }).click();
    await accountMenuToggle(page).click();
    await page.getByRole("link", { name: "Changer le mot de passe" }).click();
    await expect.poll(() => page.title()).toContain("Changer le mot de passe");
    await checked(page, "changer le mot de passe");
    await page.getByRole("button", { name: "Changer le mot de passe" }).click();
    await page.getByText("Indiquez votre mot de passe actuel.").first().waitFor();
    await checked(page, "changer le mot de passe, erreurs");
    await page.getByLabel("Mot de passe actuel").fill(OTHER_PASSWORD);
    await page.getByLabel(/^Nouveau mot de passe/).fill(GOOD_PASSWORD);
    await page.getByLabel("Confirmer le nouveau mot de passe").fill(GOOD_PASSWORD);
    await page.getByRole("button", { name: "Changer le mot de passe" }).click();
    await page.getByText("Votre mot de passe a été changé.").waitFor();
    await checked(page, "mot de passe changé");
    await page.screenshot({ path: "tests/e2e/screenshots/mot-de-passe-change.png", fullPage: true });
    await context.close();
  });

  it("after « Se déconnecter », the Back button shows nothing of the previous person's pages", async () => {
    const context = await suite.browser.newContext();
    const page = await context.newPage();
    const email = "ordinateur-partage@example.fr";
    await page.goto(suite.baseUrl + "/inscription");
    await page.getByLabel(/^Nom/).fill("Partage");
    await page.getByLabel("Prénom").fill("Paulette");
    await page.getByLabel(/^Adresse e-mail/).fill(email);
    await page.getByRole("button", { name: "Envoyer" }).click();
    await page.getByText("Nous vous avons envoyé un e-mail.").waitFor();
    await page.goto(await mailLink(email, "Créez votre mot de passe", "/inscription/confirmer?token="));
    await page.getByLabel(/^Mot de passe/).fill(GOOD_PASSWORD);
    await page.getByLabel("Confirmation du mot de passe").fill(GOOD_PASSWORD);
    await page.getByRole("button", { name: "S'inscrire" }).click();
    await page.getByText("Votre compte est créé et vous êtes connecté.").waitFor();

    await page.goto(suite.baseUrl + "/mes-informations");
    await page.getByLabel("Prénom").waitFor();
    expect(await page.getByLabel("Prénom").inputValue()).toBe("Paulette");
    await logOutInBrowser(page);

    await page.goBack();
    await page.waitForLoadState("load");
    // The page is asked of the server again, which sends the logged-out visitor to the login page.
    await expect.poll(() => page.title()).toContain("Connexion");
    expect(await page.content()).not.toContain("Paulette");
    expect(await page.content()).not.toContain(email);
    await context.close();
  });

  it("can be used with the keyboard alone: skip link, visible focus, forms", async () => {
    const page = await suite.browser.newPage();
    await page.goto(suite.baseUrl + "/connexion");
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Aller au contenu");
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle);
    expect(outline).toBe("solid");
    await page.keyboard.press("Enter");
    expect(page.url()).toContain("#contenu");
    await page.close();
  });
});
