import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GOOD_PASSWORD, logIn, registerAndActivate } from "../support/accounts.js";
import { csrfTokenIn, newBrowser, submitForm, textOf } from "../support/browserless.js";
import { createTestContext, type TestContext } from "../support/test-app.js";

let ctx: TestContext;
/** The waits the login asked for before answering a failure (the test app does not wait). */
const waits: number[] = [];
beforeAll(async () => {
  ctx = await createTestContext({
    loginSlowDown: (ms) => {
      waits.push(ms);
      return Promise.resolve();
    },
  });
  await registerAndActivate(ctx, newBrowser(ctx.app), { email: "marie@example.fr", firstName: "Marie", lastName: "Curie" });
});
afterAll(async () => ctx.close());

describe("Connexion", () => {
  it("shows the guide's fields and links", async () => {
    const page = await newBrowser(ctx.app).get("/connexion");
    const text = textOf(page.text);
    for (const label of [
      "Adresse e-mail",
      "Mot de passe",
      "Mémoriser mes informations ?",
      "Mot de passe oublié ?",
      "Vous n'avez pas encore de compte ? Cliquez-ici",
    ]) {
      expect(text).toContain(label);
    }
  });

  it("logs in with the address in any case, shows the person's name, and logs out", async () => {
    const browser = newBrowser(ctx.app);
    const answer = await logIn(browser, "  MARIE@example.fr ");
    expect(answer.status).toBe(303);
    expect(answer.headers.location).toBe("/");
    // Without « Mémoriser », a browser-session cookie: no Expires, no Max-Age.
    const cookie = answer.headers["set-cookie"]![0]!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).not.toMatch(/Expires=/);
    const home = await browser.get("/");
    // « NOM Prénom », as the guide writes it in the header.
    expect(textOf(home.text)).toContain("CURIE Marie");
    expect(textOf(home.text)).toContain("Se déconnecter");

    const out = await browser
      .post("/deconnexion")
      .type("form")
      .send({ _csrf: csrfTokenIn(home.text) });
    expect(out.status).toBe(303);
    const after = await browser.get("/");
    expect(textOf(after.text)).toContain("Vous êtes déconnecté");
    expect(textOf(after.text)).toContain("Se connecter");
    expect((await browser.get("/mon-compte/mot-de-passe")).headers.location).toBe("/connexion");
  });

  it("keeps the person logged in for 30 days with « Mémoriser mes informations ? »", async () => {
    const answer = await logIn(newBrowser(ctx.app), "marie@example.fr", GOOD_PASSWORD, true);
    const cookie = answer.headers["set-cookie"]![0]!;
    const expires = new Date(/Expires=([^;]+)/.exec(cookie)![1]!);
    const days = (expires.getTime() - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(29);
    expect(days).toBeLessThanOrEqual(30);
  });

  it("gives a new session id at login (no session fixation)", async () => {
    const browser = newBrowser(ctx.app);
    const page = await browser.get("/connexion");
    const before = /amethyste\.sid=([^;]+)/.exec(page.headers["set-cookie"]![0]!)![1];
    const answer = await browser
      .post("/connexion")
      .type("form")
      .send({ _csrf: csrfTokenIn(page.text), email: "marie@example.fr", password: GOOD_PASSWORD });
    const after = /amethyste\.sid=([^;]+)/.exec(answer.headers["set-cookie"]![0]!)![1];
    expect(after).not.toBe(before);
  });

  it("returns to the page asked for before logging in", async () => {
    const browser = newBrowser(ctx.app);
    expect((await browser.get("/mon-compte/mot-de-passe")).headers.location).toBe("/connexion");
    const answer = await logIn(browser, "marie@example.fr");
    expect(answer.headers.location).toBe("/mon-compte/mot-de-passe");
  });

  it("refuses a wrong password and an unknown address with the same message, keeping the address typed", async () => {
    const wrong = await logIn(newBrowser(ctx.app), "marie@example.fr", "Pas-Le-Bon-123");
    const unknown = await logIn(newBrowser(ctx.app), "personne@example.fr", "Pas-Le-Bon-123");
    for (const answer of [wrong, unknown]) {
      expect(answer.status).toBe(401);
      expect(textOf(answer.text)).toContain("Adresse e-mail ou mot de passe incorrect.");
      expect(answer.text).not.toContain("Pas-Le-Bon-123");
    }
    expect(wrong.text).toContain('value="marie@example.fr"');
  });

  it("refuses empty fields with messages at each field (422)", async () => {
    const answer = await submitForm(newBrowser(ctx.app), "/connexion", { email: "", password: "" });
    expect(answer.status).toBe(422);
    expect(textOf(answer.text)).toContain("Indiquez votre adresse de messagerie.");
    expect(textOf(answer.text)).toContain("Indiquez votre mot de passe.");
    expect(answer.text).toContain('href="#champ-email"');
  });

  it("slows down, then refuses repeated failures for an address with 429, even with the right password", async () => {
    await registerAndActivate(ctx, newBrowser(ctx.app), { email: "cible@example.fr" });
    const browser = newBrowser(ctx.app);
    const statuses: number[] = [];
    waits.length = 0;
    for (let attempt = 0; attempt < 6; attempt++) statuses.push((await logIn(browser, "cible@example.fr", "Mauvais-Mot-2-Passe")).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
    // From the third failure, each answer waits one more second; the refusal itself does not wait.
    expect(waits).toEqual([0, 0, 1000, 2000, 3000]);
    const blocked = await logIn(browser, "cible@example.fr", GOOD_PASSWORD);
    expect(blocked.status).toBe(429);
    expect(blocked.headers["retry-after"]).toMatch(/^\d+$/);
    expect(textOf(blocked.text)).toContain("Trop de tentatives. Par sécurité, attendez 15 minutes avant de réessayer.");
    // Another address is not affected.
    expect((await logIn(newBrowser(ctx.app), "marie@example.fr")).status).toBe(303);
  });

  it("does not let a disabled account log in", async () => {
    await registerAndActivate(ctx, newBrowser(ctx.app), { email: "ancien@example.fr" });
    const browser = newBrowser(ctx.app);
    expect((await logIn(browser, "ancien@example.fr")).status).toBe(303);
    await ctx.db.user.update({ where: { email: "ancien@example.fr" }, data: { disabledAt: new Date() } });
    // The open session ends at the next page, and a new login is refused.
    expect(textOf((await browser.get("/")).text)).toContain("Se connecter");
    expect((await logIn(newBrowser(ctx.app), "ancien@example.fr")).status).toBe(401);
  });
});
