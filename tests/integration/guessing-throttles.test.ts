/**
 * The other places where something secret can be guessed count each attempt
 * before checking it, like the login (issue 7, item 3's class of fault):
 * the current password at « Changer le mot de passe » (someone holding an
 * open session), and the invitation codes, typed or followed as a link.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultThrottleRules } from "../../src/middleware/rate-limit.js";
import { GOOD_PASSWORD, OTHER_PASSWORD, logIn, registerAndActivate } from "../support/accounts.js";
import { loggedInStaff } from "../support/back-office.js";
import { csrfTokenIn, newBrowser, submitForm, textOf, type Agent } from "../support/browserless.js";
import { createTestContext, type TestContext } from "../support/test-app.js";

let ctx: TestContext;
let agent: Agent;
beforeAll(async () => {
  ctx = await createTestContext({
    env: { TRUST_PROXY: "true" },
    throttleRules: { ...defaultThrottleRules, invitationPerIp: { points: 3, durationSeconds: 3600, blockSeconds: 3600 } },
  });
  ({ agent } = await loggedInStaff(ctx));
});
afterAll(async () => ctx.close());

describe("Changer le mot de passe : le mot de passe actuel ne se devine pas", () => {
  it("refuses with 429 after 5 wrong current passwords, even the right one next, and the password stays", async () => {
    const browser = newBrowser(ctx.app);
    await registerAndActivate(ctx, browser, { email: "session-volee@example.fr" });
    const change = (currentPassword: string) =>
      submitForm(browser, "/mon-compte/mot-de-passe", { currentPassword, password: OTHER_PASSWORD, confirmation: OTHER_PASSWORD });
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await change(`Essai-Numero-${i}-Faux`)).status);
    expect(statuses).toEqual([422, 422, 422, 422, 422, 429]);
    const right = await change(GOOD_PASSWORD);
    expect(right.status).toBe(429);
    expect(textOf(right.text)).toContain("Trop de tentatives. Par sécurité, attendez 15 minutes avant de réessayer.");
    expect((await logIn(newBrowser(ctx.app), "session-volee@example.fr", GOOD_PASSWORD)).status).toBe(303);
  }, 60_000);
});

describe("Changer d'adresse e-mail : le mot de passe actuel ne se devine pas non plus", () => {
  it("shares the count of « Changer le mot de passe »: 429 after 5 wrong passwords, even the right one next", async () => {
    const { PROFILE } = await import("../support/applicant.js");
    const browser = newBrowser(ctx.app);
    await registerAndActivate(ctx, browser, { email: "profil-vole@example.fr" });
    const change = (currentPassword: string) => submitForm(browser, "/mes-informations", { ...PROFILE, email: "voleur@example.fr", currentPassword });
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await change(`Essai-Numero-${i}-Faux`)).status);
    expect(statuses).toEqual([422, 422, 422, 422, 422, 429]);
    const right = await change(GOOD_PASSWORD);
    expect(right.status).toBe(429);
    expect(textOf(right.text)).toContain("Trop de tentatives.");
    expect(await ctx.db.accountToken.count({ where: { newEmail: "voleur@example.fr" } })).toBe(0);
  }, 60_000);
});

describe("Invitations : les codes ne se devinent pas", () => {
  async function invitationCode(email: string): Promise<string> {
    const answer = await submitForm(agent, "/agent/invitations", { lastName: "Petit", firstName: "Louise", email });
    return /<p class="invitation-code">([A-Z0-9-]+)<\/p>/.exec(answer.text)![1]!;
  }
  const get = (ip: string, code: string) => newBrowser(ctx.app).get(`/invitation?code=${code}`).set("X-Forwarded-For", ip);
  async function typeCode(ip: string, code: string) {
    const browser = newBrowser(ctx.app);
    const page = await browser.get("/invitation").set("X-Forwarded-For", ip);
    return browser
      .post("/invitation/code")
      .set("X-Forwarded-For", ip)
      .type("form")
      .send({ _csrf: csrfTokenIn(page.text), code });
  }

  it("counts codes followed as links, and refuses a valid one once the limit is reached", async () => {
    const code = await invitationCode("lien@example.fr");
    const ip = "198.51.100.101";
    const statuses = [];
    for (const guess of ["AAAA-BBBB-CCC1", "AAAA-BBBB-CCC2", "AAAA-BBBB-CCC3", "AAAA-BBBB-CCC4"]) statuses.push((await get(ip, guess)).status);
    expect(statuses).toEqual([404, 404, 404, 429]);
    expect((await get(ip, code)).status).toBe(429);
    // From elsewhere the person's own link works, as often as needed: a valid code gives its point back.
    for (let i = 0; i < 5; i++) expect((await get("198.51.100.102", code)).status).toBe(200);
  });

  it("counts typed codes before checking them, so a valid code typed after the limit is refused too", async () => {
    const code = await invitationCode("tape@example.fr");
    const ip = "198.51.100.111";
    const statuses = [];
    for (const guess of ["AAAA-BBBB-DDD1", "AAAA-BBBB-DDD2", "AAAA-BBBB-DDD3", "AAAA-BBBB-DDD4"]) statuses.push((await typeCode(ip, guess)).status);
    expect(statuses).toEqual([404, 404, 404, 429]);
    const valid = await typeCode(ip, code);
    expect(valid.status).toBe(429);
    expect(textOf(valid.text)).toContain("Trop de tentatives.");
    expect((await typeCode("198.51.100.112", code)).status).toBe(303);
  });
});
