import { expect } from "vitest";
import { linkIn, submitForm, type Agent } from "./browserless.js";
import type { TestContext } from "./test-app.js";

export const GOOD_PASSWORD = "Améthyste-93-Bobigny";
export const OTHER_PASSWORD = "Nouveau-Mot-2-Passe!";

/** Registers through the forms and the verification mail, ending logged in. */
export async function registerAndActivate(
  ctx: TestContext,
  agent: Agent,
  person: { email: string; firstName?: string; lastName?: string; password?: string },
): Promise<void> {
  const registration = await submitForm(agent, "/inscription", {
    lastName: person.lastName ?? "Ikse",
    firstName: person.firstName ?? "Igrek",
    email: person.email,
  });
  expect(registration.status).toBe(303);
  await ctx.deliverMails();
  const mail = await ctx.smtp.waitFor(person.email.toLowerCase(), "Créez votre mot de passe");
  const link = linkIn(mail.text, "/inscription/confirmer?token=");
  const password = person.password ?? GOOD_PASSWORD;
  const done = await submitForm(agent, link, { password, confirmation: password, token: new URL(link, "http://x").searchParams.get("token")! });
  expect(done.status).toBe(303);
}

export async function logIn(agent: Agent, email: string, password = GOOD_PASSWORD, remember = false) {
  return submitForm(agent, "/connexion", { email, password, ...(remember ? { remember: "on" } : {}) });
}
