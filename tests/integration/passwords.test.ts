import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TOKEN_LIFETIME_MS } from "../../src/features/account/account-service.js";
import { GOOD_PASSWORD, OTHER_PASSWORD, logIn, registerAndActivate } from "../support/accounts.js";
import { linkIn, newBrowser, submitForm, textOf } from "../support/browserless.js";
import { createTestContext, type TestContext } from "../support/test-app.js";

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => ctx.close());

async function resetLinkFor(email: string): Promise<string> {
  const answer = await submitForm(newBrowser(ctx.app), "/mot-de-passe-oublie", { email });
  expect(answer.status).toBe(303);
  await ctx.deliverMails();
  return linkIn((await ctx.smtp.waitFor(email, "Modification de votre mot de passe")).text, "/reinitialiser-mot-de-passe?token=");
}
const tokenOf = (link: string) => new URL(link, "http://x").searchParams.get("token")!;

describe("Mot de passe oublié", () => {
  it("resets the password from the mail, ends every session, and tells the owner", async () => {
    await registerAndActivate(ctx, newBrowser(ctx.app), { email: "oubli@example.fr" });
    const elsewhere = newBrowser(ctx.app);
    await logIn(elsewhere, "oubli@example.fr");
    expect(textOf((await elsewhere.get("/")).text)).toContain("Se déconnecter");

    const link = await resetLinkFor("oubli@example.fr");
    const browser = newBrowser(ctx.app);
    const page = await browser.get(link);
    expect(textOf(page.text)).toContain("Réinitialiser le mot de passe");
    expect(textOf(page.text)).toContain("Le mot de passe doit contenir au moins 12 caractères");
    const done = await submitForm(browser, link, { token: tokenOf(link), password: OTHER_PASSWORD, confirmation: OTHER_PASSWORD });
    expect(done.status).toBe(303);
    expect(done.headers.location).toBe("/connexion");
    expect(textOf((await browser.get("/connexion")).text)).toContain("Votre mot de passe a été modifié.");

    expect(textOf((await elsewhere.get("/")).text)).toContain("Se connecter");
    expect((await logIn(newBrowser(ctx.app), "oubli@example.fr", GOOD_PASSWORD)).status).toBe(401);
    expect((await logIn(newBrowser(ctx.app), "oubli@example.fr", OTHER_PASSWORD)).status).toBe(303);
    await ctx.deliverMails();
    const changed = await ctx.smtp.waitFor("oubli@example.fr", "a été changé");
    expect(changed.text).toContain("toutes vos autres connexions ont été fermées");

    const reused = await browser.get(link);
    expect(reused.status).toBe(410);
    expect(textOf(reused.text)).toContain("Ce lien a déjà servi");
  });

  it("answers the same for an unknown address, and sends nothing", async () => {
    const before = ctx.smtp.mails.length;
    const answer = await submitForm(newBrowser(ctx.app), "/mot-de-passe-oublie", { email: "inconnu@example.fr" });
    expect(answer.status).toBe(303);
    expect(answer.headers.location).toBe("/mot-de-passe-oublie/email-envoye");
    await ctx.deliverMails();
    expect(ctx.smtp.mails.length).toBe(before);
  });

  it("refuses an expired link with a page offering a new one", async () => {
    await registerAndActivate(ctx, newBrowser(ctx.app), { email: "lent@example.fr" });
    const link = await resetLinkFor("lent@example.fr");
    ctx.clock.advance(TOKEN_LIFETIME_MS.RESET_PASSWORD + 1000);
    const browser = newBrowser(ctx.app);
    const page = await browser.get(link);
    expect(page.status).toBe(410);
    expect(textOf(page.text)).toContain("Ce lien a expiré");
    expect(page.text).toContain('href="/mot-de-passe-oublie"');
  });

  it("refuses bad input with French messages (422)", async () => {
    const empty = await submitForm(newBrowser(ctx.app), "/mot-de-passe-oublie", { email: "" });
    expect(empty.status).toBe(422);
    expect(textOf(empty.text)).toContain("Indiquez l'adresse e-mail de votre compte.");
    const long = await submitForm(newBrowser(ctx.app), "/mot-de-passe-oublie", { email: `${"a".repeat(250)}@example.fr` });
    expect(long.status).toBe(422);
    expect(textOf(long.text)).toContain("ne doit pas dépasser 254 caractères");
  });

  it("throttles repeated requests for one address (429)", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await submitForm(newBrowser(ctx.app), "/mot-de-passe-oublie", { email: "spam@example.fr" })).status);
    expect(statuses).toEqual([303, 303, 303, 429]);
  });
});

describe("Changer le mot de passe", () => {
  it("changes it, keeps this session, ends the others, and mails the owner", async () => {
    const browser = newBrowser(ctx.app);
    await registerAndActivate(ctx, browser, { email: "change@example.fr" });
    const other = newBrowser(ctx.app);
    await logIn(other, "change@example.fr");

    const wrong = await submitForm(browser, "/mon-compte/mot-de-passe", {
      currentPassword: "Faux-Mot-2-Passe",
      password: OTHER_PASSWORD,
      confirmation: OTHER_PASSWORD,
    });
    expect(wrong.status).toBe(422);
    expect(textOf(wrong.text)).toContain("Le mot de passe actuel est incorrect.");

    const mismatch = await submitForm(browser, "/mon-compte/mot-de-passe", { currentPassword: GOOD_PASSWORD, password: OTHER_PASSWORD, confirmation: "autre" });
    expect(mismatch.status).toBe(422);
    expect(textOf(mismatch.text)).toContain("La confirmation ne correspond pas");

    const done = await submitForm(browser, "/mon-compte/mot-de-passe", {
      currentPassword: GOOD_PASSWORD,
      password: OTHER_PASSWORD,
      confirmation: OTHER_PASSWORD,
    });
    expect(done.status).toBe(303);
    const page = await browser.get("/mon-compte/mot-de-passe");
    expect(textOf(page.text)).toContain("Votre mot de passe a été changé.");
    expect(textOf((await other.get("/")).text)).toContain("Se connecter");
    await ctx.deliverMails();
    await ctx.smtp.waitFor("change@example.fr", "a été changé");
    expect((await logIn(newBrowser(ctx.app), "change@example.fr", OTHER_PASSWORD)).status).toBe(303);
  });

  it("is only for logged-in people", async () => {
    const answer = await newBrowser(ctx.app).get("/mon-compte/mot-de-passe");
    expect(answer.status).toBe(302);
    expect(answer.headers.location).toBe("/connexion");
  });
});
