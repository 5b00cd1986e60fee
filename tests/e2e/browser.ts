/**
 * Real browser helpers: Debian's chromium driven by playwright-core, and
 * axe-core run inside each page against the WCAG 2.1 A and AA rules.
 */
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { afterAll, beforeAll } from "vitest";
import { createTestContext } from "../support/test-app.js";
import type { TestContext } from "../support/test-app.js";

const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/** Serves the test application on a free loopback port. */
export async function serve(ctx: TestContext): Promise<{ baseUrl: string; close: () => Promise<void> }> {
  const server = ctx.app.listen(0, "127.0.0.1");
  await new Promise<void>((resolve) => server.once("listening", () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

interface AxeViolation {
  id: string;
  help: string;
  nodes: { target: string[] }[];
}

/**
 * Runs axe-core in the page (through the DevTools protocol, so the page's
 * strict CSP stays on) and fails with a readable list of violations.
 */
export async function expectNoAccessibilityViolations(page: Page, label: string): Promise<void> {
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (context: Document, options: object) => Promise<{ violations: AxeViolation[] }> } }).axe;
    const results = await axe.run(document, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
      resultTypes: ["violations"],
    });
    return results.violations.map((violation) => ({ id: violation.id, help: violation.help, nodes: violation.nodes.map((node) => ({ target: node.target })) }));
  });
  const readable = violations.map((violation) => `${violation.id}: ${violation.help} (${violation.nodes.map((node) => node.target.join(" ")).join(", ")})`);
  if (readable.length > 0) throw new Error(`axe-core sur « ${label} » : ${readable.length} violation(s)\n${readable.join("\n")}`);
}

/**
 * A browser context in which the portal's script (its only one, /js/portail.js)
 * never loads: the pages work as they do without JavaScript, while axe-core,
 * run through the DevTools protocol, can still check them (a context with
 * JavaScript turned off would stop axe too).
 */
export async function withoutPortalScript(context: BrowserContext): Promise<BrowserContext> {
  await context.route("**/js/*.js", (route) => route.abort());
  return context;
}

export interface BrowserSuite {
  ctx: TestContext;
  browser: Browser;
  baseUrl: string;
}

/**
 * For a browser test file: the application on its own database and SMTP
 * catcher, served on loopback, and a chromium; all closed after the file.
 * The fields are filled once beforeAll has run.
 */
export function browserSuite(): BrowserSuite {
  const suite = {} as BrowserSuite;
  let close: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    suite.ctx = await createTestContext();
    const site = await serve(suite.ctx);
    suite.baseUrl = site.baseUrl;
    close = site.close;
    suite.browser = await launchBrowser();
  });
  afterAll(async () => {
    await suite.browser?.close();
    await close?.();
    await suite.ctx?.close();
  });
  return suite;
}

/** Logs in through the login page, in a fresh browser context (or the one given), and returns the page. */
export async function logInInBrowser(suite: BrowserSuite, email: string, password: string, context?: BrowserContext): Promise<Page> {
  const page = await (context ?? (await suite.browser.newContext())).newPage();
  await page.goto(`${suite.baseUrl}/connexion`);
  await logInHere(page, email, password);
  return page;
}

/** Fills the login page the browser is on (where a link behind the login led) and waits for the page it goes to. */
export async function logInHere(page: Page, email: string, password: string): Promise<void> {
  await page.getByLabel(/^Adresse e-mail/).fill(email);
  await page.getByLabel(/^Mot de passe/).fill(password);
  await page.getByRole("button", { name: "Se connecter" }).click();
  await accountMenuToggle(page).waitFor();
}

/** The person's name in the header, which opens the account menu. */
export function accountMenuToggle(page: Page) {
  return page.locator("details.account-menu > summary");
}

/** « Se déconnecter » from the account menu under the person's name, as a person would. */
export async function logOutInBrowser(page: Page): Promise<void> {
  await accountMenuToggle(page).click();
  await page.getByRole("button", { name: "Se déconnecter" }).click();
  await page.getByText("Vous êtes déconnecté.").waitFor();
}
