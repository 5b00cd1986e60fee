/**
 * « Me l'attribuer » / « Attribuée à » on the agent's request page: assign,
 * let go, take over from another agent, two agents at once, the audit log,
 * who may do it, finished requests, and agents whose account is disabled
 * or deleted.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashPassword } from "../../src/features/account/passwords.js";
import { GOOD_PASSWORD, logIn, registerAndActivate } from "../support/accounts.js";
import { createStaff, seedRequest } from "../support/back-office.js";
import { csrfTokenIn, newBrowser, textOf, type Agent } from "../support/browserless.js";
import { createTestContext, type TestContext } from "../support/test-app.js";

let ctx: TestContext;
/** Anne AGENT. */
let anne: Agent;
let anneId: string;
/** Bruno LEMAIRE, a second agent. */
let bruno: Agent;
let brunoId: string;
let admin: Agent;
let applicant: Agent;

async function createAgent(email: string, firstName: string, lastName: string) {
  return ctx.db.user.create({
    data: { email, firstName, lastName, role: "AGENT", passwordHash: await hashPassword(GOOD_PASSWORD), emailVerifiedAt: new Date() },
  });
}

beforeAll(async () => {
  ctx = await createTestContext();
  anneId = (await createStaff(ctx.db, "anne@cd93.fr")).id;
  brunoId = (await createAgent("bruno@cd93.fr", "Bruno", "Lemaire")).id;
  await createStaff(ctx.db, "chef@cd93.fr", "ADMIN");
  anne = newBrowser(ctx.app);
  await logIn(anne, "anne@cd93.fr");
  bruno = newBrowser(ctx.app);
  await logIn(bruno, "bruno@cd93.fr");
  admin = newBrowser(ctx.app);
  await logIn(admin, "chef@cd93.fr");
  applicant = newBrowser(ctx.app);
  await registerAndActivate(ctx, applicant, { email: "demandeur.attribution@example.fr" });
});
afterAll(async () => ctx.close());

const pageOf = (number: string) => `/agent/demandes/${number}`;

/** The request's page and the form of its one assignment button, as the agent sees them now. */
async function openRequest(agent: Agent, number: string) {
  const page = await agent.get(pageOf(number));
  expect(page.status).toBe(200);
  const form = /<form method="post" action="([^"]+\/attribution(?:\/retirer)?)"[\s\S]*?name="attribueeA" value="([^"]*)"/.exec(page.text);
  return { page, text: textOf(page.text), action: form?.[1] ?? null, expected: form?.[2] ?? null, csrf: csrfTokenIn(page.text) };
}

/** Presses the assignment button of a page opened earlier (the form as it was then). */
function press(agent: Agent, opened: Awaited<ReturnType<typeof openRequest>>) {
  expect(opened.action).not.toBeNull();
  return agent.post(opened.action!).type("form").send({ _csrf: opened.csrf, attribueeA: opened.expected! });
}

const assigneeOf = async (id: string) => (await ctx.db.request.findUniqueOrThrow({ where: { id }, select: { assignedAgentId: true } })).assignedAgentId;
const auditOf = (requestId: string) => ctx.db.auditLog.findMany({ where: { requestId, action: { in: ["ASSIGNED", "UNASSIGNED"] } }, orderBy: { id: "asc" } });

describe("« Me l'attribuer »", () => {
  it("assigns the request to the agent, says so, and lets them give it back, each change audited with ids only", async () => {
    const request = await seedRequest(ctx.db);
    const number = request.number!;
    const before = await openRequest(anne, number);
    expect(before.text).toContain("Attribuée à : personne");
    expect(before.text).toContain("Me l'attribuer");
    expect(before.action).toBe(`/agent/demandes/${number}/attribution`);

    const assigned = await press(anne, before);
    expect(assigned.status).toBe(303);
    expect(assigned.headers.location).toBe(pageOf(number));
    const after = await openRequest(anne, number);
    expect(after.text).toContain(`La demande ${number} vous est attribuée.`);
    expect(after.text).toMatch(/Attribuée à : Anne AGENT\s*, depuis le \d+ novembre 2026 à/);
    expect(after.text).toContain("Ne plus me l'attribuer");
    expect(after.text).not.toContain("Me l'attribuer »");
    const stored = await ctx.db.request.findUniqueOrThrow({ where: { id: request.id } });
    expect(stored.assignedAgentId).toBe(anneId);
    expect(Math.abs(stored.assignedAt!.getTime() - ctx.clock.now().getTime())).toBeLessThan(60_000);

    const released = await press(anne, after);
    expect(released.status).toBe(303);
    const again = await openRequest(anne, number);
    expect(again.text).toContain(`La demande ${number} ne vous est plus attribuée.`);
    expect(again.text).toContain("Attribuée à : personne");
    expect(await ctx.db.request.findUniqueOrThrow({ where: { id: request.id } })).toMatchObject({ assignedAgentId: null, assignedAt: null });

    const entries = await auditOf(request.id);
    expect(entries.map((entry) => [entry.action, entry.actorId, entry.details])).toEqual([
      ["ASSIGNED", anneId, { number, previousAgentId: null }],
      ["UNASSIGNED", anneId, { number, previousAgentId: anneId }],
    ]);
    // Ids and the number only: no name in the audit log.
    expect(JSON.stringify(entries.map((entry) => entry.details))).not.toMatch(/Anne|AGENT/);
  });

  it("takes a request over from another agent, saying whose it was", async () => {
    const request = await seedRequest(ctx.db);
    const number = request.number!;
    await press(anne, await openRequest(anne, number));
    const seenByBruno = await openRequest(bruno, number);
    expect(seenByBruno.text).toContain("Attribuée à : Anne AGENT");
    expect(seenByBruno.text).toContain("« Me l'attribuer » la retire à Anne AGENT.");
    expect(seenByBruno.action).toBe(`/agent/demandes/${number}/attribution`);
    expect(seenByBruno.expected).toBe(anneId);

    expect((await press(bruno, seenByBruno)).status).toBe(303);
    const after = await openRequest(bruno, number);
    expect(after.text).toContain(`La demande ${number} vous est attribuée. Elle était attribuée à Anne AGENT.`);
    expect(after.text).toContain("Attribuée à : Bruno LEMAIRE");
    expect(await assigneeOf(request.id)).toBe(brunoId);
    const [, takenOver] = await auditOf(request.id);
    expect(takenOver).toMatchObject({ action: "ASSIGNED", actorId: brunoId, details: { number, previousAgentId: anneId } });
    // The journal names the action, and whom the request was taken from.
    expect(textOf((await admin.get("/admin/journal")).text)).toContain(`Demande attribuée ${number} Reprise à Anne Agent`);
  });

  it("lets an administrator take a request too", async () => {
    const request = await seedRequest(ctx.db);
    expect((await press(admin, await openRequest(admin, request.number!))).status).toBe(303);
    expect(textOf((await admin.get(pageOf(request.number!))).text)).toContain("Attribuée à : Adèle ADMIN");
  });
});

describe("Two agents at once", () => {
  it("gives the request to the first and tells the second who has it, never a 500", async () => {
    for (let round = 0; round < 5; round++) {
      const request = await seedRequest(ctx.db);
      const [anneSees, brunoSees] = await Promise.all([openRequest(anne, request.number!), openRequest(bruno, request.number!)]);
      const answers = await Promise.all([press(anne, anneSees), press(bruno, brunoSees)]);
      const statuses = answers.map((answer) => answer.status).sort();
      expect(statuses).toEqual([303, 409]);
      const winner = await assigneeOf(request.id);
      const loser = answers.find((answer) => answer.status === 409)!;
      const winnerName = winner === anneId ? "Anne AGENT" : "Bruno LEMAIRE";
      expect(textOf(loser.text)).toContain(`Cette demande vient d'être attribuée à ${winnerName}.`);
      // The page again, with the error summary linking to the assignment, and a button to take it over now.
      expect(loser.text).toContain('href="#champ-attribution"');
      expect(textOf(loser.text)).toContain(`« Me l'attribuer » la retire à ${winnerName}.`);
      expect(await auditOf(request.id)).toHaveLength(1);
    }
  });

  it("refuses a change from a page shown before another agent's, in either direction", async () => {
    const request = await seedRequest(ctx.db);
    const number = request.number!;
    const stale = await openRequest(anne, number);
    await press(bruno, await openRequest(bruno, number));
    const late = await press(anne, stale);
    expect(late.status).toBe(409);
    expect(textOf(late.text)).toContain("Cette demande vient d'être attribuée à Bruno LEMAIRE.");
    expect(await assigneeOf(request.id)).toBe(brunoId);

    // Anne takes it over, then Bruno lets it go from his page of before: Anne keeps it.
    const brunosOldPage = await openRequest(bruno, number);
    expect(brunosOldPage.text).toContain("Ne plus me l'attribuer");
    await press(anne, await openRequest(anne, number));
    const letGo = await press(bruno, brunosOldPage);
    expect(letGo.status).toBe(409);
    expect(textOf(letGo.text)).toContain("Cette demande vient d'être attribuée à Anne AGENT.");
    expect(await assigneeOf(request.id)).toBe(anneId);

    // Anne lets it go; Bruno's page still shows her, and his « Me l'attribuer » is told it was freed.
    const brunoSeesAnne = await openRequest(bruno, number);
    await press(anne, await openRequest(anne, number));
    const freed = await press(bruno, brunoSeesAnne);
    expect(freed.status).toBe(409);
    expect(textOf(freed.text)).toContain("Cette demande vient d'être libérée : elle n'est attribuée à personne.");
    expect(await assigneeOf(request.id)).toBeNull();
  });

  it("takes a double click as one, and a well-formed assignee that is not the current one as a change to look at", async () => {
    const request = await seedRequest(ctx.db);
    const opened = await openRequest(anne, request.number!);
    expect((await press(anne, opened)).status).toBe(303);
    expect((await press(anne, opened)).status).toBe(303);
    expect(await auditOf(request.id)).toHaveLength(1);

    for (const attribueeA of ["00000000-0000-4000-8000-000000000000", ""]) {
      const stale = await bruno
        .post(`/agent/demandes/${request.number}/attribution`)
        .type("form")
        .send({ _csrf: csrfTokenIn((await bruno.get(pageOf(request.number!))).text), attribueeA });
      expect(stale.status).toBe(409);
      expect(textOf(stale.text)).toContain("Cette demande vient d'être attribuée à Anne AGENT.");
    }
    expect(await assigneeOf(request.id)).toBe(anneId);

    // Anne's own id as the assignee seen, once the request is hers: nothing changes, not even the date she took it.
    const before = await ctx.db.request.findUniqueOrThrow({ where: { id: request.id }, select: { assignedAt: true } });
    const again = await anne
      .post(`/agent/demandes/${request.number}/attribution`)
      .type("form")
      .send({ _csrf: csrfTokenIn((await anne.get(pageOf(request.number!))).text), attribueeA: anneId });
    expect(again.status).toBe(303);
    const after = await ctx.db.request.findUniqueOrThrow({ where: { id: request.id }, select: { assignedAt: true } });
    expect(after.assignedAt).toEqual(before.assignedAt);
    expect(await auditOf(request.id)).toHaveLength(1);
  });
});

describe("A form the page did not make", () => {
  const unreadable = "Le formulaire d'attribution n'a pas pu être lu. Appuyez de nouveau sur le bouton d'attribution de cette page.";

  /** Posts a hand-made body (an urlencoded string: a repeated field is an array once parsed) to an action of the request. */
  async function forge(agent: Agent, number: string, action: "attribution" | "attribution/retirer", body: string) {
    const csrf = csrfTokenIn((await agent.get(pageOf(number))).text);
    return agent
      .post(`/agent/demandes/${number}/${action}`)
      .type("form")
      .send(`_csrf=${encodeURIComponent(csrf)}${body ? `&${body}` : ""}`);
  }

  function expectBadInput(answer: { status: number; text: string }) {
    expect(answer.status).toBe(422);
    const text = textOf(answer.text);
    // The request's page again, the message in the error summary linking to the assignment button and next to it.
    expect(text).toContain("Il y a une erreur dans le formulaire");
    expect(answer.text).toContain('href="#champ-attribution"');
    expect(text.split(unreadable).length - 1).toBe(2);
    expect(text).not.toContain("vient d'être attribuée");
    expect(text).toContain("Attribuée à :");
  }

  it("answers 422 with the page and a clear message for an assignee that is not an account id, an array or no field, and changes nothing", async () => {
    const request = await seedRequest(ctx.db);
    const number = request.number!;
    await press(anne, await openRequest(anne, number));
    const before = await ctx.db.request.findUniqueOrThrow({ where: { id: request.id }, select: { assignedAgentId: true, assignedAt: true } });

    const forgeries = [
      "attribueeA=n%27importe+quoi",
      `attribueeA=${anneId}x`,
      `attribueeA=${encodeURIComponent(anneId)}&attribueeA=${encodeURIComponent(anneId)}`,
      `attribueeA[]=${encodeURIComponent(anneId)}`,
      "",
    ];
    for (const body of forgeries) expectBadInput(await forge(bruno, number, "attribution", body));
    // « Ne plus me l'attribuer » is only shown to the assignee, with their own id: nobody ("") is not what that page carries.
    for (const body of ["attribueeA=", "attribueeA=personne", `attribueeA=${anneId}&attribueeA=`])
      expectBadInput(await forge(anne, number, "attribution/retirer", body));

    expect(await ctx.db.request.findUniqueOrThrow({ where: { id: request.id }, select: { assignedAgentId: true, assignedAt: true } })).toEqual(before);
    expect(await auditOf(request.id)).toHaveLength(1);
  });

  it("still reads an id in capitals or with spaces around it as the id", async () => {
    const request = await seedRequest(ctx.db);
    const number = request.number!;
    await press(anne, await openRequest(anne, number));
    const answer = await forge(bruno, number, "attribution", `attribueeA=${encodeURIComponent(` ${anneId.toUpperCase()} `)}`);
    expect(answer.status).toBe(303);
    expect(await assigneeOf(request.id)).toBe(brunoId);
  });
});

describe("Who may assign", () => {
  it("gives applicants the 404 page and refuses a form without its CSRF token", async () => {
    const request = await seedRequest(ctx.db);
    const number = request.number!;
    expect((await applicant.get("/agent/mes-demandes")).status).toBe(404);
    for (const path of [`/agent/demandes/${number}/attribution`, `/agent/demandes/${number}/attribution/retirer`]) {
      const answer = await applicant
        .post(path)
        .type("form")
        .send({ _csrf: csrfTokenIn((await applicant.get("/")).text), attribueeA: "" });
      expect(answer.status, path).toBe(404);
    }
    const visitor = await newBrowser(ctx.app).post(`/agent/demandes/${number}/attribution`).type("form").send({ attribueeA: "" });
    expect(visitor.status).toBe(403);
    const noToken = await anne.post(`/agent/demandes/${number}/attribution`).type("form").send({ attribueeA: "" });
    expect(noToken.status).toBe(403);
    expect(await assigneeOf(request.id)).toBeNull();
    expect(await auditOf(request.id)).toHaveLength(0);
    // An unknown number is the 404 page.
    const unknown = await anne
      .post("/agent/demandes/DEM-9999999999/attribution")
      .type("form")
      .send({ _csrf: csrfTokenIn((await anne.get("/agent")).text), attribueeA: "" });
    expect(unknown.status).toBe(404);
  });
});

describe("Finished requests and agents who left", () => {
  it("keeps the assignee of a finished request, who may let it go, and offers nobody else to take it", async () => {
    const request = await seedRequest(ctx.db, { extra: { assignedAgentId: anneId, assignedAt: new Date() } });
    const number = request.number!;
    const brunoSees = await openRequest(bruno, number);
    await ctx.db.request.update({ where: { id: request.id }, data: { status: "APPROVED" } });
    const seen = await openRequest(bruno, number);
    expect(seen.text).toContain("Attribuée à : Anne AGENT");
    expect(seen.action).toBeNull();
    // Bruno's page from before the decision: refused, clearly.
    const late = await press(bruno, brunoSees);
    expect(late.status).toBe(409);
    expect(textOf(late.text)).toContain("Cette demande est terminée : elle ne peut plus être attribuée.");
    expect(await assigneeOf(request.id)).toBe(anneId);

    const anneSees = await openRequest(anne, number);
    expect(anneSees.text).toContain("Ne plus me l'attribuer");
    expect((await press(anne, anneSees)).status).toBe(303);
    const freed = await openRequest(anne, number);
    expect(freed.text).toContain("Attribuée à : personne");
    expect(freed.action).toBeNull();
  });

  it("shows a disabled agent's name, and « personne » once their account is deleted", async () => {
    const leaving = await createAgent("partante@cd93.fr", "Chloé", "Départ");
    const request = await seedRequest(ctx.db, { extra: { assignedAgentId: leaving.id, assignedAt: new Date() } });
    await ctx.db.user.update({ where: { id: leaving.id }, data: { disabledAt: new Date() } });
    const disabled = await openRequest(anne, request.number!);
    expect(disabled.text).toContain("Attribuée à : Chloé DÉPART (compte désactivé)");
    expect(disabled.expected).toBe(leaving.id);

    await ctx.db.user.delete({ where: { id: leaving.id } });
    const deleted = await openRequest(anne, request.number!);
    expect(deleted.text).toContain("Attribuée à : personne");
    expect(await ctx.db.request.findUniqueOrThrow({ where: { id: request.id } })).toMatchObject({ assignedAgentId: null });
  });
});
