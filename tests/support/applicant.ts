/** Drives the applicant's journey through the forms, as a browser without JavaScript would. */
import { expect } from "vitest";
import { registerAndActivate } from "./accounts.js";
import { csrfTokenIn, newBrowser, submitForm, type Agent } from "./browserless.js";
import { pdfFile } from "./files.js";
import { PROFILE } from "./profile-data.js";
import type { TestContext } from "./test-app.js";

export { PROFILE };

export async function fillProfile(agent: Agent, email: string, overrides: Record<string, string> = {}) {
  const answer = await submitForm(agent, "/mes-informations", { ...PROFILE, email, ...overrides });
  expect(answer.status, answer.text.slice(0, 2000)).toBe(303);
}

/** POSTs a step's form with « Suivant » (or another action). */
export async function step(agent: Agent, slug: string, fields: Record<string, string>, action = "suivant") {
  return submitForm(agent, `/demande/etape/${slug}`, { ...fields, action });
}

export async function acceptTerms(agent: Agent) {
  const answer = await submitForm(agent, "/demande", { acceptTerms: "on" });
  expect(answer.status).toBe(303);
}

export async function upload(agent: Agent, section: string, files: { name: string; content: Buffer }[]) {
  const page = await agent.get("/demande/etape/justificatifs");
  let request = agent.post(`/demande/justificatifs/${section}`).field("_csrf", csrfTokenIn(page.text));
  for (const file of files) request = request.attach("fichiers", file.content, file.name);
  return request;
}

/** A new applicant, registered and activated through the forms, their profile complete, logged in in their own browser. */
export async function newApplicant(ctx: TestContext, email: string): Promise<Agent> {
  const agent = newBrowser(ctx.app);
  await registerAndActivate(ctx, agent, { email });
  await fillProfile(agent, email);
  return agent;
}

/** Steps answered in turn with « Suivant », each expected to be saved. */
export async function answerSteps(agent: Agent, answers: [slug: string, fields: Record<string, string>][]) {
  for (const [slug, fields] of answers) {
    const answer = await step(agent, slug, fields);
    expect(answer.status, `${slug}: ${answer.text.slice(0, 3000)}`).toBe(303);
  }
}

/** A renewal without aidant nor direct debit, from the terms of use to « Justificatifs ». */
export async function renewalAtDocuments(agent: Agent) {
  await acceptTerms(agent);
  await answerSteps(agent, [
    ["type", { type: "RENEWAL" }],
    ["navigo", { navigoNumber: "12345678" }],
    ["zonage", { statutCode: "AC", zonageCode: "Z1_5" }],
    ["revenus", { referenceTaxIncome: "20000", taxShares: "2" }],
    ["aidant", { aidantName: "", aidantEmail: "" }],
    ["participation", { directDebit: "non" }],
  ]);
}

export const FIRST_REQUEST_SECTIONS = ["IDENTITY", "TAX_NOTICE", "NAVIGO", "ADDRESS", "SITUATION"];

/** The answers of a first request for a retired person, from « Type de demande » to « Mode de participation ». */
export function firstRequestAnswers(options: { directDebit?: boolean; aidantEmail?: string } = {}): [string, Record<string, string>][] {
  return [
    ["type", { type: "FIRST" }],
    ["eligibilite", { statutCode: "PA", residentOneYear: "oui", taxable: "non", retired: "oui", otherTransportAid: "non" }],
    ["navigo", { navigoNumber: "A 1234 5678" }],
    ["zonage", { zonageCode: "Z2_5" }],
    ["revenus", { referenceTaxIncome: "9 850", taxShares: "1,5" }],
    ["aidant", options.aidantEmail ? { aidantName: "Dupont", aidantEmail: options.aidantEmail } : { aidantName: "", aidantEmail: "" }],
    [
      "participation",
      options.directDebit
        ? { directDebit: "oui", iban: "FR76 3000 6000 0112 3456 7890 189", bic: "AGRIFRPP", accountHolder: "Igrek Ikse", debitConsent: "on" }
        : { directDebit: "non" },
    ],
  ];
}

/**
 * A first request for a retired person (no aidant, no direct debit) at « Justificatifs », every section's file
 * saved but « Justificatif de situation »: where « Je ne peux pas fournir ce document » is tried.
 */
export async function firstRequestAtDocumentsWithoutSituation(agent: Agent) {
  await acceptTerms(agent);
  await answerSteps(agent, firstRequestAnswers());
  for (const section of FIRST_REQUEST_SECTIONS.filter((code) => code !== "SITUATION")) {
    const answer = await upload(agent, section, [{ name: `${section.toLowerCase()}.pdf`, content: pdfFile(section) }]);
    expect(answer.status, `${section}: ${answer.text.slice(0, 2000)}`).toBe(303);
  }
}

/** A first request for a retired person, up to the summary, paying by direct debit when asked. */
export async function fillFirstRequest(agent: Agent, options: { directDebit?: boolean; aidantEmail?: string } = {}) {
  await acceptTerms(agent);
  await answerSteps(agent, firstRequestAnswers(options));
  const sections = [...FIRST_REQUEST_SECTIONS, ...(options.directDebit ? ["RIB"] : [])];
  for (const section of sections) {
    const answer = await upload(agent, section, [{ name: `${section.toLowerCase()}.pdf`, content: pdfFile(section) }]);
    expect(answer.status, `${section}: ${answer.text.slice(0, 2000)}`).toBe(303);
  }
  await answerSteps(agent, [
    ["justificatifs", {}],
    ["recapitulatif", { navigoNumber: "12345678" }],
  ]);
}
