/**
 * The applicant's side of the browser tests: who they are before the journey
 * starts (set up through the forms, without a browser), and the request's
 * steps they fill in chromium the same way in several journeys.
 */
import type { Page } from "playwright-core";
import { registerAndActivate } from "../support/accounts.js";
import { fillProfile } from "../support/applicant.js";
import { newBrowser, type Agent } from "../support/browserless.js";
import type { BrowserSuite } from "./browser.js";

/**
 * A person registered and activated through the forms, their profile filled
 * under their own name: where the journeys that start from an existing
 * account begin. Returns their browserless session, logged in, to seed more.
 */
export async function applicantWithProfile(suite: BrowserSuite, person: { email: string; firstName: string; lastName: string }): Promise<Agent> {
  const agent = newBrowser(suite.ctx.app);
  await registerAndActivate(suite.ctx, agent, person);
  await fillProfile(agent, person.email, { firstName: person.firstName, lastName: person.lastName });
  return agent;
}

/** The « Éligibilité » step as a person reads it: the situation's option, then each question (a pattern of its legend) with « Oui » or « Non ». */
export interface EligibilityChoices {
  statut: string;
  answers: readonly (readonly [question: RegExp, answer: "Oui" | "Non"])[];
}

/** A retired person living in Seine-Saint-Denis, not taxable, without another transport aid: eligible. */
export const RETIRED_PERSON_ELIGIBLE: EligibilityChoices = {
  statut: "PA - Personne âgée",
  answers: [
    [/Habitez-vous en Seine-Saint-Denis/, "Oui"],
    [/Êtes-vous imposable/, "Non"],
    [/Êtes-vous retraité/, "Oui"],
    [/Chèque Taxi/, "Non"],
  ],
};

/**
 * Fills the « Éligibilité » step the browser is on with the mouse, finding
 * every field by its label (and each answer within its question's group), as
 * a screen reader would name them; « Suivant » is left to the journey.
 */
export async function fillEligibilityInBrowser(page: Page, choices: EligibilityChoices = RETIRED_PERSON_ELIGIBLE): Promise<void> {
  await page.getByLabel(choices.statut).check();
  for (const [question, answer] of choices.answers) {
    await page.getByRole("group", { name: question }).getByLabel(answer, { exact: true }).check();
  }
}
