/**
 * « Mon aidant » and « Personnes que j'aide »: an applicant invites an aidant
 * by mail; the aidant accepts with an account created from the link or with
 * their own login, then acts for the person (« Agir pour … »): fills and
 * sends a request, adds a document, reads the request page. Everything the
 * aidant does is recorded with their name; they never reach anyone else's
 * data, nor the person's login address or password, and lose access at
 * once when it ends.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GOOD_PASSWORD, logIn, OTHER_PASSWORD, registerAndActivate } from "../support/accounts.js";
import { acceptTerms, fillFirstRequest, fillProfile, PROFILE } from "../support/applicant.js";
import { loggedInStaff, seedRequest } from "../support/back-office.js";
import { csrfTokenIn, linkIn, newBrowser, submitForm, textOf, type Agent } from "../support/browserless.js";
import { pdfFile } from "../support/files.js";
import { createTestContext, MANY_REGISTRATIONS, type TestContext } from "../support/test-app.js";
import { hashToken } from "../../src/lib/tokens.js";

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext({ throttleRules: MANY_REGISTRATIONS });
});
afterAll(async () => ctx.close());

let counter = 0;

/** An applicant registered through the forms, with a complete profile, logged in. */
async function applicantAccount(firstName: string, lastName: string) {
  const email = `${firstName
    .normalize("NFD")
    .replace(/[^a-zA-Z]/g, "")
    .toLowerCase()}.${++counter}@example.fr`;
  const browser = newBrowser(ctx.app);
  await registerAndActivate(ctx, browser, { email, firstName, lastName });
  await fillProfile(browser, email, { firstName, lastName });
  const user = await ctx.db.user.findUniqueOrThrow({ where: { email } });
  return { browser, email, id: user.id, firstName, lastName };
}

/** « Mon aidant » → « Envoyer l'invitation », then the link of the mail the aidant receives. */
async function invite(applicant: Agent, aidantEmail: string): Promise<string> {
  const sent = await submitForm(applicant, "/mon-aidant", { email: aidantEmail }, "/mon-aidant/inviter");
  expect(sent.status, sent.text.slice(0, 2000)).toBe(303);
  await ctx.deliverMails();
  const mail = await ctx.smtp.waitFor(aidantEmail, "vous invite à l'aider");
  return linkIn(mail.text, "/invitation-aidant?token=");
}

/** The aidant accepts, logged in with their own account. */
async function accept(aidant: Agent, link: string) {
  const answer = await submitForm(aidant, link, { token: new URL(link, "http://x").searchParams.get("token")! }, "/invitation-aidant");
  expect(answer.status, answer.text.slice(0, 2000)).toBe(303);
  expect(answer.headers.location).toBe("/personnes-aidees");
}

async function actFor(aidant: Agent, personId: string) {
  const answer = await submitForm(aidant, "/personnes-aidees", { personId }, "/personnes-aidees/agir");
  expect(answer.status, answer.text.slice(0, 2000)).toBe(303);
  return answer;
}

/** An applicant and an aidant who already has an account, the access accepted. */
async function helpedPair(names: { applicant: [string, string]; aidant: [string, string] }) {
  const applicant = await applicantAccount(...names.applicant);
  const aidant = await applicantAccount(...names.aidant);
  await accept(aidant.browser, await invite(applicant.browser, aidant.email));
  return { applicant, aidant };
}

describe("Inviting an aidant", () => {
  it("an aidant without an account creates one from the link and accepts; the applicant sees who has access and since when", async () => {
    const applicant = await applicantAccount("Marie", "Dupont");
    const page = textOf((await applicant.browser.get("/mon-aidant")).text);
    expect(page).toContain("Personne n'a accès à votre compte.");

    const link = await invite(applicant.browser, "nouvel.aidant@example.fr");
    const token = new URL(link, "http://x").searchParams.get("token")!;
    // Only the token's hash is stored.
    const stored = await ctx.db.aidantInvitation.findFirstOrThrow({ where: { applicantId: applicant.id } });
    expect(stored.tokenHash).toBe(hashToken(token));
    expect(JSON.stringify(stored)).not.toContain(token);
    expect(textOf((await applicant.browser.get("/mon-aidant")).text)).toContain("nouvel.aidant@example.fr, valable jusqu'au");

    const aidant = newBrowser(ctx.app);
    const invitation = await aidant.get(link);
    expect(invitation.status).toBe(200);
    expect(textOf(invitation.text)).toContain("Marie DUPONT vous invite à devenir son aidant");

    // A mistake is shown at its field, and what was typed stays.
    const mistaken = await aidant
      .post("/invitation-aidant/compte")
      .type("form")
      .send({ _csrf: csrfTokenIn(invitation.text), token, lastName: "Bernard", firstName: "", password: GOOD_PASSWORD, confirmation: GOOD_PASSWORD });
    expect(mistaken.status).toBe(422);
    expect(textOf(mistaken.text)).toContain("Indiquez votre prénom.");
    expect(mistaken.text).toContain('value="Bernard"');

    const created = await aidant
      .post("/invitation-aidant/compte")
      .type("form")
      .send({ _csrf: csrfTokenIn(mistaken.text), token, lastName: "Bernard", firstName: "Paul", password: GOOD_PASSWORD, confirmation: GOOD_PASSWORD });
    expect(created.status).toBe(303);
    expect(created.headers.location).toBe("/personnes-aidees");
    const people = textOf((await aidant.get("/personnes-aidees")).text);
    expect(people).toContain("Votre compte est créé et vous pouvez maintenant aider Marie DUPONT.");
    expect(people).toContain("Agir pour Marie DUPONT");

    const account = await ctx.db.user.findUniqueOrThrow({ where: { email: "nouvel.aidant@example.fr" } });
    expect(account.role).toBe("APPLICANT");
    expect(account.emailVerifiedAt).not.toBeNull();

    const mine = textOf((await applicant.browser.get("/mon-aidant")).text);
    expect(mine).toContain("Paul BERNARD");
    expect(mine).toContain("nouvel.aidant@example.fr");
    expect(mine).toMatch(/Paul BERNARD nouvel\.aidant@example\.fr \d{2}\/\d{2}\/\d{4} Retirer l'accès/);
    await ctx.deliverMails();
    const told = await ctx.smtp.waitFor(applicant.email, "peut maintenant vous aider");
    expect(told.text).toContain("Paul Bernard a accepté votre invitation");

    // The link worked once.
    const again = await newBrowser(ctx.app).get(link);
    expect(again.status).toBe(410);
    expect(textOf(again.text)).toContain("Ce lien d'invitation a déjà servi.");
  });

  it("an aidant who already has an account (an applicant themself) logs in with it and comes back to accept", async () => {
    const applicant = await applicantAccount("Lucie", "Moreau");
    const aidantAccount = await applicantAccount("Karim", "Haddad");
    const link = await invite(applicant.browser, aidantAccount.email);

    const aidant = newBrowser(ctx.app);
    const invitation = textOf((await aidant.get(link)).text);
    expect(invitation).toContain(`Un compte existe déjà avec l'adresse ${aidantAccount.email}`);
    const login = await logIn(aidant, aidantAccount.email);
    expect(login.status).toBe(303);
    expect(login.headers.location).toBe(link);
    const page = textOf((await aidant.get(link)).text);
    expect(page).toContain("Vous êtes connecté en tant que Karim HADDAD");
    await accept(aidant, link);
    expect(textOf((await aidant.get("/personnes-aidees")).text)).toContain("Agir pour Lucie MOREAU");
    // Their own requests stay theirs: « Mes demandes » is their own until they act for someone.
    expect(textOf((await aidant.get("/mes-demandes")).text)).not.toContain("Vous agissez pour");
  });

  it("the aidant named in a request is offered in one click; one's own address is refused at the field", async () => {
    const applicant = await applicantAccount("Odile", "Faure");
    await seedRequest(ctx.db, { email: "autre.demandeur@example.fr" });
    await ctx.db.request.create({
      data: { applicantId: applicant.id, termsAcceptedAt: new Date(), termsVersion: "2026-11", aidantName: "Nadia Faure", aidantEmail: "nadia@example.fr" },
    });
    const page = await applicant.browser.get("/mon-aidant");
    expect(textOf(page.text)).toContain("Vous avez indiqué Nadia Faure (nadia@example.fr) comme aidant dans une demande.");
    expect(textOf(page.text)).toContain("Inviter Nadia Faure");
    await invite(applicant.browser, "nadia@example.fr");

    const own = await submitForm(applicant.browser, "/mon-aidant", { email: applicant.email }, "/mon-aidant/inviter");
    expect(own.status).toBe(422);
    expect(textOf(own.text)).toContain("C'est l'adresse de votre propre compte");
    const empty = await submitForm(applicant.browser, "/mon-aidant", { email: "pas-une-adresse" }, "/mon-aidant/inviter");
    expect(empty.status).toBe(422);
    expect(textOf(empty.text)).toContain("Indiquez une adresse e-mail valide");
  });

  it("an applicant sends at most 10 invitations in 24 hours, and is told so at the field", async () => {
    const applicant = await applicantAccount("Bertrand", "Masse");
    for (let i = 0; i < 10; i += 1) {
      const sent = await submitForm(applicant.browser, "/mon-aidant", { email: `aidant${i}@example.fr` }, "/mon-aidant/inviter");
      expect(sent.status).toBe(303);
    }
    const refused = await submitForm(applicant.browser, "/mon-aidant", { email: "encore@example.fr" }, "/mon-aidant/inviter");
    expect(refused.status).toBe(429);
    expect(textOf(refused.text)).toContain("Vous avez envoyé 10 invitations en 24 heures");
    expect(refused.text).toContain('value="encore@example.fr"');
    expect(await ctx.db.aidantInvitation.count({ where: { applicantId: applicant.id } })).toBe(10);
  });

  it("a used, expired, cancelled or mangled link gives a clear French page, never a 500", async () => {
    const applicant = await applicantAccount("Yves", "Garnier");
    const visitor = newBrowser(ctx.app);
    for (const bad of ["/invitation-aidant", "/invitation-aidant?token=abc", `/invitation-aidant?token=${"A".repeat(43)}`, "/invitation-aidant?token[]=x"]) {
      const answer = await visitor.get(bad);
      expect(answer.status, bad).toBe(404);
      expect(textOf(answer.text)).toContain("Ce lien d'invitation n'est pas valide.");
    }
    const forged = await visitor.get("/connexion");
    const posted = await visitor
      .post("/invitation-aidant/compte")
      .type("form")
      .send({ _csrf: csrfTokenIn(forged.text), token: "x" });
    expect(posted.status).toBe(404);

    const expiring = await invite(applicant.browser, "en.retard@example.fr");
    ctx.clock.advance(15 * 24 * 60 * 60 * 1000);
    try {
      const expired = await visitor.get(expiring);
      expect(expired.status).toBe(410);
      expect(textOf(expired.text)).toContain("Ce lien d'invitation a expiré.");
    } finally {
      ctx.clock.advance(-15 * 24 * 60 * 60 * 1000);
    }

    const cancelledLink = await invite(applicant.browser, "annule@example.fr");
    const pending = await ctx.db.aidantInvitation.findFirstOrThrow({ where: { email: "annule@example.fr" } });
    const cancel = await submitForm(applicant.browser, "/mon-aidant", {}, `/mon-aidant/invitations/${pending.id}/annuler`);
    expect(cancel.status).toBe(303);
    const cancelled = await visitor.get(cancelledLink);
    expect(cancelled.status).toBe(410);
    expect(textOf(cancelled.text)).toContain("Cette invitation a été annulée");

    // The applicant following their own link is told to pass it on.
    const ownLink = await invite(applicant.browser, "transmettre@example.fr");
    const self = await submitForm(applicant.browser, ownLink, { token: new URL(ownLink, "http://x").searchParams.get("token")! }, "/invitation-aidant");
    expect(self.status).toBe(409);
    expect(textOf(self.text)).toContain("Vous ne pouvez pas être votre propre aidant");
  });
});

describe("Acting for the person helped", () => {
  it("the aidant fills and sends the request; the history, the agent's page and the audit log say the aidant did it", async () => {
    const { applicant, aidant } = await helpedPair({ applicant: ["Jeanne", "Petit"], aidant: ["Sophie", "Lambert"] });
    await actFor(aidant.browser, applicant.id);
    const list = textOf((await aidant.browser.get("/mes-demandes")).text);
    expect(list).toContain("Vous agissez maintenant pour Jeanne PETIT.");
    expect(list).toContain("Vous agissez pour Jeanne PETIT");
    expect(list).toContain("Revenir à mon compte");

    await fillFirstRequest(aidant.browser);
    const page = await aidant.browser.get("/demande/etape/avis");
    const draftId = /name="draftId" value="([^"]+)"/.exec(page.text)![1]!;
    const sent = await aidant.browser
      .post("/demande/etape/avis")
      .type("form")
      .send({ _csrf: csrfTokenIn(page.text), draftId, satisfaction: "Très satisfait", satisfactionComment: "", action: "envoyer" });
    expect(sent.status, sent.text.slice(0, 2000)).toBe(303);
    const number = /(DEM-\d{10})/.exec(sent.headers.location!)![1]!;

    // The request is the applicant's, not the aidant's.
    const request = await ctx.db.request.findUniqueOrThrow({ where: { number }, include: { documents: true } });
    expect(request.applicantId).toBe(applicant.id);
    expect(await ctx.db.request.count({ where: { applicantId: aidant.id } })).toBe(0);
    const receipt = textOf((await aidant.browser.get(sent.headers.location!)).text);
    expect(receipt).toContain("Demandeur Jeanne PETIT");

    // The aidant reads the request page and downloads a document of it.
    const detail = textOf((await aidant.browser.get(`/mes-demandes/${number}`)).text);
    expect(detail).toContain("Déposée – par Sophie Lambert (aidant)");
    const file = await aidant.browser.get(`/documents/${request.documents[0]!.id}`);
    expect(file.status).toBe(200);
    // A file of the person opened by their aidant is in the audit log, as an agent's opening is.
    const opened = await ctx.db.auditLog.findMany({ where: { actorId: aidant.id, action: "AIDANT_ACTION", details: { path: ["method"], equals: "GET" } } });
    expect(opened.map((entry) => entry.details)).toEqual([{ userId: applicant.id, method: "GET", page: "/documents/:id" }]);

    // The applicant sees it too, with who sent it.
    expect(textOf((await applicant.browser.get(`/mes-demandes/${number}`)).text)).toContain("Déposée – par Sophie Lambert (aidant)");
    await ctx.deliverMails();
    await ctx.smtp.waitFor(applicant.email, `${number} est déposée`);

    const { agent } = await loggedInStaff(ctx);
    const agentPage = textOf((await agent.get(`/agent/demandes/${number}`)).text);
    expect(agentPage).toContain("Déposée (par Sophie Lambert, aidant)");

    const entries = await ctx.db.auditLog.findMany({ where: { actorId: aidant.id, action: "AIDANT_ACTION" }, orderBy: { id: "asc" } });
    const pages = entries.map((entry) => (entry.details as { page: string; userId: string }).page);
    expect(pages).toContain("/demande/etape/:slug");
    expect(pages).toContain("/demande/justificatifs/:section");
    expect(entries.every((entry) => (entry.details as { userId: string }).userId === applicant.id)).toBe(true);
    expect(await ctx.db.auditLog.count({ where: { actorId: aidant.id, action: "AIDANT_ACCESS_GRANTED" } })).toBe(1);
  });

  it("the aidant adds a document to a request waiting for one, and it is recorded with their name", async () => {
    const { applicant, aidant } = await helpedPair({ applicant: ["Rose", "Blanc"], aidant: ["Hugo", "Noir"] });
    const seeded = await seedRequest(ctx.db, { email: "ignore-me@example.fr" });
    await ctx.db.request.update({ where: { id: seeded.id }, data: { applicantId: applicant.id, status: "AWAITING_DOCUMENT" } });
    await actFor(aidant.browser, applicant.id);
    const page = await aidant.browser.get(`/mes-demandes/${seeded.number}`);
    expect(page.status).toBe(200);
    const sent = await aidant.browser
      .post(`/mes-demandes/${seeded.number}/pieces`)
      .field("_csrf", csrfTokenIn(page.text))
      .attach("fichiers", pdfFile("avis"), "avis-2025.pdf");
    expect(sent.status, sent.text.slice(0, 2000)).toBe(303);
    const detail = textOf((await applicant.browser.get(`/mes-demandes/${seeded.number}`)).text);
    expect(detail).toContain("avis-2025.pdf");
    expect(detail).toContain("Pièce complémentaire reçue – par Hugo Noir (aidant)");
    const change = await ctx.db.statusChange.findFirstOrThrow({ where: { requestId: seeded.id, toStatus: "DOCUMENT_RECEIVED" } });
    expect(change.actorId).toBe(aidant.id);
  });

  it("the aidant never reaches another applicant's request or document, acting or not", async () => {
    const { applicant, aidant } = await helpedPair({ applicant: ["Anne", "Roux"], aidant: ["Eric", "Vidal"] });
    const stranger = await seedRequest(ctx.db, { email: "inconnu@example.fr" });
    const document = await ctx.db.requestDocument.create({
      data: {
        requestId: stranger.id,
        section: "IDENTITY",
        originalName: "identite.pdf",
        storedName: `x-${Date.now()}.pdf`,
        mimeType: "application/pdf",
        sizeBytes: 10,
      },
    });
    const own = await seedRequest(ctx.db, { email: "aidee-roux@example.fr" });
    await ctx.db.request.update({ where: { id: own.id }, data: { applicantId: applicant.id } });

    await actFor(aidant.browser, applicant.id);
    expect((await aidant.browser.get(`/mes-demandes/${stranger.number}`)).status).toBe(404);
    expect((await aidant.browser.get(`/documents/${document.id}`)).status).toBe(404);
    expect((await aidant.browser.get(`/mes-demandes/${own.number}`)).status).toBe(200);
    // Acting for a person one does not help is refused, and changes nothing.
    const refused = await submitForm(aidant.browser, "/personnes-aidees", { personId: stranger.applicantId }, "/personnes-aidees/agir");
    expect(refused.status).toBe(404);
    expect(textOf((await aidant.browser.get("/mes-demandes")).text)).toContain("Vous agissez pour Anne ROUX");

    // Back on their own account, the person's request is out of reach again.
    const back = await submitForm(aidant.browser, "/mes-demandes", {}, "/personnes-aidees/mon-compte");
    expect(back.status).toBe(303);
    expect((await aidant.browser.get(`/mes-demandes/${own.number}`)).status).toBe(404);
    // « Mon aidant » of the person is theirs alone: an aidant acting for them cannot invite or end accesses.
    await actFor(aidant.browser, applicant.id);
    expect((await aidant.browser.get("/mon-aidant")).status).toBe(403);
  });

  it("the aidant can update the person's profile but never their login address nor their password", async () => {
    const { applicant, aidant } = await helpedPair({ applicant: ["Paule", "Girard"], aidant: ["Marc", "Henry"] });
    await actFor(aidant.browser, applicant.id);
    const form = await aidant.browser.get("/mes-informations");
    expect(textOf(form.text)).toContain("ne peuvent être changés que par cette personne");
    expect(form.text).not.toContain('name="currentPassword"');
    expect(form.text).not.toContain('name="email"');

    const saved = await submitForm(aidant.browser, "/mes-informations", {
      ...PROFILE,
      firstName: "Paule",
      lastName: "Girard",
      city: "Pantin",
      email: "pirate@example.fr",
      currentPassword: GOOD_PASSWORD,
    });
    expect(saved.status, saved.text.slice(0, 2000)).toBe(303);
    const person = await ctx.db.user.findUniqueOrThrow({ where: { id: applicant.id }, include: { profile: true } });
    expect(person.email).toBe(applicant.email);
    expect(person.profile!.city).toBe("Pantin");
    expect(await ctx.db.accountToken.count({ where: { userId: applicant.id, purpose: "CHANGE_EMAIL" } })).toBe(0);
    await ctx.deliverMails();
    expect(ctx.smtp.mails.some((mail) => mail.to.includes("pirate@example.fr"))).toBe(false);

    // « Changer le mot de passe » only ever concerns the account logged in: the person's password stays.
    const before = person.passwordHash;
    const attempt = await submitForm(aidant.browser, "/mon-compte/mot-de-passe", {
      currentPassword: GOOD_PASSWORD,
      password: OTHER_PASSWORD,
      confirmation: OTHER_PASSWORD,
    });
    expect(attempt.status).toBe(303);
    expect((await ctx.db.user.findUniqueOrThrow({ where: { id: applicant.id } })).passwordHash).toBe(before);
    const fresh = newBrowser(ctx.app);
    expect((await logIn(fresh, applicant.email, GOOD_PASSWORD)).headers.location).not.toBe("/connexion");
  });

  it("an aidant who helps two people switches between them", async () => {
    const first = await applicantAccount("Alice", "Martin");
    const second = await applicantAccount("Bruno", "Lefort");
    const aidant = await applicantAccount("Chloé", "Simon");
    await accept(aidant.browser, await invite(first.browser, aidant.email));
    await accept(aidant.browser, await invite(second.browser, aidant.email));
    const firstRequest = await seedRequest(ctx.db, { email: "bascule-1@example.fr" });
    await ctx.db.request.update({ where: { id: firstRequest.id }, data: { applicantId: first.id } });

    const people = textOf((await aidant.browser.get("/personnes-aidees")).text);
    expect(people).toContain("Agir pour Alice MARTIN");
    expect(people).toContain("Agir pour Bruno LEFORT");

    await actFor(aidant.browser, first.id);
    const firstList = textOf((await aidant.browser.get("/mes-demandes")).text);
    expect(firstList).toContain("Vous agissez pour Alice MARTIN");
    expect(firstList).toContain(firstRequest.number!);

    await actFor(aidant.browser, second.id);
    const secondList = textOf((await aidant.browser.get("/mes-demandes")).text);
    expect(secondList).toContain("Vous agissez pour Bruno LEFORT");
    expect(secondList).not.toContain(firstRequest.number!);
    expect((await aidant.browser.get(`/mes-demandes/${firstRequest.number}`)).status).toBe(404);
    // Bruno's draft is started for Bruno.
    await acceptTerms(aidant.browser);
    expect(await ctx.db.request.count({ where: { applicantId: second.id, status: "DRAFT" } })).toBe(1);
  });
});

describe("Ending the access", () => {
  it("the applicant ends it after a confirmation; the aidant is back on their own account at the next page, with a message", async () => {
    const { applicant, aidant } = await helpedPair({ applicant: ["Gisèle", "Robin"], aidant: ["Léo", "Perrin"] });
    await actFor(aidant.browser, applicant.id);
    await acceptTerms(aidant.browser);
    const access = await ctx.db.aidantAccess.findFirstOrThrow({ where: { applicantId: applicant.id, endedAt: null } });
    const stepPage = await aidant.browser.get("/demande/etape/type");
    expect(stepPage.status).toBe(200);

    const confirm = await applicant.browser.get(`/mon-aidant/acces/${access.id}/retirer`);
    expect(textOf(confirm.text)).toContain("Retirer l'accès de Léo Perrin ?");
    const unconfirmed = await submitForm(applicant.browser, `/mon-aidant/acces/${access.id}/retirer`, {});
    expect(unconfirmed.status).toBe(422);
    expect(textOf(unconfirmed.text)).toContain("Cochez la case pour confirmer.");
    const ended = await submitForm(applicant.browser, `/mon-aidant/acces/${access.id}/retirer`, { confirm: "on" });
    expect(ended.status).toBe(303);
    expect(textOf((await applicant.browser.get("/mon-aidant")).text)).toContain("Personne n'a accès à votre compte.");

    // The aidant's next page, even a form for the person, is refused before anything is done.
    const posted = await aidant.browser
      .post("/demande/etape/type")
      .type("form")
      .send({ _csrf: csrfTokenIn(stepPage.text), type: "FIRST", action: "suivant" });
    expect(posted.status).toBe(303);
    expect(posted.headers.location).toBe("/personnes-aidees");
    const message = textOf((await aidant.browser.get("/personnes-aidees")).text);
    expect(message).toContain("Votre accès au compte de cette personne a pris fin");
    expect(message).toContain("Vous n'aidez personne pour l'instant.");
    expect(await ctx.db.request.count({ where: { applicantId: aidant.id } })).toBe(0);
    const draft = await ctx.db.request.findFirstOrThrow({ where: { applicantId: applicant.id, status: "DRAFT" } });
    expect(draft.type).toBeNull();
    const refused = await submitForm(aidant.browser, "/personnes-aidees", { personId: applicant.id }, "/personnes-aidees/agir");
    expect(refused.status).toBe(404);
  });

  it("the aidant leaves; then they can no longer act for the person", async () => {
    const { applicant, aidant } = await helpedPair({ applicant: ["Henri", "Dumas"], aidant: ["Inès", "Caron"] });
    await actFor(aidant.browser, applicant.id);
    const access = await ctx.db.aidantAccess.findFirstOrThrow({ where: { applicantId: applicant.id, endedAt: null } });
    const left = await submitForm(aidant.browser, `/personnes-aidees/acces/${access.id}/quitter`, { confirm: "on" });
    expect(left.status).toBe(303);
    const page = textOf((await aidant.browser.get("/personnes-aidees")).text);
    expect(page).toContain("Vous n'aidez plus cette personne");
    expect(page).not.toContain("Vous agissez pour");
    expect((await submitForm(aidant.browser, "/personnes-aidees", { personId: applicant.id }, "/personnes-aidees/agir")).status).toBe(404);
    expect(await ctx.db.auditLog.count({ where: { actorId: aidant.id, action: "AIDANT_ACCESS_ENDED" } })).toBe(1);
  });

  it("access ends by itself when the applicant's account is deleted", async () => {
    const applicant = await ctx.db.user.create({ data: { email: "supprime@example.fr", firstName: "Zoé", lastName: "Supprimée" } });
    const aidant = await ctx.db.user.create({ data: { email: "reste@example.fr", firstName: "Rémi", lastName: "Reste" } });
    await ctx.db.aidantAccess.create({ data: { applicantId: applicant.id, aidantId: aidant.id } });
    await ctx.db.aidantInvitation.create({ data: { applicantId: applicant.id, email: "x@example.fr", tokenHash: "h", expiresAt: new Date() } });
    await ctx.db.user.delete({ where: { id: applicant.id } });
    expect(await ctx.db.aidantAccess.count({ where: { aidantId: aidant.id } })).toBe(0);
    expect(await ctx.db.aidantInvitation.count({ where: { applicantId: applicant.id } })).toBe(0);
  });
});
