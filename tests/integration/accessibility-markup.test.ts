/**
 * What automation (axe-core) cannot judge but a screen-reader user hears:
 * each row of a request table is named by its request number, and each link
 * or disclosure of a row says which request it belongs to (RGAA 5.7, 6.1).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { logIn } from "../support/accounts.js";
import { createStaff, loggedInStaff, seedRequest } from "../support/back-office.js";
import { newBrowser, submitForm } from "../support/browserless.js";
import { createTestContext, type TestContext } from "../support/test-app.js";

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => ctx.close());

describe("Request tables, as a screen reader reads them", () => {
  it("name each row by its number, and each row's controls by the request", async () => {
    const { agent } = await loggedInStaff(ctx);
    const request = await seedRequest(ctx.db, { email: "lecteur@example.fr", status: "IN_REVIEW" });
    const number = request.number!;
    expect(
      (await submitForm(agent, `/agent/demandes/${number}`, { status: "AWAITING_DOCUMENT", message: "Il manque l'avis." }, `/agent/demandes/${number}/statut`))
        .status,
    ).toBe(303);

    const applicant = newBrowser(ctx.app);
    await logIn(applicant, "lecteur@example.fr");
    const list = (await applicant.get("/mes-demandes")).text;
    expect(list).toMatch(new RegExp(`<th scope="row"[^>]*>[\\s\\S]*?<a href="/mes-demandes/${number}">${number}</a></th>`));
    expect(list).toContain(`Afficher les détails<span class="visually-hidden"> de la réponse pour la demande ${number}</span>`);
    expect(list).toContain(`Joindre un ou plusieurs fichiers<span class="visually-hidden"> à la demande ${number}</span>`);

    const queue = (await agent.get("/agent")).text;
    expect(queue).toMatch(new RegExp(`<th scope="row"[^>]*>[\\s\\S]*?<a href="/agent/demandes/${number}">${number}</a></th>`));
  });
});

describe("Deleting a file is confirmed first (RGAA 11.12)", () => {
  it("« Supprimer » opens a page that names the file; the file stays until « Supprimer définitivement »", async () => {
    const { registerAndActivate } = await import("../support/accounts.js");
    const { acceptTerms, fillProfile, step, upload } = await import("../support/applicant.js");
    const { pdfFile } = await import("../support/files.js");
    const { csrfTokenIn } = await import("../support/browserless.js");
    const browser = newBrowser(ctx.app);
    await registerAndActivate(ctx, browser, { email: "suppression@example.fr" });
    await fillProfile(browser, "suppression@example.fr");
    await acceptTerms(browser);
    for (const [slug, fields] of [
      ["type", { type: "FIRST" }],
      ["eligibilite", { statutCode: "PA", residentOneYear: "oui", taxable: "non", retired: "oui", otherTransportAid: "non" }],
      ["navigo", { navigoNumber: "12345678" }],
      ["zonage", { zonageCode: "Z2_5" }],
      ["revenus", { referenceTaxIncome: "9 850", taxShares: "1" }],
      ["aidant", { aidantName: "", aidantEmail: "" }],
      ["participation", { directDebit: "non" }],
    ] as const) {
      expect((await step(browser, slug, fields)).status).toBe(303);
    }
    expect((await upload(browser, "IDENTITY", [{ name: "carte-identite.pdf", content: pdfFile() }])).status).toBe(303);
    const document = await ctx.db.requestDocument.findFirstOrThrow({ where: { originalName: "carte-identite.pdf" } });

    const stepPage = (await browser.get("/demande/etape/justificatifs")).text;
    expect(stepPage).toContain(`href="/demande/justificatifs/fichier/${document.id}/supprimer"`);
    const confirm = await browser.get(`/demande/justificatifs/fichier/${document.id}/supprimer`);
    expect(confirm.status).toBe(200);
    expect(confirm.text).toContain("Supprimer le fichier « carte-identite.pdf » ?");
    expect(await ctx.db.requestDocument.count({ where: { id: document.id } })).toBe(1);

    const removed = await browser
      .post(`/demande/justificatifs/fichier/${document.id}/supprimer`)
      .type("form")
      .send({ _csrf: csrfTokenIn(confirm.text) });
    expect(removed.status).toBe(303);
    expect(await ctx.db.requestDocument.count({ where: { id: document.id } })).toBe(0);

    const stranger = newBrowser(ctx.app);
    await registerAndActivate(ctx, stranger, { email: "inconnu@example.fr" });
    await fillProfile(stranger, "inconnu@example.fr");
    const seen = await stranger.get(`/demande/justificatifs/fichier/${document.id}/supprimer`);
    expect(seen.status).toBe(404);
    expect(seen.text).not.toContain("carte-identite.pdf");
  });
});

describe("Forms say what a person needs before any error (RGAA 11.3, 11.7, 11.10, 11.13, 13.1)", () => {
  const labelOf = (html: string, id: string) => textOfLabel(new RegExp(`<label[^>]*for="${id}"[^>]*>([\\s\\S]*?)</label>`).exec(html)?.[1] ?? "");
  const textOfLabel = (html: string) =>
    html
      .replace(/<span class="visually-hidden">[\s\S]*?<\/span>/g, "")
      .replace(/<[^>]+>/g, "")
      .replace(/\s+/g, " ")
      .trim();

  it("labels the account's e-mail « Adresse e-mail » everywhere, and explains the asterisk on every form", async () => {
    const { registerAndActivate } = await import("../support/accounts.js");
    for (const path of ["/connexion", "/inscription", "/mot-de-passe-oublie"]) {
      const html = (await newBrowser(ctx.app).get(path)).text;
      expect(labelOf(html, "champ-email"), path).toBe("Adresse e-mail *");
      expect(html, path).toContain("Les champs marqués d'un astérisque");
    }
    const browser = newBrowser(ctx.app);
    await registerAndActivate(ctx, browser, { email: "etiquettes@example.fr" });
    const profile = (await browser.get("/mes-informations")).text;
    expect(labelOf(profile, "champ-email")).toBe("Adresse e-mail *");
    expect(profile).toContain("Les champs marqués d'un astérisque");
    expect(labelOf(profile, "champ-birthDate")).toBe("Date de naissance *");
    expect(profile).toContain("5 chiffres, par exemple 93000");
    expect(profile).toMatch(/id="champ-mobilePhone"[^>]*autocomplete="mobile tel"/);
    expect(profile).toMatch(/id="champ-landlinePhone"[^>]*autocomplete="home tel"/);
    expect((await browser.get("/mon-compte/mot-de-passe")).text).toContain("Les champs marqués d'un astérisque");

    const login = (await newBrowser(ctx.app).get("/connexion")).text;
    expect(labelOf(login, "champ-remember")).toContain("rester connecté 30 jours sur cet appareil");
  });

  it("names each group of the wizard, shows formats before errors, and tells locked steps by words", async () => {
    const { registerAndActivate } = await import("../support/accounts.js");
    const { acceptTerms, fillProfile, step } = await import("../support/applicant.js");
    const browser = newBrowser(ctx.app);
    await registerAndActivate(ctx, browser, { email: "legendes@example.fr" });
    await fillProfile(browser, "legendes@example.fr");
    await acceptTerms(browser);
    const typeStep = (await browser.get("/demande/etape/type")).text;
    expect(typeStep).toMatch(/<legend[^>]*>\s*Type de demande : faites votre choix/);
    expect(typeStep).toContain("Les champs marqués d'un astérisque");
    expect(typeStep).toContain("(pas encore accessible)");
    expect(typeStep).not.toMatch(/<span class="visually-hidden"> \(pas encore accessible\)/);
    expect((await step(browser, "type", { type: "FIRST" })).status).toBe(303);
    expect(
      (await step(browser, "eligibilite", { statutCode: "PA", residentOneYear: "oui", taxable: "non", retired: "oui", otherTransportAid: "non" })).status,
    ).toBe(303);
    expect((await browser.get("/demande/etape/navigo")).text).toContain("Entre 8 et 12 chiffres");
    expect((await step(browser, "navigo", { navigoNumber: "12345678" })).status).toBe(303);
    expect((await step(browser, "zonage", { zonageCode: "Z2_5" })).status).toBe(303);
    expect((await step(browser, "revenus", { referenceTaxIncome: "9 850", taxShares: "1" })).status).toBe(303);
    expect((await step(browser, "aidant", { aidantName: "", aidantEmail: "" })).status).toBe(303);
    expect((await browser.get("/demande/etape/participation")).text).toMatch(/<legend[^>]*>Vos coordonnées bancaires pour le prélèvement/);
  });
});

describe("Each error is tied to its control (RGAA 11.10, 11.11)", () => {
  /** Every link of the error summary leads to a control, and the control is described by its message. */
  const expectErrorsTiedToControls = (html: string, where: string) => {
    const links = [...html.matchAll(/<div class="error-summary"[\s\S]*?<\/ul>/g)].flatMap(([summary]) =>
      [...summary.matchAll(/href="#([^"]+)"/g)].map((match) => match[1]!),
    );
    expect(links.length, where).toBeGreaterThan(0);
    for (const id of links) {
      expect(html, `${where} #${id}`).toMatch(new RegExp(`<(input|select|textarea)\\b[^>]*id="${id}"`));
      expect(html, `${where} #${id}-error`).toContain(`id="${id}-error"`);
      expect(html, `${where} aria-describedby of #${id}`).toMatch(new RegExp(`aria-describedby="[^"]*\\b${id}-error\\b[^"]*"`));
    }
  };

  it("on the login form, the agent's status change and notes, whichever partial draws the control", async () => {
    const login = await submitForm(newBrowser(ctx.app), "/connexion", { email: "", password: "" });
    expect(login.status).toBe(422);
    expectErrorsTiedToControls(login.text, "connexion");

    await createStaff(ctx.db, "controle@cd93.fr");
    const agent = newBrowser(ctx.app);
    await logIn(agent, "controle@cd93.fr");
    const request = await seedRequest(ctx.db, { email: "erreurs@example.fr", status: "IN_REVIEW" });
    const page = `/agent/demandes/${request.number}`;
    const refused = await submitForm(agent, page, { status: "REFUSED", message: "" }, `${page}/statut`);
    expect(refused.status).toBe(422);
    expectErrorsTiedToControls(refused.text, "statut");
    expect(refused.text).toMatch(/<textarea[^>]*id="champ-message"[^>]*aria-describedby="champ-message-hint champ-message-error"/);

    const note = await submitForm(agent, page, { note: "  " }, `${page}/notes`);
    expect(note.status).toBe(422);
    expectErrorsTiedToControls(note.text, "notes");
  });
});
