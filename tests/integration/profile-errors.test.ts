/**
 * « Mes informations personnelles » reports every error at once: a person who
 * fixes what the page said must not find three more problems afterwards.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registerAndActivate } from "../support/accounts.js";
import { PROFILE } from "../support/applicant.js";
import { newBrowser, submitForm, textOf, type Agent } from "../support/browserless.js";
import { createTestContext, type TestContext } from "../support/test-app.js";

let ctx: TestContext;
let browser: Agent;
beforeAll(async () => {
  ctx = await createTestContext();
  browser = newBrowser(ctx.app);
  await registerAndActivate(ctx, browser, { email: "erreurs@example.fr" });
});
afterAll(async () => ctx.close());

describe("Profile errors", () => {
  it("shows the field errors and the errors across fields in one round, keeping what was typed", async () => {
    const answer = await submitForm(browser, "/mes-informations", {
      ...PROFILE,
      email: "erreurs@example.fr",
      birthName: "",
      postalCode: "9300",
      birthDate: "31/02/1950",
      mobilePhone: "12345",
      protectionMeasure: "oui",
      protectionType: "",
    });
    expect(answer.status).toBe(422);
    const summary = /<div[^>]*data-error-summary[\s\S]*?<\/div>/.exec(answer.text)?.[0] ?? "";
    const text = textOf(summary);
    expect(text).toContain("Indiquez votre nom de naissance.");
    expect(text).toContain("Le code postal compte 5 chiffres");
    expect(text).toContain("Indiquez le type de mesure de protection.");
    const links = summary.match(/href="#champ-[a-zA-Z]+"/g) ?? [];
    expect(links).toEqual([
      'href="#champ-birthName"',
      'href="#champ-birthDate"',
      'href="#champ-postalCode"',
      'href="#champ-mobilePhone"',
      'href="#champ-protectionType"',
    ]);
    expect(answer.text).toContain('value="31/02/1950"');
    expect(answer.text).toContain('value="12345"');
    const stored = await ctx.db.user.findUniqueOrThrow({ where: { email: "erreurs@example.fr" }, include: { profile: true } });
    expect(stored.profile).toBeNull();
  });
});
