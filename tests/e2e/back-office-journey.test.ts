/**
 * The back office in chromium: an agent asks for a document, the applicant
 * adds it, the agent validates, the applicant finds « Validée » under
 * « Demandes terminées ». axe-core checks every back-office page and error state.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { GOOD_PASSWORD } from "../support/accounts.js";
import { createStaff, seedRequest } from "../support/back-office.js";
import { pdfFile } from "../support/files.js";
import { setStatusInBrowser as setStatus } from "./back-office.js";
import { browserSuite, expectNoAccessibilityViolations, logInInBrowser } from "./browser.js";

const suite = browserSuite();
beforeAll(async () => {
  await createStaff(suite.ctx.db, "agent.e2e@cd93.fr");
  await createStaff(suite.ctx.db, "admin.e2e@cd93.fr", "ADMIN");
});

const logInAs = (email: string) => logInInBrowser(suite, email, GOOD_PASSWORD);

describe("Back office in chromium", () => {
  it("document requested, added by the applicant, request validated and finished", async () => {
    const request = await seedRequest(suite.ctx.db, { email: "histoire.e2e@example.fr", lastName: "Lefèvre", firstName: "Rose" });
    const number = request.number!;

    const agent = await logInAs("agent.e2e@cd93.fr");
    expect(agent.url()).toBe(`${suite.baseUrl}/agent`);
    await expectNoAccessibilityViolations(agent, "file des demandes");
    await agent.screenshot({ path: "tests/e2e/screenshots/file-des-demandes.png", fullPage: true });
    await agent.getByLabel(/^Déposée à partir du/).fill("32/13/2026");
    await agent.getByRole("button", { name: "Filtrer" }).click();
    await agent.locator("[data-error-summary]").waitFor();
    await expectNoAccessibilityViolations(agent, "file des demandes, erreurs");
    await agent.getByLabel(/^Déposée à partir du/).fill("");
    await agent.getByLabel(/^Rechercher/).fill("lefèvre");
    await agent.getByRole("button", { name: "Filtrer" }).click();
    await agent.getByRole("link", { name: number, exact: true }).click();
    await expectNoAccessibilityViolations(agent, "demande (agent)");

    await setStatus(agent, "En cours d'instruction");
    await agent.getByText("est maintenant « En cours d'instruction »").waitFor();
    await setStatus(agent, "En attente de pièce complémentaire", { message: "" });
    await agent.locator("[data-error-summary]").waitFor();
    await expectNoAccessibilityViolations(agent, "changement de statut, erreurs");
    await setStatus(agent, "En attente de pièce complémentaire", { message: "Merci de joindre votre dernier avis d'imposition." });
    await agent.getByText("est maintenant « En attente de pièce complémentaire »").waitFor();
    await agent.getByLabel("Nouvelle note").fill("Avis 2024 illisible.");
    await agent.getByRole("button", { name: "Ajouter la note" }).click();
    await agent.getByText("Note ajoutée.").waitFor();

    const applicant = await logInAs("histoire.e2e@example.fr");
    await applicant.getByRole("link", { name: "Mes demandes en cours" }).first().click();
    expect(await applicant.textContent("table")).toContain("En attente de pièce complémentaire");
    await applicant.getByText("Afficher les détails").click();
    await applicant.getByText("Merci de joindre votre dernier avis d'imposition.").first().waitFor();
    await expectNoAccessibilityViolations(applicant, "mes demandes, pièce attendue");
    await applicant.getByRole("link", { name: number, exact: true }).click();
    await applicant.getByLabel("Fichier(s) à joindre").setInputFiles({ name: "avis-2025.pdf", mimeType: "application/pdf", buffer: pdfFile() });
    await applicant.getByRole("button", { name: "Envoyer" }).click();
    await applicant.getByText("Vos pièces sont envoyées.").waitFor();
    expect(await applicant.textContent("main")).toContain("Pièce complémentaire reçue");
    expect(await applicant.textContent("main")).not.toContain("Avis 2024 illisible.");

    await agent.reload();
    expect(await agent.textContent("main")).toContain("avis-2025.pdf");
    await setStatus(agent, "Validée", { from: "01/01/2027", until: "31/12/2026" });
    await agent.getByText("La fin de validité doit être après le début.").first().waitFor();
    await setStatus(agent, "Validée", { from: "01/01/2027", until: "31/12/2027", message: "Votre forfait est accordé." });
    await agent.getByText("est maintenant « Validée »").waitFor();
    await expectNoAccessibilityViolations(agent, "demande validée (agent)");
    await agent.screenshot({ path: "tests/e2e/screenshots/demande-agent.png", fullPage: true });

    // « Demandes terminées » is in the main menu, as in the guide.
    await applicant.getByRole("navigation", { name: "Menu principal" }).getByRole("link", { name: "Demandes terminées" }).click();
    const finished = await applicant.textContent("table");
    expect(finished).toContain(number);
    expect(finished).toContain("Validée");
    await expectNoAccessibilityViolations(applicant, "demandes terminées");

    await suite.ctx.deliverMails();
    await suite.ctx.smtp.waitFor("histoire.e2e@example.fr", "Validée");
  });

  it("« Me l'attribuer », then « Mes demandes » lists the request with its age, in either order", async () => {
    const number = (await seedRequest(suite.ctx.db, { lastName: "Moreau", firstName: "Lucie" })).number!;
    const agent = await logInAs("agent.e2e@cd93.fr");
    await agent.goto(`${suite.baseUrl}/agent/demandes/${number}`);
    expect(await agent.locator("#champ-attribution").textContent()).toContain("Attribuée à : personne");
    await agent.getByRole("button", { name: "Me l'attribuer" }).click();
    await agent.getByText(`La demande ${number} vous est attribuée.`).waitFor();
    expect(await agent.locator("#champ-attribution").textContent()).toContain("Anne AGENT");
    await expectNoAccessibilityViolations(agent, "demande attribuée (agent)");

    await agent.getByRole("navigation", { name: "Menu principal" }).getByRole("link", { name: "Mes demandes", exact: true }).click();
    await agent.waitForLoadState("load");
    expect(await agent.textContent("h1")).toBe("Mes demandes");
    expect(await agent.getByRole("row").filter({ hasText: number }).textContent()).toContain("aujourd'hui");
    await expectNoAccessibilityViolations(agent, "mes demandes (agent)");
    await agent.getByLabel("Plus récentes d'abord").check();
    await agent.getByRole("button", { name: "Filtrer" }).click();
    await agent.waitForLoadState("load");
    const query = new URL(agent.url()).searchParams;
    expect([query.get("attribution"), query.get("tri")]).toEqual(["moi", "recentes"]);
    await agent.getByRole("link", { name: number, exact: true }).waitFor();
    await expectNoAccessibilityViolations(agent, "mes demandes, plus récentes d'abord");
  });

  it("invitations, administration pages and the audit log have no WCAG 2.1 A/AA violation", async () => {
    const admin = await logInAs("admin.e2e@cd93.fr");
    await admin.getByRole("link", { name: "Nouvelle invitation" }).click();
    await expectNoAccessibilityViolations(admin, "nouvelle invitation");
    await admin.getByRole("button", { name: "Envoyer l'invitation" }).click();
    await admin.locator("[data-error-summary]").waitFor();
    await expectNoAccessibilityViolations(admin, "nouvelle invitation, erreurs");
    await admin.getByLabel(/^Nom/).fill("Garnier");
    await admin.getByLabel(/^Prénom/).fill("Hugo");
    await admin.getByLabel(/^Adresse e-mail de la personne/).fill("hugo.garnier@example.fr");
    await admin.getByRole("button", { name: "Envoyer l'invitation" }).click();
    const code = (await admin.locator(".invitation-code").textContent())!;
    await expectNoAccessibilityViolations(admin, "invitation envoyée");

    for (const [link, label] of [
      ["Comptes agents", "comptes agents"],
      ["Participations", "participations"],
      ["Situations", "situations"],
      ["Messages non distribués", "messages non distribués, aucun"],
    ] as const) {
      await admin.getByRole("navigation", { name: "Menu principal" }).getByRole("link", { name: link }).click();
      await expectNoAccessibilityViolations(admin, label);
    }
    // A mail the outbox gave up on, as after ten refusals by the mail server.
    const failed = await suite.ctx.db.outboxMail.create({
      data: {
        to: "injoignable@example.fr",
        subject: "Votre demande est validée",
        text: "Bonjour",
        html: "<p>Bonjour</p>",
        status: "FAILED",
        attempts: 10,
        lastError: "550 mailbox unavailable",
      },
    });
    await admin.reload();
    await expectNoAccessibilityViolations(admin, "messages non distribués");
    await admin.getByRole("button", { name: /^Renvoyer le message « Votre demande est validée »/ }).click();
    await admin.getByText("Le message est remis dans la file d'envoi").waitFor();
    expect((await suite.ctx.db.outboxMail.findUniqueOrThrow({ where: { id: failed.id } })).status).toBe("PENDING");
    await expectNoAccessibilityViolations(admin, "messages non distribués, renvoyé");
    await admin.getByRole("navigation", { name: "Menu principal" }).getByRole("link", { name: "Journal d'audit" }).click();
    await expectNoAccessibilityViolations(admin, "journal d'audit");
    await admin.getByLabel(/^Actions à partir du/).fill("99/99/2026");
    await admin.getByRole("button", { name: "Filtrer" }).click();
    await admin.locator("[data-error-summary]").waitFor();
    await expectNoAccessibilityViolations(admin, "journal d'audit, erreurs");
    await admin.getByRole("navigation", { name: "Menu principal" }).getByRole("link", { name: "Participations" }).click();
    await admin.getByLabel(/^Zones 1 à 5/).fill("beaucoup");
    await admin.getByRole("button", { name: "Enregistrer" }).click();
    await admin.locator("[data-error-summary]").waitFor();
    await expectNoAccessibilityViolations(admin, "participations, erreurs");
    await admin.getByRole("navigation", { name: "Menu principal" }).getByRole("link", { name: "Comptes agents" }).click();
    await admin.getByRole("button", { name: "Créer le compte" }).click();
    await admin.locator("[data-error-summary]").waitFor();
    await expectNoAccessibilityViolations(admin, "comptes agents, erreurs");

    // The invited person, with the code typed from paper.
    const person = await (await suite.browser.newContext()).newPage();
    await person.goto(`${suite.baseUrl}/connexion`);
    await person.getByRole("link", { name: "Utiliser une invitation" }).click();
    await expectNoAccessibilityViolations(person, "utiliser une invitation");
    await person.getByLabel(/^Code d'invitation/).fill("AAAA-BBBB-CCCC");
    await person.getByRole("button", { name: "Continuer" }).click();
    await person.locator("[data-error-summary]").waitFor();
    await expectNoAccessibilityViolations(person, "utiliser une invitation, erreur");
    await person.getByLabel(/^Code d'invitation/).fill(code.toLowerCase());
    await person.getByRole("button", { name: "Continuer" }).click();
    expect(await person.getByLabel(/^Nom/).inputValue()).toBe("Garnier");
    await expectNoAccessibilityViolations(person, "création du compte par invitation");
    await person.getByLabel(/^Mot de passe/).fill(GOOD_PASSWORD);
    await person.getByLabel(/^Confirmation du mot de passe/).fill("autre");
    await person.getByRole("button", { name: "S'inscrire" }).click();
    await person.locator("[data-error-summary]").waitFor();
    await expectNoAccessibilityViolations(person, "création du compte par invitation, erreurs");
    await person.getByLabel(/^Mot de passe/).fill(GOOD_PASSWORD);
    await person.getByLabel(/^Confirmation du mot de passe/).fill(GOOD_PASSWORD);
    await person.getByRole("button", { name: "S'inscrire" }).click();
    await person.getByText("Votre compte est créé et vous êtes connecté.").waitFor();
  });
});
