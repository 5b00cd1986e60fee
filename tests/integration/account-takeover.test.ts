/**
 * Issue 7: nobody takes an account over through a link, an invitation, a
 * second registration or an e-mail change. Each test plays the attack and
 * checks what the intruder and the owner see afterwards.
 */
import { createHmac } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GOOD_PASSWORD, OTHER_PASSWORD, registerAndActivate } from "../support/accounts.js";
import { PROFILE } from "../support/applicant.js";
import { loggedInStaff } from "../support/back-office.js";
import { linkIn, newBrowser, submitForm, textOf, type Agent } from "../support/browserless.js";
import { SESSION_COOKIE } from "../../src/middleware/session.js";
import { createTestContext, MANY_REGISTRATIONS, TEST_SESSION_SECRET, type TestContext } from "../support/test-app.js";

let ctx: TestContext;
let agent: Agent;
let admin: Agent;

beforeAll(async () => {
  ctx = await createTestContext({ throttleRules: MANY_REGISTRATIONS });
  ({ agent, admin } = await loggedInStaff(ctx));
});
afterAll(async () => ctx.close());

const tokenOf = (link: string) => new URL(link, "http://x").searchParams.get("token")!;
let counter = 0;
const address = (name: string) => `${name}${++counter}@example.fr`;

/** « Comptes agents »: an account with no password yet; returns the activation link of its mail. */
async function adminCreates(email: string, role: "AGENT" | "ADMIN" = "ADMIN") {
  const answer = await submitForm(admin, "/admin/agents", { lastName: "Vrai", firstName: "Victor", email, role });
  expect(answer.status).toBe(303);
  await ctx.deliverMails();
  return linkIn((await ctx.smtp.waitFor(email, "compte agent")).text, "/inscription/confirmer?token=");
}

/** Posts a password for the link; the CSRF token comes from another form when the link's page has none any more. */
async function activate(browser: Agent, link: string, password = GOOD_PASSWORD, formPage = link) {
  return submitForm(browser, formPage, { token: tokenOf(link), password, confirmation: password }, "/inscription/confirmer");
}

/**
 * A session of the account stored as the session store keeps it, and the
 * signed cookie that points to it (what an intruder's browser holds).
 */
async function plantSession(sid: string, login: unknown): Promise<string> {
  await ctx.pool.query(`INSERT INTO "session" (sid, sess, expire) VALUES ($1, $2, now() + interval '1 day')`, [
    sid,
    JSON.stringify({ cookie: { originalMaxAge: null, httpOnly: true, path: "/" }, passport: { user: login } }),
  ]);
  const signature = createHmac("sha256", TEST_SESSION_SECRET).update(sid).digest("base64").replace(/=+$/, "");
  return `${SESSION_COOKIE}=${encodeURIComponent(`s:${sid}.${signature}`)}`;
}

async function requestEmailChange(browser: Agent, newEmail: string, fields: Record<string, string> = {}) {
  return submitForm(browser, "/mes-informations", { ...PROFILE, email: newEmail, currentPassword: GOOD_PASSWORD, ...fields });
}

async function emailChangeLink(newEmail: string) {
  await ctx.deliverMails();
  return /http:\/\/portail\.test(\/mes-informations\/confirmer-email\?token=\S+)/.exec(
    (await ctx.smtp.waitFor(newEmail, "Confirmez votre nouvelle adresse")).text,
  )![1]!;
}

async function resetLinkFor(email: string) {
  expect((await submitForm(newBrowser(ctx.app), "/mot-de-passe-oublie", { email })).status).toBe(303);
  await ctx.deliverMails();
  return linkIn((await ctx.smtp.waitFor(email, "Modification de votre mot de passe")).text, "/reinitialiser-mot-de-passe?token=");
}

describe("Invitations (issue 7, item 1)", () => {
  it("refuses at the field an invitation for an address that has an account, whatever the account", async () => {
    const pendingAdmin = address("futur.admin");
    await adminCreates(pendingAdmin);
    const applicant = address("demandeur");
    await registerAndActivate(ctx, newBrowser(ctx.app), { email: applicant });

    for (const email of [pendingAdmin, applicant.toUpperCase()]) {
      const answer = await submitForm(agent, "/agent/invitations", { lastName: "Intrus", firstName: "Ivan", email });
      expect(answer.status).toBe(422);
      const text = textOf(answer.text);
      expect(text).toContain("Cette adresse a déjà un compte sur le portail");
      expect(text).not.toContain("administrat");
      expect(answer.text).not.toMatch(/class="invitation-code"/);
      expect(answer.text).toContain('value="Intrus"');
    }
    expect(await ctx.db.invitation.count({ where: { email: { in: [pendingAdmin, applicant] } } })).toBe(0);
  });

  it("never lets an invitation touch an account created after it, nor log anyone into it", async () => {
    const email = address("apres.invitation");
    const invited = await submitForm(agent, "/agent/invitations", { lastName: "Intrus", firstName: "Ivan", email });
    expect(invited.status).toBe(200);
    const code = /<p class="invitation-code">([A-Z0-9-]+)<\/p>/.exec(invited.text)![1]!;
    const activationLink = await adminCreates(email);

    const intruder = newBrowser(ctx.app);
    const page = await intruder.get(`/invitation?code=${code}`);
    expect(textOf(page.text)).toContain("Un compte existe déjà");
    const answer = await submitForm(
      intruder,
      "/invitation",
      { code, lastName: "Intrus", firstName: "Ivan", password: OTHER_PASSWORD, confirmation: OTHER_PASSWORD },
      "/invitation",
    );
    expect(answer.status).toBe(409);
    expect((await intruder.get("/admin/agents")).status).not.toBe(200);
    const account = await ctx.db.user.findUniqueOrThrow({ where: { email } });
    expect(account).toMatchObject({ firstName: "Victor", lastName: "Vrai", role: "ADMIN", passwordHash: null });

    // The account stays the real person's, activated by its own link.
    const owner = newBrowser(ctx.app);
    expect((await activate(owner, activationLink)).status).toBe(303);
    expect((await owner.get("/admin/agents")).status).toBe(200);
  });

  it("ends every other session of the account when a password is set by its activation link", async () => {
    const email = address("activation");
    const link = await adminCreates(email, "AGENT");
    const user = await ctx.db.user.findUniqueOrThrow({ where: { email } });
    // Sessions stored before the version existed hold the bare id; newer ones the id and the version.
    const intruders = [await plantSession("session-de-l-intrus-1", user.id), await plantSession("session-de-l-intrus-2", { id: user.id, version: 0 })];
    expect((await activate(newBrowser(ctx.app), link)).status).toBe(303);
    for (const cookie of intruders) {
      const page = await newBrowser(ctx.app).get("/agent").set("Cookie", cookie);
      expect(page.status).toBe(302);
      expect(page.headers.location).toBe("/connexion");
    }
    // The same planted session, holding the account's version now, would be logged in: the refusal above is the version's doing.
    const { sessionVersion } = await ctx.db.user.findUniqueOrThrow({ where: { email } });
    const current = await plantSession("session-de-l-intrus-3", { id: user.id, version: sessionVersion });
    expect((await newBrowser(ctx.app).get("/agent").set("Cookie", current)).status).toBe(200);
  });
});

describe("E-mail change (issue 7, items 2 and 9)", () => {
  it("asks for the current password, at its field, keeping what was typed but the password", async () => {
    const email = address("change");
    const browser = newBrowser(ctx.app);
    await registerAndActivate(ctx, browser, { email });
    const target = address("nouvelle");

    const missing = await submitForm(browser, "/mes-informations", { ...PROFILE, email: target, city: "Montreuil" });
    expect(missing.status).toBe(422);
    expect(textOf(missing.text)).toContain("Indiquez votre mot de passe actuel pour changer d'adresse e-mail.");

    const wrong = await submitForm(browser, "/mes-informations", { ...PROFILE, email: target, city: "Montreuil", currentPassword: "Pas-Le-Bon-Mot-2-Passe" });
    expect(wrong.status).toBe(422);
    expect(textOf(wrong.text)).toContain("Le mot de passe actuel est incorrect.");
    expect(wrong.text).toMatch(/<label class="field__label" for="champ-currentPassword">Mot de passe actuel/);
    expect(wrong.text).toContain('href="#champ-currentPassword"');
    expect(wrong.text).toContain('value="Montreuil"');
    expect(wrong.text).toContain(`value="${target}"`);
    expect(wrong.text).not.toContain("Pas-Le-Bon-Mot-2-Passe");
    const user = await ctx.db.user.findUniqueOrThrow({ where: { email }, include: { profile: true } });
    expect(user.profile?.city ?? null).not.toBe("Montreuil");
    expect(await ctx.db.accountToken.count({ where: { userId: user.id, purpose: "CHANGE_EMAIL" } })).toBe(0);

    // Other changes need no password.
    expect((await submitForm(browser, "/mes-informations", { ...PROFILE, email, city: "Pantin" })).status).toBe(303);
    expect((await requestEmailChange(browser, target)).status).toBe(303);
    await emailChangeLink(target);
  });

  it("cancels a pending e-mail change when the password is reset", async () => {
    const email = address("victime");
    const intruder = newBrowser(ctx.app);
    await registerAndActivate(ctx, intruder, { email });
    const intruderAddress = address("intrus");
    expect((await requestEmailChange(intruder, intruderAddress)).status).toBe(303);
    const link = await emailChangeLink(intruderAddress);

    const reset = await resetLinkFor(email);
    expect((await submitForm(newBrowser(ctx.app), reset, { token: tokenOf(reset), password: OTHER_PASSWORD, confirmation: OTHER_PASSWORD })).status).toBe(303);

    const confirmed = await intruder.get(link);
    expect(confirmed.status).toBe(410);
    expect(textOf(confirmed.text)).toContain("Ce lien a été annulé");
    expect(await ctx.db.user.count({ where: { email } })).toBe(1);
    expect(await ctx.db.user.count({ where: { email: intruderAddress } })).toBe(0);
  });

  it("cancels a pending e-mail change and reset link when the password is changed", async () => {
    const email = address("prudent");
    const browser = newBrowser(ctx.app);
    await registerAndActivate(ctx, browser, { email });
    const target = address("autre");
    expect((await requestEmailChange(browser, target)).status).toBe(303);
    const link = await emailChangeLink(target);
    const reset = await resetLinkFor(email);

    const changed = await submitForm(browser, "/mon-compte/mot-de-passe", {
      currentPassword: GOOD_PASSWORD,
      password: OTHER_PASSWORD,
      confirmation: OTHER_PASSWORD,
    });
    expect(changed.status).toBe(303);
    const confirmed = await newBrowser(ctx.app).get(link);
    expect(confirmed.status).toBe(410);
    expect(textOf(confirmed.text)).toContain("Ce lien a été annulé");
    const resetPage = await newBrowser(ctx.app).get(reset);
    expect(resetPage.status).toBe(410);
    expect(textOf(resetPage.text)).toContain("Ce lien a été annulé");
    expect(await ctx.db.user.count({ where: { email } })).toBe(1);
  });

  it("answers the same for an address that has an account, and only warns that address's owner", async () => {
    const owner = address("proprietaire");
    await registerAndActivate(ctx, newBrowser(ctx.app), { email: owner, firstName: "Olga" });
    const email = address("demandeuse");
    const browser = newBrowser(ctx.app);
    await registerAndActivate(ctx, browser, { email });
    await ctx.deliverMails();
    const ownerMailsBefore = ctx.smtp.to(owner).length;

    const free = address("libre");
    const normal = await requestEmailChange(browser, free);
    const normalPage = textOf((await browser.get("/mes-informations")).text);
    const taken = await requestEmailChange(browser, owner.toUpperCase());
    const takenPage = textOf((await browser.get("/mes-informations")).text);
    expect(taken.status).toBe(normal.status);
    expect(taken.headers.location).toBe(normal.headers.location);
    expect(takenPage).toBe(normalPage.replace(free, owner));

    await ctx.deliverMails();
    const warning = await ctx.smtp.waitFor(owner, "Quelqu'un a demandé à utiliser votre adresse");
    expect(warning.text).toContain("vous pouvez ignorer ce message");
    expect(warning.text).not.toContain("/mes-informations/confirmer-email");
    expect(warning.text).not.toContain(email);
    const ownerMails = ctx.smtp.to(owner).slice(ownerMailsBefore);
    expect(ownerMails.map((mail) => mail.subject)).toEqual([warning.subject]);
    // The requester's own mailbox gets the usual notice both times.
    expect(ctx.smtp.to(email).filter((mail) => mail.subject.includes("Demande de changement de votre adresse"))).toHaveLength(2);
  });
});

describe("A second registration (issue 7, item 7)", () => {
  it("changes nothing on a pending account, sends a fresh link to the address, and the old link says it was replaced", async () => {
    const email = address("en.attente");
    expect((await submitForm(newBrowser(ctx.app), "/inscription", { lastName: "Vraie", firstName: "Alice", email })).status).toBe(303);
    await ctx.deliverMails();
    const first = linkIn((await ctx.smtp.waitFor(email, "Créez votre mot de passe")).text, "/inscription/confirmer?token=");

    expect((await submitForm(newBrowser(ctx.app), "/inscription", { lastName: "Usurpateur", firstName: "Usurpateur", email })).status).toBe(303);
    expect(await ctx.db.user.findUniqueOrThrow({ where: { email } })).toMatchObject({ firstName: "Alice", lastName: "Vraie" });
    await ctx.deliverMails();
    const mails = ctx.smtp.to(email).filter((mail) => mail.subject.includes("Créez votre mot de passe"));
    expect(mails).toHaveLength(2);
    expect(mails[1]!.text).toContain("Bonjour Alice,");
    expect(mails[1]!.text).not.toContain("Usurpateur");
    const second = linkIn(mails[1]!.text, "/inscription/confirmer?token=");

    const old = await newBrowser(ctx.app).get(first);
    expect(old.status).toBe(410);
    expect(textOf(old.text)).toContain("Ce lien a été remplacé par un lien plus récent");
    expect(textOf(old.text)).not.toContain("Ce lien a déjà servi");
    expect((await activate(newBrowser(ctx.app), second)).status).toBe(303);
  });

  it("changes nothing on an account created by an administrator, and mails the agent's own link", async () => {
    const email = address("agent.en.attente");
    const first = await adminCreates(email, "AGENT");
    expect((await submitForm(newBrowser(ctx.app), "/inscription", { lastName: "Usurpateur", firstName: "Usurpateur", email })).status).toBe(303);
    expect(await ctx.db.user.findUniqueOrThrow({ where: { email } })).toMatchObject({
      firstName: "Victor",
      lastName: "Vrai",
      role: "AGENT",
      passwordHash: null,
    });
    await ctx.deliverMails();
    const mails = ctx.smtp.to(email);
    expect(mails.map((mail) => mail.text).join("\n")).not.toContain("Usurpateur");
    const fresh = mails.at(-1)!;
    expect(fresh.text).toContain("Bonjour Victor,");
    const old = await newBrowser(ctx.app).get(first);
    expect(old.status).toBe(410);
    expect(textOf(old.text)).toContain("Ce lien a été remplacé par un lien plus récent");
    const owner = newBrowser(ctx.app);
    expect((await activate(owner, linkIn(fresh.text, "/inscription/confirmer?token="))).status).toBe(303);
    expect((await owner.get("/agent")).status).toBe(200);
  });
});

describe("Other links of the same kind", () => {
  it("cancels the activation link of an agent account disabled before it was used", async () => {
    const email = address("desactive");
    const link = await adminCreates(email, "AGENT");
    const user = await ctx.db.user.findUniqueOrThrow({ where: { email } });
    expect((await submitForm(admin, "/admin/agents", {}, `/admin/agents/${user.id}/desactiver`)).status).toBe(303);
    const page = await newBrowser(ctx.app).get(link);
    expect(page.status).toBe(410);
    expect((await activate(newBrowser(ctx.app), link, GOOD_PASSWORD, "/inscription")).status).toBe(410);
    expect((await ctx.db.user.findUniqueOrThrow({ where: { email } })).passwordHash).toBeNull();

    // Nor does a registration or « Mot de passe oublié ? » bring a new link to a disabled account.
    await ctx.deliverMails();
    const mailsBefore = ctx.smtp.to(email).length;
    expect((await submitForm(newBrowser(ctx.app), "/inscription", { lastName: "Vrai", firstName: "Victor", email })).status).toBe(303);
    expect((await submitForm(newBrowser(ctx.app), "/mot-de-passe-oublie", { email })).status).toBe(303);
    await ctx.deliverMails();
    expect(ctx.smtp.to(email).slice(mailsBefore)).toEqual([]);
  });

  it("never lets an activation link replace a password the account already has", async () => {
    const email = address("deja.active");
    expect((await submitForm(newBrowser(ctx.app), "/inscription", { lastName: "Active", firstName: "Ada", email })).status).toBe(303);
    await ctx.deliverMails();
    const link = linkIn((await ctx.smtp.waitFor(email, "Créez votre mot de passe")).text, "/inscription/confirmer?token=");
    // As an account activated before this fix by an invitation left it: a password, and the link still pending.
    const { passwordHash } = await ctx.db.user.findUniqueOrThrow({ where: { email: "guichet@cd93.fr" } });
    await ctx.db.user.update({ where: { email }, data: { passwordHash } });
    expect((await activate(newBrowser(ctx.app), link, OTHER_PASSWORD)).status).toBe(410);
    expect((await ctx.db.user.findUniqueOrThrow({ where: { email } })).passwordHash).toBe(passwordHash);
  });

  it("cancels the reset links sent to the former address once a new address is confirmed", async () => {
    const email = address("ancienne");
    const browser = newBrowser(ctx.app);
    await registerAndActivate(ctx, browser, { email });
    const reset = await resetLinkFor(email);
    const target = address("nouvelle.adresse");
    expect((await requestEmailChange(browser, target)).status).toBe(303);
    expect((await browser.get(await emailChangeLink(target))).status).toBe(200);
    const page = await newBrowser(ctx.app).get(reset);
    expect(page.status).toBe(410);
    expect(textOf(page.text)).toContain("Ce lien a été annulé");
  });
});
