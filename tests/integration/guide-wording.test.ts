/**
 * The département's user guide is what applicants, aidants and counter staff
 * have in hand: where the portal had departed from its words and menus
 * without a reason, the pages say what the guide shows.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GOOD_PASSWORD, registerAndActivate } from "../support/accounts.js";
import { acceptTerms, fillFirstRequest, fillProfile, PROFILE, step } from "../support/applicant.js";
import { createStaff } from "../support/back-office.js";
import { csrfTokenIn, newBrowser, submitForm, textOf, type Agent } from "../support/browserless.js";
import { createTestContext, MANY_REGISTRATIONS, type TestContext } from "../support/test-app.js";

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext({ throttleRules: MANY_REGISTRATIONS });
});
afterAll(async () => ctx.close());

let counter = 0;
async function applicant(options: { lastName?: string; firstName?: string } = {}): Promise<{ agent: Agent; email: string }> {
  const email = `guide${++counter}@example.fr`;
  const agent = newBrowser(ctx.app);
  await registerAndActivate(ctx, agent, { email, ...options });
  return { agent, email };
}

/** The header's account menu: its button's words, and the items it opens. */
function accountMenu(html: string): { name: string; items: string[] } | null {
  const menu = /<details class="account-menu">([\s\S]*?)<\/details>/.exec(html)?.[1];
  if (!menu) return null;
  const name = textOf(/<summary[^>]*>([\s\S]*?)<\/summary>/.exec(menu)?.[1] ?? "");
  const items = [...menu.matchAll(/<li>([\s\S]*?)<\/li>/g)].map((match) => textOf(match[1]!.replace(/<input[^>]*>/g, "")));
  return { name, items };
}

function mainMenu(html: string): { label: string; current: boolean }[] {
  const nav = /<nav class="main-nav"[\s\S]*?<\/nav>/.exec(html)?.[0] ?? "";
  return [...nav.matchAll(/<a href="[^"]*"( aria-current="page")?>([^<]*)<\/a>/g)].map((match) => ({ label: match[2]!, current: Boolean(match[1]) }));
}

describe("the guide's words and menus", () => {
  it("1. greets the person on the login and registration pages: « Bienvenue sur votre portail de demandes en ligne »", async () => {
    for (const url of ["/connexion", "/inscription"]) {
      const page = await newBrowser(ctx.app).get(url);
      expect(page.status).toBe(200);
      expect(textOf(page.text), url).toContain("Bienvenue sur votre portail de demandes en ligne");
    }
    // The registration's « e-mail sent » page too, as the guide shows it.
    const agent = newBrowser(ctx.app);
    const registration = await submitForm(agent, "/inscription", { lastName: "Ikse", firstName: "Igrek", email: "bienvenue2@example.fr" });
    const after = await agent.get(registration.headers.location as string);
    expect(textOf(after.text)).toContain("Bienvenue sur votre portail de demandes en ligne");
  });

  it("2. puts the person's name (« NOM Prénom ») in the header, opening the account menu without JavaScript", async () => {
    const { agent } = await applicant({ lastName: "Cocotte", firstName: "Cot" });
    const menu = accountMenu((await agent.get("/")).text);
    expect(menu).toEqual({
      name: "Mon compte : COCOTTE Cot",
      items: ["Mes informations personnelles", "Mon aidant", "Personnes que j'aide", "Changer le mot de passe", "Se déconnecter"],
    });
    // Each item works: the two pages open, and « Se déconnecter » is a form with its CSRF token.
    const home = await agent.get("/");
    expect((await agent.get("/mes-informations")).status).toBe(200);
    expect((await agent.get("/mon-compte/mot-de-passe")).status).toBe(200);
    const logout = await agent
      .post("/deconnexion")
      .type("form")
      .send({ _csrf: csrfTokenIn(home.text) });
    expect(logout.status).toBe(303);
    expect(accountMenu((await agent.get("/")).text)).toBeNull();

    // An agent has no « Mes informations personnelles »: the menu offers what applies to them.
    await createStaff(ctx.db, "agent.guide@seinesaintdenis.fr");
    const staff = newBrowser(ctx.app);
    expect((await submitForm(staff, "/connexion", { email: "agent.guide@seinesaintdenis.fr", password: GOOD_PASSWORD })).status).toBe(303);
    expect(accountMenu((await staff.get("/agent")).text)?.items).toEqual(["Changer le mot de passe", "Se déconnecter"]);
  });

  it("3. offers « Demandes terminées » in the main menu beside « Mes demandes en cours », marking only the page shown", async () => {
    const { agent } = await applicant();
    const labels = mainMenu((await agent.get("/")).text).map((item) => item.label);
    expect(labels).toEqual(["Accueil", "Mes informations personnelles", "Créer ou compléter ma demande", "Mes demandes en cours", "Demandes terminées"]);
    const finished = await agent.get("/mes-demandes/terminees");
    expect(finished.status).toBe(200);
    expect(
      mainMenu(finished.text)
        .filter((item) => item.current)
        .map((item) => item.label),
    ).toEqual(["Demandes terminées"]);
    expect(
      mainMenu((await agent.get("/mes-demandes")).text)
        .filter((item) => item.current)
        .map((item) => item.label),
    ).toEqual(["Mes demandes en cours"]);
  });

  it("4. says « démarches et services en ligne » on the home page and offers the three main actions as separate cards", async () => {
    const { agent } = await applicant();
    for (const visitor of [newBrowser(ctx.app), agent]) {
      const home = await visitor.get("/");
      expect(textOf(home.text)).toContain("Bienvenue sur votre espace de démarches et services en ligne du Département de la Seine-Saint-Denis");
      const cards = [...home.text.matchAll(/<li class="action-card">\s*<a class="action-card__link" href="([^"]*)">([^<]*)<\/a>/g)].map((match) => [
        match[1],
        match[2],
      ]);
      expect(cards).toEqual([
        ["/mes-informations", "Mes informations personnelles"],
        ["/demande", "Créer ou compléter ma demande"],
        ["/mes-demandes", "Mes demandes en cours"],
      ]);
    }
  });

  it("5. heads a renewal « Ma demande de renouvellement Améthyste » and asks « Écrivez ci-dessous votre numéro de Passe Navigo »", async () => {
    const { agent, email } = await applicant();
    await fillProfile(agent, email);
    await acceptTerms(agent);
    const beforeChoice = await agent.get("/demande/etape/type");
    expect(textOf(beforeChoice.text)).toContain("Ma demande de Forfait Améthyste");

    expect((await step(agent, "type", { type: "RENEWAL" })).status).toBe(303);
    const navigo = textOf((await agent.get("/demande/etape/navigo")).text);
    expect(navigo).toContain("Ma demande de renouvellement Améthyste");
    expect(navigo).not.toContain("Ma demande de Forfait Améthyste");
    expect(navigo).toContain("Écrivez ci-dessous votre numéro de Passe Navigo");

    // A first request keeps the general heading.
    expect((await step(agent, "type", { type: "FIRST" })).status).toBe(303);
    const first = textOf((await agent.get("/demande/etape/eligibilite")).text);
    expect(first).toContain("Ma demande de Forfait Améthyste");
    expect(first).not.toContain("renouvellement Améthyste");
  });

  it("6. marks « Type de mesure » as required when « Mesure de protection » is « Oui »", async () => {
    const { agent } = await applicant();
    const page = await agent.get("/mes-informations");
    const label = /<label class="field__label" for="[^"]*protectionType[^"]*">([\s\S]*?)<\/label>/.exec(page.text)?.[1] ?? "";
    expect(label).toContain('<span class="required" aria-hidden="true">*</span>');
    expect(textOf(label)).toBe("Type de mesure * (obligatoire si vous bénéficiez d'une mesure de protection)");
  });

  it("7. shows on the récapitulatif who is asking, with a link to change it that leads back to the récapitulatif", async () => {
    const { agent, email } = await applicant({ lastName: "Ikse", firstName: "Igrek" });
    await fillProfile(agent, email);
    await fillFirstRequest(agent);
    const summary = await agent.get("/demande/etape/recapitulatif");
    const text = textOf(summary.text);
    expect(text).toContain("Demandeur");
    expect(text).toContain("Nom et prénom IKSE Igrek");
    expect(text).toContain("Date de naissance 18/06/1950");
    expect(text).toContain("Adresse 1940, avenue du Général de Gaulle, 93000 Bobigny");
    expect(text).toContain(`Adresse e-mail ${email}`);

    const link = /href="([^"]*)">Modifier<span class="visually-hidden"> mes informations personnelles/.exec(summary.text)?.[1]?.replace(/&amp;/g, "&");
    expect(link).toBe("/mes-informations?retour=recapitulatif");
    const profile = await agent.get(link!);
    expect(profile.text).toContain('<input type="hidden" name="retour" value="recapitulatif">');
    const saved = await agent
      .post("/mes-informations")
      .type("form")
      .send({ _csrf: csrfTokenIn(profile.text), retour: "recapitulatif", ...PROFILE, email, city: "Bondy", postalCode: "93140" });
    expect(saved.status).toBe(303);
    expect(saved.headers.location).toBe("/demande/etape/recapitulatif");
    expect(textOf((await agent.get("/demande/etape/recapitulatif")).text)).toContain("Adresse 1940, avenue du Général de Gaulle, 93140 Bondy");
  });

  it("8. names the téléservice in the password-reset mail's subject, as the guide's example does", async () => {
    const { email } = await applicant();
    expect((await submitForm(newBrowser(ctx.app), "/mot-de-passe-oublie", { email })).status).toBe(303);
    await ctx.deliverMails();
    const mail = await ctx.smtp.waitFor(email, "Modification de votre mot de passe");
    expect(mail.subject).toBe("Modification de votre mot de passe sur le portail du téléservice Améthyste de la Seine-Saint-Denis");
  });
});
