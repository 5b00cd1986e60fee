import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { INVITATION_LIFETIME_MS } from "../../src/features/invitations/invitation-service.js";
import { GOOD_PASSWORD, logIn } from "../support/accounts.js";
import { createStaff, loggedInStaff, situationsForm } from "../support/back-office.js";
import { linkIn, newBrowser, submitForm, textOf, type Agent } from "../support/browserless.js";
import { createTestContext, type TestContext } from "../support/test-app.js";

let ctx: TestContext;
let agent: Agent;
let admin: Agent;

beforeAll(async () => {
  ctx = await createTestContext();
  ({ agent, admin } = await loggedInStaff(ctx));
});
afterAll(async () => ctx.close());

async function invite(email: string, names = { lastName: "Petit", firstName: "Louise" }) {
  const answer = await submitForm(agent, "/agent/invitations", { ...names, email });
  expect(answer.status).toBe(200);
  const code = /<p class="invitation-code">([A-Z0-9-]+)<\/p>/.exec(answer.text)![1]!;
  await ctx.deliverMails();
  const mail = await ctx.smtp.waitFor(email, "invitation");
  return { code, link: linkIn(mail.text, "/invitation?code=") };
}

describe("Invitations", () => {
  it("opens the account creation with the name and address filled, works once, and logs the person in", async () => {
    const { code, link } = await invite("louise.petit@example.fr");
    expect(link).toBe(`/invitation?code=${code}`);
    const person = newBrowser(ctx.app);
    const page = await person.get(link);
    expect(page.status).toBe(200);
    expect(page.text).toContain('value="Petit"');
    expect(page.text).toContain('value="Louise"');
    expect(textOf(page.text)).toContain("louise.petit@example.fr");

    const weak = await submitForm(person, link, { code, lastName: "Petit", firstName: "Louise", password: "court", confirmation: "court" }, "/invitation");
    expect(weak.status).toBe(422);
    expect(weak.text).toContain('value="Petit"');

    const done = await submitForm(
      person,
      link,
      { code, lastName: "Petit-Martin", firstName: "Louise", password: GOOD_PASSWORD, confirmation: GOOD_PASSWORD },
      "/invitation",
    );
    expect(done.status).toBe(303);
    expect(textOf((await person.get("/")).text)).toContain("PETIT-MARTIN Louise");
    const user = await ctx.db.user.findUniqueOrThrow({ where: { email: "louise.petit@example.fr" } });
    expect(user.emailVerifiedAt).not.toBeNull();
    expect(user.role).toBe("APPLICANT");

    const again = await newBrowser(ctx.app).get(link);
    expect(again.status).toBe(410);
    expect(textOf(again.text)).toContain("Cette invitation a déjà servi.");
    expect(await ctx.db.auditLog.count({ where: { action: "INVITATION_CREATED" } })).toBeGreaterThanOrEqual(1);
  });

  it("accepts the code typed from paper, in any case and with spaces", async () => {
    const { code } = await invite("papier@example.fr", { lastName: "Papier", firstName: "Paul" });
    const person = newBrowser(ctx.app);
    const typed = code.toLowerCase().replaceAll("-", " ");
    const answer = await submitForm(person, "/invitation", { code: typed }, "/invitation/code");
    expect(answer.status).toBe(303);
    expect(answer.headers.location).toBe(`/invitation?code=${code}`);
  });

  it("refuses an unknown or expired code with a French message", async () => {
    const unknown = await submitForm(newBrowser(ctx.app), "/invitation", { code: "AAAA-BBBB-CCCC" }, "/invitation/code");
    expect(unknown.status).toBe(404);
    expect(textOf(unknown.text)).toContain("Ce code d'invitation n'existe pas.");
    const empty = await submitForm(newBrowser(ctx.app), "/invitation", { code: "" }, "/invitation/code");
    expect(empty.status).toBe(422);

    const { link } = await invite("tardif@example.fr");
    ctx.clock.advance(INVITATION_LIFETIME_MS + 1000);
    const expired = await newBrowser(ctx.app).get(link);
    expect(expired.status).toBe(410);
    expect(textOf(expired.text)).toContain("Cette invitation a expiré");
  });

  it("refuses bad input when an agent creates one (422)", async () => {
    // The clock moved past the invitation's lifetime above, and sessions end 12 hours after login.
    await logIn(agent, "guichet@cd93.fr");
    const answer = await submitForm(agent, "/agent/invitations", { lastName: "", firstName: "X", email: "pas-une-adresse" });
    expect(answer.status).toBe(422);
    expect(textOf(answer.text)).toContain("Indiquez le nom de la personne.");
    expect(textOf(answer.text)).toContain("Indiquez une adresse e-mail valide");
  });
});

describe("Administration", () => {
  it("creates an agent who chooses a password from the mail and lands in the back office", async () => {
    const answer = await submitForm(admin, "/admin/agents", { lastName: "Nouveau", firstName: "Agent", email: "nouvel.agent@cd93.fr", role: "AGENT" });
    expect(answer.status).toBe(303);
    await ctx.deliverMails();
    const link = linkIn((await ctx.smtp.waitFor("nouvel.agent@cd93.fr", "compte agent")).text, "/inscription/confirmer?token=");
    const person = newBrowser(ctx.app);
    const token = new URL(link, "http://x").searchParams.get("token")!;
    expect((await submitForm(person, link, { token, password: GOOD_PASSWORD, confirmation: GOOD_PASSWORD })).status).toBe(303);
    expect((await person.get("/agent")).status).toBe(200);
    expect((await logIn(newBrowser(ctx.app), "nouvel.agent@cd93.fr")).headers.location).toBe("/agent");
    const duplicate = await submitForm(admin, "/admin/agents", { lastName: "Nouveau", firstName: "Agent", email: "nouvel.agent@cd93.fr", role: "AGENT" });
    expect(duplicate.status).toBe(422);
    expect(textOf(duplicate.text)).toContain("Cette adresse est déjà celle d'un compte du portail.");
  });

  it("disables an agent, ending their sessions, and can enable them again; never oneself", async () => {
    const target = await createStaff(ctx.db, "a.desactiver@cd93.fr");
    const session = newBrowser(ctx.app);
    await logIn(session, "a.desactiver@cd93.fr");
    expect((await session.get("/agent")).status).toBe(200);
    expect((await submitForm(admin, "/admin/agents", {}, `/admin/agents/${target.id}/desactiver`)).status).toBe(303);
    // Logged out: sent to « Connexion », where the disabled account cannot log in.
    expect((await session.get("/agent")).headers.location).toBe("/connexion");
    expect((await logIn(newBrowser(ctx.app), "a.desactiver@cd93.fr")).status).toBe(401);
    expect((await submitForm(admin, "/admin/agents", {}, `/admin/agents/${target.id}/reactiver`)).status).toBe(303);
    expect((await logIn(newBrowser(ctx.app), "a.desactiver@cd93.fr")).status).toBe(303);

    const self = await ctx.db.user.findUniqueOrThrow({ where: { email: "chef@cd93.fr" } });
    expect((await submitForm(admin, "/admin/agents", {}, `/admin/agents/${self.id}/desactiver`)).status).toBe(422);
    const actions = (await ctx.db.auditLog.findMany({ where: { action: { in: ["AGENT_DISABLED", "AGENT_ENABLED"] } } })).map((entry) => entry.action);
    expect(actions).toEqual(["AGENT_DISABLED", "AGENT_ENABLED"]);
    const journal = await admin.get("/admin/journal?action=AGENT_DISABLED");
    expect(textOf(journal.text)).toContain("Anne Agent");
  });

  it("edits the participation amounts, which new requests then show, and audits it", async () => {
    const bad = await submitForm(admin, "/admin/participations", { Z1_5: "quarante", Z2_5: "30", Z3_5: "24" });
    expect(bad.status).toBe(422);
    expect(textOf(bad.text)).toContain("Indiquez un montant en euros pour « Zones 1 à 5 »");
    expect((await ctx.db.zonage.findUniqueOrThrow({ where: { code: "Z1_5" } })).yearlyParticipationCents).toBe(4200);

    expect((await submitForm(admin, "/admin/participations", { Z1_5: "45,50", Z2_5: "30", Z3_5: "24" })).status).toBe(303);
    expect((await ctx.db.zonage.findUniqueOrThrow({ where: { code: "Z1_5" } })).yearlyParticipationCents).toBe(4550);
    const journal = await admin.get("/admin/journal?action=PARTICIPATION_CHANGED");
    expect(textOf(journal.text)).toContain("Z1_5 : 42 € → 45,50 €");
    expect((await agent.get("/admin/participations")).status).toBe(404);
  });
});

describe("Situations et conditions", () => {
  const form = situationsForm;

  it("lets administrators change a situation's rules, audited with what changed", async () => {
    const bad = await submitForm(admin, "/admin/statuts", form({ "PA-minimumAge": "soixante", "AC-label": "" }));
    expect(bad.status).toBe(422);
    expect(textOf(bad.text)).toContain("L'âge minimum de la situation PA est un nombre d'années");
    expect(textOf(bad.text)).toContain("Indiquez le libellé de la situation AC");
    expect(bad.text).toContain('value="soixante"');
    expect((await ctx.db.statut.findUniqueOrThrow({ where: { code: "PA" } })).minimumAge).toBe(60);

    expect((await submitForm(admin, "/admin/statuts", form({ "PA-minimumAge": "62" }))).status).toBe(303);
    const pa = await ctx.db.statut.findUniqueOrThrow({ where: { code: "PA" } });
    expect(pa.minimumAge).toBe(62);
    const entries = await ctx.db.auditLog.findMany({ where: { action: "STATUT_CHANGED" } });
    // AH's document was shortened in the form, so it changed too.
    expect(entries.map((entry) => (entry.details as { statut: string }).statut).sort()).toEqual(["AH", "PA"]);
    expect(entries.find((entry) => (entry.details as { statut: string }).statut === "PA")!.details).toMatchObject({
      from: { minimumAge: 60 },
      to: { minimumAge: 62 },
    });
    expect((await agent.get("/admin/statuts")).status).toBe(404);
  });
});
