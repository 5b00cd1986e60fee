/**
 * Throttling of login attempts (issue 7, item 3): every attempt is counted
 * before its password is checked, per account across all source addresses as
 * well as per source address, and the owner of an account being guessed gets
 * one mail per blocking window. None of it tells whether an address has an
 * account. The app trusts one proxy here, so X-Forwarded-For gives each
 * request its source address.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GOOD_PASSWORD, registerAndActivate } from "../support/accounts.js";
import { csrfTokenIn, newBrowser, textOf, type Agent } from "../support/browserless.js";
import { createTestContext, type TestContext } from "../support/test-app.js";

const WRONG = "Mauvais-Mot-2-Passe";
const ALERT_SUBJECT = "Tentatives de connexion à votre compte";

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext({ env: { TRUST_PROXY: "true" } });
});
afterAll(async () => ctx.close());

/** A browser on the login page, coming from the given source address. */
async function browserFrom(ip: string): Promise<{ browser: Agent; csrf: string }> {
  const browser = newBrowser(ctx.app);
  const page = await browser.get("/connexion").set("X-Forwarded-For", ip);
  return { browser, csrf: csrfTokenIn(page.text) };
}

function attempt(from: { browser: Agent; csrf: string }, ip: string, email: string, password: string) {
  return from.browser.post("/connexion").set("X-Forwarded-For", ip).type("form").send({ _csrf: from.csrf, email, password });
}

/** The attempts counted so far against this account's login limit (rate-limiter-flexible's row). */
async function countedLoginAttempts(email: string): Promise<number> {
  const { rows } = await ctx.pool.query<{ points: number }>("SELECT points FROM rate_limits WHERE key = $1", [`login-account:${email}`]);
  return rows[0]?.points ?? 0;
}

const count = (statuses: number[], status: number) => statuses.filter((s) => s === status).length;

describe("Connexion : limitation des tentatives", () => {
  it("counts parallel attempts before checking them: a right password sent after 30 wrong ones is refused", async () => {
    await registerAndActivate(ctx, newBrowser(ctx.app), { email: "parallele@example.fr" });
    const from = await browserFrom("198.51.100.1");
    const wrong = Array.from({ length: 30 }, () => attempt(from, "198.51.100.1", "parallele@example.fr", WRONG).then((r) => r.status));
    // Sent while the 30 are being handled, once the account's limit (5) has been counted: a fixed wait here
    // was a guess that a loaded machine can lose (the right password then came first, and was accepted).
    await expect.poll(() => countedLoginAttempts("parallele@example.fr"), { timeout: 10_000 }).toBeGreaterThanOrEqual(5);
    const right = await attempt(from, "198.51.100.1", "parallele@example.fr", GOOD_PASSWORD);
    const statuses = await Promise.all(wrong);

    expect(right.status).toBe(429);
    expect(textOf(right.text)).toContain("Trop de tentatives.");
    // At most 5 passwords were checked (401); every other attempt was refused unchecked.
    expect(count(statuses, 401)).toBeLessThanOrEqual(5);
    expect(count(statuses, 401) + count(statuses, 429)).toBe(30);
  }, 60_000);

  it("limits guesses on one account across source addresses: 10 addresses × 5 guesses", async () => {
    await registerAndActivate(ctx, newBrowser(ctx.app), { email: "dispersee@example.fr" });
    const sources = Array.from({ length: 10 }, (_, i) => `203.0.113.${i + 1}`);
    const perSource = await Promise.all(
      sources.map(async (ip) => {
        const from = await browserFrom(ip);
        const statuses: number[] = [];
        for (let guess = 0; guess < 5; guess++) statuses.push((await attempt(from, ip, "dispersee@example.fr", WRONG)).status);
        return statuses;
      }),
    );
    const statuses = perSource.flat();
    expect(count(statuses, 401)).toBeLessThanOrEqual(5);
    expect(count(statuses, 429)).toBeGreaterThanOrEqual(45);

    // Even the owner, from yet another address, must wait.
    const owner = await attempt(await browserFrom("192.0.2.50"), "192.0.2.50", "dispersee@example.fr", GOOD_PASSWORD);
    expect(owner.status).toBe(429);
    expect(owner.headers["retry-after"]).toMatch(/^\d+$/);
  }, 60_000);

  it("mails the owner once per blocking window, and answers an unknown address exactly the same", async () => {
    await registerAndActivate(ctx, newBrowser(ctx.app), { email: "visee@example.fr", firstName: "Lucie" });
    const guess = async (email: string) => {
      const answers = [];
      for (let i = 0; i < 9; i++) {
        const ip = `198.51.100.${20 + i}`;
        answers.push(await attempt(await browserFrom(ip), ip, email, WRONG));
      }
      return answers;
    };
    const known = await guess("visee@example.fr");
    const unknown = await guess("personne-ici@example.fr");

    expect(known.map((a) => a.status)).toEqual([401, 401, 401, 401, 401, 429, 429, 429, 429]);
    expect(unknown.map((a) => a.status)).toEqual(known.map((a) => a.status));
    for (let i = 0; i < known.length; i++) {
      expect(textOf(unknown[i]!.text).replace("personne-ici@example.fr", "X")).toBe(textOf(known[i]!.text).replace("visee@example.fr", "X"));
    }

    await ctx.deliverMails();
    const alert = await ctx.smtp.waitFor("visee@example.fr", ALERT_SUBJECT);
    expect(alert.text).toContain("Bonjour Lucie,");
    expect(alert.text).toContain("plusieurs tentatives de connexion");
    expect(alert.text).toContain("/mot-de-passe-oublie");
    expect(ctx.smtp.to("visee@example.fr").filter((mail) => mail.subject.includes(ALERT_SUBJECT))).toHaveLength(1);
    expect(ctx.smtp.to("personne-ici@example.fr")).toHaveLength(0);
  }, 60_000);
});
