/**
 * Sessions end (issue 7, item 12): 12 hours after login without « Mémoriser
 * mes informations ? », 30 days after login with it, however much they are
 * used; and after 30 minutes without a page seen when not remembered. The
 * app's clock is moved forward, as a person would wait.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { logIn, registerAndActivate } from "../support/accounts.js";
import { newBrowser, textOf, type Agent } from "../support/browserless.js";
import { createTestContext, type TestContext } from "../support/test-app.js";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const PROTECTED = "/mon-compte/mot-de-passe";

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
  await registerAndActivate(ctx, newBrowser(ctx.app), { email: "duree@example.fr" });
});
afterAll(async () => ctx.close());

async function loggedInBrowser(remember: boolean): Promise<Agent> {
  const browser = newBrowser(ctx.app);
  expect((await logIn(browser, "duree@example.fr", undefined, remember)).status).toBe(303);
  expect((await browser.get(PROTECTED)).status).toBe(200);
  return browser;
}

/** Keeps using the session every `step` until `total` has passed; true while every page was still shown logged in. */
async function keepUsing(browser: Agent, total: number, step: number): Promise<boolean> {
  for (let elapsed = step; elapsed <= total; elapsed += step) {
    ctx.clock.advance(step);
    if ((await browser.get(PROTECTED)).status !== 200) return false;
  }
  return true;
}

async function expectSentToLogin(browser: Agent): Promise<void> {
  const page = await browser.get(PROTECTED);
  expect(page.status).toBe(302);
  expect(page.headers.location).toBe("/connexion");
  const login = await browser.get("/connexion");
  expect(textOf(login.text)).toContain("Votre session a expiré : pour votre sécurité, connectez-vous de nouveau.");
  expect(textOf(login.text)).toContain("Se connecter");
}

describe("Durée des sessions", () => {
  it("ends a session without « Mémoriser » 12 hours after login, even if it is used all along", async () => {
    const browser = await loggedInBrowser(false);
    expect(await keepUsing(browser, 11 * HOUR + 40 * MINUTE, 20 * MINUTE)).toBe(true);
    ctx.clock.advance(20 * MINUTE + 1000);
    await expectSentToLogin(browser);
    // Logging in again starts a new session.
    expect((await logIn(browser, "duree@example.fr")).status).toBe(303);
    expect((await browser.get(PROTECTED)).status).toBe(200);
  }, 60_000);

  it("ends a remembered session 30 days after login, even if it is used every day", async () => {
    const browser = await loggedInBrowser(true);
    expect(await keepUsing(browser, 29 * DAY, DAY)).toBe(true);
    ctx.clock.advance(DAY + 1000);
    await expectSentToLogin(browser);
  }, 60_000);

  it("keeps the 30-minute idle timeout without « Mémoriser », and not with it", async () => {
    const brief = await loggedInBrowser(false);
    const remembered = await loggedInBrowser(true);
    ctx.clock.advance(25 * MINUTE);
    expect((await brief.get(PROTECTED)).status).toBe(200);
    ctx.clock.advance(31 * MINUTE);
    await expectSentToLogin(brief);
    expect((await remembered.get(PROTECTED)).status).toBe(200);
  }, 60_000);
});
