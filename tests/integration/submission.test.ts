import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { changeStatus } from "../../src/features/status/status-service.js";
import { registerAndActivate } from "../support/accounts.js";
import { fillFirstRequest, fillProfile, step } from "../support/applicant.js";
import { csrfTokenIn, newBrowser, textOf } from "../support/browserless.js";
import { pdfFile, executableFile } from "../support/files.js";
import { createTestContext, MANY_REGISTRATIONS, PUBLIC_URL, type TestContext } from "../support/test-app.js";

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext({ throttleRules: MANY_REGISTRATIONS });
});
afterAll(async () => ctx.close());

let counter = 0;
async function readyToSend(options: { aidantEmail?: string } = {}) {
  const email = `envoi${++counter}@example.fr`;
  const agent = newBrowser(ctx.app);
  await registerAndActivate(ctx, agent, { email });
  await fillProfile(agent, email);
  await fillFirstRequest(agent, options);
  return { agent, email };
}

async function send(agent: ReturnType<typeof newBrowser>) {
  const page = await agent.get("/demande/etape/avis");
  expect(page.status).toBe(200);
  const draftId = /name="draftId" value="([^"]+)"/.exec(page.text)![1]!;
  const fields = { _csrf: csrfTokenIn(page.text), draftId, satisfaction: "Très satisfait", satisfactionComment: "Simple et clair.", action: "envoyer" };
  return { fields, post: () => agent.post("/demande/etape/avis").type("form").send(fields) };
}

describe("« Envoyer »", () => {
  it("gives a DEM- number, « Déposée », a receipt, mails to the applicant and the aidant, and lists it", async () => {
    const { agent, email } = await readyToSend({ aidantEmail: "aidant@example.fr" });
    const { post } = await send(agent);
    const answer = await post();
    expect(answer.status).toBe(303);
    const number = /\/mes-demandes\/(DEM-\d{10})\/confirmation/.exec(answer.headers.location!)![1]!;

    const confirmation = await agent.get(answer.headers.location!);
    const text = textOf(confirmation.text);
    expect(text).toContain("Votre demande est envoyée");
    expect(text).toContain(number);
    expect(text).toContain("Récépissé de dépôt");
    expect(text).toContain("Zones 2 à 5");

    const request = await ctx.db.request.findFirstOrThrow({ where: { number }, include: { statusChanges: true } });
    expect(request.status).toBe("SUBMITTED");
    expect(request.participationCents).toBe(3000);
    expect(request.satisfaction).toBe("Très satisfait");
    expect((request.profileSnapshot as { email: string; profile: { city: string } }).profile.city).toBe("Bobigny");
    expect(JSON.stringify(request.profileSnapshot)).not.toContain("argon2");
    expect(request.statusChanges.map((change) => [change.fromStatus, change.toStatus])).toEqual([["DRAFT", "SUBMITTED"]]);

    await ctx.deliverMails();
    const applicantMail = await ctx.smtp.waitFor(email, number);
    expect(applicantMail.subject).toBe(`Votre demande de forfait Améthyste ${number} est déposée`);
    expect(applicantMail.text).toContain(`${PUBLIC_URL}/mes-demandes/${number}`);
    const aidantMail = await ctx.smtp.waitFor("aidant@example.fr", number);
    expect(aidantMail.text).toContain("« Déposée »");
    expect(aidantMail.text).not.toContain("9850");

    const list = await agent.get("/mes-demandes");
    expect(textOf(list.text)).toContain(number);
    expect(textOf(list.text)).toContain("Déposée");
    expect(textOf(list.text)).toContain("Première demande");

    const detail = await agent.get(`/mes-demandes/${number}`);
    expect(detail.status).toBe(200);
    expect(textOf(detail.text)).toContain("Historique");
    expect(textOf(detail.text)).toContain("identity.pdf");

    // The draft is gone: « Créer ou compléter ma demande » says where the submitted one stands (one open at a time).
    expect(textOf((await agent.get("/demande")).text)).toContain(`Vous avez déjà une demande en cours Votre demande n° ${number}`);
  });

  it("is idempotent: a double click or a replayed POST gives one request", async () => {
    const { agent, email } = await readyToSend();
    const { post } = await send(agent);
    const [first, second] = await Promise.all([post(), post()]);
    const replay = await post();
    const locations = [first, second, replay].map((answer) => answer.headers.location);
    expect(new Set(locations).size).toBe(1);
    expect(locations[0]).toMatch(/^\/mes-demandes\/DEM-\d{10}\/confirmation$/);
    const user = await ctx.db.user.findUniqueOrThrow({ where: { email } });
    expect(await ctx.db.request.count({ where: { applicantId: user.id } })).toBe(1);
    await ctx.deliverMails();
    expect(ctx.smtp.to(email).filter((mail) => mail.subject.includes("est déposée"))).toHaveLength(1);
  });

  it("numbers requests from a sequence, DEM- and 10 digits", async () => {
    const numbers: string[] = [];
    for (let i = 0; i < 2; i++) {
      const { agent } = await readyToSend();
      const answer = await (await send(agent)).post();
      numbers.push(/DEM-\d{10}/.exec(answer.headers.location!)![0]);
    }
    const [a, b] = numbers.map((number) => Number(number.slice(4)));
    expect(b).toBeGreaterThan(a!);
  });
});

describe("Mes demandes en cours", () => {
  it("shows another applicant's request as 404, and nothing to logged-out visitors", async () => {
    const { agent } = await readyToSend();
    const answer = await (await send(agent)).post();
    const number = /DEM-\d{10}/.exec(answer.headers.location!)![0];
    const stranger = newBrowser(ctx.app);
    await registerAndActivate(ctx, stranger, { email: `curieux${++counter}@example.fr` });
    expect((await stranger.get(`/mes-demandes/${number}`)).status).toBe(404);
    expect((await stranger.get(`/mes-demandes/${number}/confirmation`)).status).toBe(404);
    expect((await stranger.get("/mes-demandes/DEM-12")).status).toBe(404);
    expect((await newBrowser(ctx.app).get(`/mes-demandes/${number}`)).headers.location).toBe("/connexion");
  });

  it("lets the applicant add a missing document, which moves it to « Pièce complémentaire reçue »", async () => {
    const { agent, email } = await readyToSend({ aidantEmail: "aide2@example.fr" });
    const answer = await (await send(agent)).post();
    const number = /DEM-\d{10}/.exec(answer.headers.location!)![0];
    const request = await ctx.db.request.findFirstOrThrow({ where: { number } });
    const agentUser = await ctx.db.user.create({ data: { email: `agent${counter}@cd93.fr`, firstName: "Anne", lastName: "Agent", role: "AGENT" } });
    await ctx.db.$transaction(async (tx) => {
      await changeStatus(tx, { requestId: request.id, to: "IN_REVIEW", actor: "agent", actorId: agentUser.id, publicUrl: PUBLIC_URL });
      await changeStatus(tx, {
        requestId: request.id,
        to: "AWAITING_DOCUMENT",
        actor: "agent",
        actorId: agentUser.id,
        message: "Merci d'ajouter votre avis d'imposition 2025.",
        publicUrl: PUBLIC_URL,
      });
    });

    const detail = await agent.get(`/mes-demandes/${number}`);
    expect(textOf(detail.text)).toContain("En attente de pièce complémentaire");
    expect(textOf(detail.text)).toContain("Merci d'ajouter votre avis d'imposition 2025.");
    expect(textOf(detail.text)).toContain("Joindre un ou plusieurs fichiers");
    const list = await agent.get("/mes-demandes");
    expect(textOf(list.text)).toContain("Afficher les détails");

    const refused = await agent
      .post(`/mes-demandes/${number}/pieces`)
      .field("_csrf", csrfTokenIn(detail.text))
      .attach("fichiers", executableFile(), "avis.pdf");
    expect(refused.status).toBe(422);
    expect(textOf(refused.text)).toContain("n'est pas d'un type accepté");
    expect((await ctx.db.request.findFirstOrThrow({ where: { number } })).status).toBe("AWAITING_DOCUMENT");

    const sent = await agent.post(`/mes-demandes/${number}/pieces`).field("_csrf", csrfTokenIn(detail.text)).attach("fichiers", pdfFile(), "avis-2025.pdf");
    expect(sent.status).toBe(303);
    const after = await ctx.db.request.findFirstOrThrow({ where: { number }, include: { documents: true } });
    expect(after.status).toBe("DOCUMENT_RECEIVED");
    expect(after.documents.some((document) => document.section === "COMPLEMENT" && document.originalName === "avis-2025.pdf")).toBe(true);
    expect(textOf((await agent.get(`/mes-demandes/${number}`)).text)).toContain("Pièce complémentaire reçue");

    await ctx.deliverMails();
    await ctx.smtp.waitFor(email, "Pièce complémentaire reçue");
    await ctx.smtp.waitFor("aide2@example.fr", "Pièce complémentaire reçue");

    // A forgotten page may still follow, until an agent takes the request up (tests/integration/uploads.test.ts).
    const again = await agent.post(`/mes-demandes/${number}/pieces`).field("_csrf", csrfTokenIn(detail.text)).attach("fichiers", pdfFile(), "encore.pdf");
    expect(again.status).toBe(303);
  });

  it("moves finished requests to « Demandes terminées »", async () => {
    const { agent } = await readyToSend();
    const answer = await (await send(agent)).post();
    const number = /DEM-\d{10}/.exec(answer.headers.location!)![0];
    const request = await ctx.db.request.findFirstOrThrow({ where: { number } });
    await ctx.db.$transaction((tx) =>
      changeStatus(tx, { requestId: request.id, to: "CLOSED", actor: "applicant", actorId: request.applicantId, publicUrl: PUBLIC_URL }),
    );
    expect(textOf((await agent.get("/mes-demandes")).text)).not.toContain(number);
    const finished = await agent.get("/mes-demandes/terminees");
    expect(textOf(finished.text)).toContain(number);
    expect(textOf(finished.text)).toContain("Classée sans suite");
  });

  it("refuses to submit when a step became incomplete, sending the person back to it", async () => {
    const { agent } = await readyToSend();
    await step(agent, "participation", {
      directDebit: "oui",
      iban: "FR76 3000 6000 0112 3456 7890 189",
      bic: "AGRIFRPP",
      accountHolder: "Igrek Ikse",
      debitConsent: "on",
    });
    const page = await agent.get("/demande/etape/avis");
    expect(page.status).toBe(303);
    expect(page.headers.location).toBe("/demande/etape/justificatifs");
  });
});

describe("Retirer ma demande", () => {
  it("withdraws a request after confirmation, moving it to « Demandes terminées »", async () => {
    const { agent } = await readyToSend();
    const answer = await (await send(agent)).post();
    const number = /DEM-\d{10}/.exec(answer.headers.location!)![0];
    const detail = await agent.get(`/mes-demandes/${number}`);
    expect(textOf(detail.text)).toContain("Retirer ma demande");
    const unconfirmed = await agent
      .post(`/mes-demandes/${number}/retirer`)
      .type("form")
      .send({ _csrf: csrfTokenIn(detail.text) });
    expect(unconfirmed.status).toBe(422);
    expect(textOf(unconfirmed.text)).toContain("Cochez la case pour confirmer");
    const done = await agent
      .post(`/mes-demandes/${number}/retirer`)
      .type("form")
      .send({ _csrf: csrfTokenIn(detail.text), confirm: "on" });
    expect(done.status).toBe(303);
    expect((await ctx.db.request.findFirstOrThrow({ where: { number } })).status).toBe("CLOSED");
    expect(textOf((await agent.get("/mes-demandes/terminees")).text)).toContain(number);
    const page = await agent.get(`/mes-demandes/${number}`);
    expect(textOf(page.text)).not.toContain("Je confirme que je retire ma demande");
    const again = await agent
      .post(`/mes-demandes/${number}/retirer`)
      .type("form")
      .send({ _csrf: csrfTokenIn(page.text), confirm: "on" });
    expect(again.status).toBe(422);
    expect(textOf(again.text)).toContain("ne peut plus être retirée");
  });
});
