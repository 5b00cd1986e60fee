import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TOKEN_LIFETIME_MS } from "../../src/features/account/account-service.js";
import { GOOD_PASSWORD, registerAndActivate } from "../support/accounts.js";
import { csrfTokenIn, linkIn, newBrowser, submitForm, textOf } from "../support/browserless.js";
import { createTestContext, type TestContext } from "../support/test-app.js";

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => ctx.close());

const SENT_TEXT = "Nous vous avons envoyé un e-mail. Consultez votre boîte mail et cliquez sur le lien pour créer un mot de passe.";

describe("« Je crée mon compte »", () => {
  it("shows the form with the guide's labels and aidant hints", async () => {
    const page = await newBrowser(ctx.app).get("/inscription");
    expect(page.status).toBe(200);
    const text = textOf(page.text);
    expect(text).toContain("Je crée mon compte");
    expect(text).toContain("Si vous êtes aidant, indiquez le nom de la personne que vous aidez");
    expect(text).toContain("Si vous êtes aidant, indiquez l'adresse e-mail de la personne que vous aidez");
    expect(page.text).toMatch(/<label class="field__label" for="champ-email">Adresse e-mail/);
  });

  it("sends the verification link; following it and choosing a password activates the account and logs in", async () => {
    const browser = newBrowser(ctx.app);
    const sent = await submitForm(browser, "/inscription", { lastName: "Ikse", firstName: "Igrek", email: "  Igrek.Ikse@Example.FR " });
    expect(sent.status).toBe(303);
    expect(sent.headers.location).toBe("/inscription/email-envoye");
    expect(textOf((await browser.get("/inscription/email-envoye")).text)).toContain(SENT_TEXT);

    // The account is created once the answer has left (its timing must not tell whether one existed).
    await ctx.deliverMails();
    const user = await ctx.db.user.findUniqueOrThrow({ where: { email: "igrek.ikse@example.fr" } });
    expect(user.passwordHash).toBeNull();

    const mail = await ctx.smtp.waitFor("igrek.ikse@example.fr", "Créez votre mot de passe");
    expect(mail.text).toContain("Bonjour Igrek,");
    expect(mail.html).toContain('<a href="http://portail.test/inscription/confirmer?token=');
    const link = linkIn(mail.text, "/inscription/confirmer?token=");

    const passwordPage = await browser.get(link);
    expect(passwordPage.status).toBe(200);
    expect(textOf(passwordPage.text)).toContain("Le mot de passe doit contenir au moins 12 caractères et respecter au moins 3 des règles suivantes");
    const token = new URL(link, "http://x").searchParams.get("token")!;
    const done = await browser
      .post("/inscription/confirmer")
      .type("form")
      .send({ _csrf: csrfTokenIn(passwordPage.text), token, password: GOOD_PASSWORD, confirmation: GOOD_PASSWORD });
    expect(done.status).toBe(303);
    const home = await browser.get("/");
    expect(textOf(home.text)).toContain("Votre compte est créé et vous êtes connecté");
    expect(textOf(home.text)).toContain("IKSE Igrek");

    const active = await ctx.db.user.findUniqueOrThrow({ where: { email: "igrek.ikse@example.fr" } });
    expect(active.passwordHash).toMatch(/^\$argon2id\$/);
    expect(active.emailVerifiedAt).not.toBeNull();

    // The same link a second time: a clear page, no second activation.
    const again = await newBrowser(ctx.app).get(link);
    expect(again.status).toBe(410);
    expect(textOf(again.text)).toContain("Ce lien a déjà servi");
  });

  it("answers the same for an address that already has an account, and mails its owner instead", async () => {
    await registerAndActivate(ctx, newBrowser(ctx.app), { email: "deja@example.fr" });
    const before = ctx.smtp.to("deja@example.fr").length;
    const browser = newBrowser(ctx.app);
    const answer = await submitForm(browser, "/inscription", { lastName: "Autre", firstName: "Personne", email: "DEJA@example.fr" });
    expect(answer.status).toBe(303);
    expect(answer.headers.location).toBe("/inscription/email-envoye");
    await ctx.deliverMails();
    const mail = await ctx.smtp.waitFor("deja@example.fr", "Vous avez déjà un compte");
    expect(mail.text).toContain("http://portail.test/connexion");
    expect(mail.text).toContain("http://portail.test/mot-de-passe-oublie");
    expect(ctx.smtp.to("deja@example.fr").length).toBe(before + 1);
    expect(await ctx.db.user.count({ where: { email: "deja@example.fr" } })).toBe(1);
  });

  it.each([
    [{ lastName: "", firstName: "", email: "" }, ["Indiquez le nom.", "Indiquez le prénom.", "Indiquez l'adresse e-mail."]],
    [{ lastName: "Dupont", firstName: "Jean", email: "pas-une-adresse" }, ["Indiquez une adresse e-mail valide"]],
    [{ lastName: "x".repeat(101), firstName: "Jean", email: "a@b.fr" }, ["Ce nom ne doit pas dépasser 100 caractères."]],
    [{ lastName: "<script>", firstName: "Jean", email: "a@b.fr" }, ["Utilisez uniquement des lettres"]],
  ])("refuses %o with French messages at the fields and in the summary, keeping what was typed", async (fields, messages) => {
    const browser = newBrowser(ctx.app);
    const answer = await submitForm(browser, "/inscription", fields);
    expect(answer.status).toBe(422);
    expect(answer.text).toContain("Il y a ");
    expect(answer.text).toMatch(/<title>Erreur : /);
    for (const message of messages) {
      expect(textOf(answer.text)).toContain(message);
    }
    expect(answer.text).toContain('aria-invalid="true"');
    if (fields.email) expect(answer.text).toContain(`value="${fields.email}"`);
    expect(answer.text).not.toContain("<script>");
  });

  it("refuses a form without or with a wrong CSRF token (403, nothing created)", async () => {
    const browser = newBrowser(ctx.app);
    await browser.get("/inscription");
    const missing = await browser.post("/inscription").type("form").send({ lastName: "A", firstName: "B", email: "csrf@example.fr" });
    expect(missing.status).toBe(403);
    expect(textOf(missing.text)).toContain("Le formulaire a expiré");
    const wrong = await browser.post("/inscription").type("form").send({ _csrf: "faux", lastName: "A", firstName: "B", email: "csrf@example.fr" });
    expect(wrong.status).toBe(403);
    expect(await ctx.db.user.count({ where: { email: "csrf@example.fr" } })).toBe(0);
  });

  it("offers to retry from the page that showed the form, never from another site", async () => {
    const browser = newBrowser(ctx.app);
    const expired = await browser
      .post("/inscription/nouveau-lien")
      .set("Host", "portail.test")
      .set("Referer", "http://portail.test/inscription/confirmer?token=abc")
      .type("form")
      .send({});
    expect(expired.status).toBe(403);
    expect(expired.text).toContain('href="/inscription/confirmer?token=abc"');
    const foreign = await browser.post("/inscription").set("Host", "portail.test").set("Referer", "https://ailleurs.example/piege").type("form").send({});
    expect(foreign.status).toBe(403);
    expect(foreign.text).toContain('<a class="button" href="/">Réessayer</a>');
  });

  it("refuses a password that breaks the rule, a common one, and a mismatched confirmation", async () => {
    const browser = newBrowser(ctx.app);
    await submitForm(browser, "/inscription", { lastName: "Regle", firstName: "Jean", email: "regle@example.fr" });
    await ctx.deliverMails();
    const link = linkIn((await ctx.smtp.waitFor("regle@example.fr", "Créez")).text, "/inscription/confirmer?token=");
    const token = new URL(link, "http://x").searchParams.get("token")!;
    const cases: [Record<string, string>, string][] = [
      [{ password: "", confirmation: "" }, "Choisissez un mot de passe."],
      [{ password: "Court1!", confirmation: "Court1!" }, "au moins 12 caractères"],
      [{ password: "toutenminuscules", confirmation: "toutenminuscules" }, "au moins 3 des 4 types"],
      [{ password: "Password1234!", confirmation: "Password1234!" }, "trop courant"],
      [{ password: GOOD_PASSWORD, confirmation: "Autre-Chose-123" }, "La confirmation ne correspond pas"],
    ];
    for (const [fields, message] of cases) {
      const answer = await submitForm(browser, link, { token, ...fields });
      expect(answer.status, message).toBe(422);
      expect(textOf(answer.text)).toContain(message);
      expect(answer.text).not.toContain(`value="${fields.password}"`);
    }
    const user = await ctx.db.user.findUniqueOrThrow({ where: { email: "regle@example.fr" } });
    expect(user.passwordHash).toBeNull();
  });

  it("explains an expired link and sends a new one on request", async () => {
    const browser = newBrowser(ctx.app);
    await submitForm(browser, "/inscription", { lastName: "Tard", firstName: "Jean", email: "tard@example.fr" });
    await ctx.deliverMails();
    const link = linkIn((await ctx.smtp.waitFor("tard@example.fr", "Créez")).text, "/inscription/confirmer?token=");
    ctx.clock.advance(TOKEN_LIFETIME_MS.VERIFY_EMAIL + 1000);
    const expired = await browser.get(link);
    expect(expired.status).toBe(410);
    expect(textOf(expired.text)).toContain("Ce lien a expiré");
    const tokenId = /name="tokenId" value="([^"]+)"/.exec(expired.text)![1]!;
    const resent = await browser
      .post("/inscription/nouveau-lien")
      .type("form")
      .send({ _csrf: csrfTokenIn(expired.text), tokenId });
    expect(resent.status).toBe(303);
    await ctx.deliverMails();
    const mails = ctx.smtp.to("tard@example.fr");
    expect(mails.length).toBe(2);
    const fresh = linkIn(mails[1]!.text, "/inscription/confirmer?token=");
    expect(fresh).not.toBe(link);
    expect((await browser.get(fresh)).status).toBe(200);
  });

  it("answers 404 with a clear page for an unknown or malformed token", async () => {
    const browser = newBrowser(ctx.app);
    const unknown = await browser.get("/inscription/confirmer?token=" + "A".repeat(43));
    expect(unknown.status).toBe(404);
    expect(textOf(unknown.text)).toContain("Ce lien n'est pas valide");
    expect((await browser.get("/inscription/confirmer?token[]=x")).status).toBe(404);
    expect((await browser.get("/inscription/confirmer")).status).toBe(404);
  });
});
