/**
 * An aidant acting for a person, set up without the invitation's mails (those
 * are tested in aidant-access.test.ts): the open access is written in the
 * database, then the aidant presses « Agir pour … » like anyone.
 */
import { expect } from "vitest";
import { registerAndActivate } from "./accounts.js";
import { fillProfile } from "./applicant.js";
import { newBrowser, submitForm, type Agent } from "./browserless.js";
import type { TestContext } from "./test-app.js";

export interface Person {
  browser: Agent;
  email: string;
  id: string;
}

let counter = 0;

/** An applicant registered through the forms, with a complete profile, logged in in their own browser. */
export async function applicantWithProfile(ctx: TestContext, firstName: string, lastName: string): Promise<Person> {
  const email = `${firstName.toLowerCase()}.${lastName.toLowerCase()}.${++counter}@example.fr`;
  const browser = newBrowser(ctx.app);
  await registerAndActivate(ctx, browser, { email, firstName, lastName });
  await fillProfile(browser, email, { firstName, lastName });
  const { id } = await ctx.db.user.findUniqueOrThrow({ where: { email }, select: { id: true } });
  return { browser, email, id };
}

/** Opens the applicant's access to the aidant, then « Agir pour … » in the aidant's browser. */
export async function actingFor(ctx: TestContext, aidant: Person, applicantId: string): Promise<void> {
  await ctx.db.aidantAccess.create({ data: { applicantId, aidantId: aidant.id } });
  const answer = await submitForm(aidant.browser, "/personnes-aidees", { personId: applicantId }, "/personnes-aidees/agir");
  expect(answer.status, answer.text.slice(0, 2000)).toBe(303);
}
