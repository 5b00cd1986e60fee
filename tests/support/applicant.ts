/** Drives the applicant's journey through the forms, as a browser without JavaScript would. */
import { expect } from "vitest";
import { csrfTokenIn, submitForm, type Agent } from "./browserless.js";
import { pdfFile } from "./files.js";
import { PROFILE } from "./profile-data.js";

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

export const FIRST_REQUEST_SECTIONS = ["IDENTITY", "TAX_NOTICE", "NAVIGO", "ADDRESS", "SITUATION"];

/** A first request for a retired person, up to the summary, paying by direct debit when asked. */
export async function fillFirstRequest(agent: Agent, options: { directDebit?: boolean; aidantEmail?: string } = {}) {
  await acceptTerms(agent);
  const ok = async (slug: string, fields: Record<string, string>) => {
    const answer = await step(agent, slug, fields);
    expect(answer.status, `${slug}: ${answer.text.slice(0, 3000)}`).toBe(303);
    return answer;
  };
  await ok("type", { type: "FIRST" });
  await ok("eligibilite", { statutCode: "PA", residentOneYear: "oui", taxable: "non", retired: "oui", otherTransportAid: "non" });
  await ok("navigo", { navigoNumber: "A 1234 5678" });
  await ok("zonage", { zonageCode: "Z2_5" });
  await ok("revenus", { referenceTaxIncome: "9 850", taxShares: "1,5" });
  await ok("aidant", options.aidantEmail ? { aidantName: "Dupont", aidantEmail: options.aidantEmail } : { aidantName: "", aidantEmail: "" });
  await ok(
    "participation",
    options.directDebit
      ? { directDebit: "oui", iban: "FR76 3000 6000 0112 3456 7890 189", bic: "AGRIFRPP", accountHolder: "Igrek Ikse", debitConsent: "on" }
      : { directDebit: "non" },
  );
  const sections = [...FIRST_REQUEST_SECTIONS, ...(options.directDebit ? ["RIB"] : [])];
  for (const section of sections) {
    const answer = await upload(agent, section, [{ name: `${section.toLowerCase()}.pdf`, content: pdfFile(section) }]);
    expect(answer.status, `${section}: ${answer.text.slice(0, 2000)}`).toBe(303);
  }
  await ok("justificatifs", {});
  await ok("recapitulatif", { navigoNumber: "12345678" });
}
