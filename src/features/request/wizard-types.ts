import type { Prisma, Request, RequestDocument, Statut, Zonage } from "../../generated/prisma/client.js";
import type { FormErrors } from "../../lib/form-errors.js";
import type { FieldCipher } from "../../lib/encryption.js";

export type Draft = Request & { documents: RequestDocument[] };

/** Everything a step needs to render or validate, loaded once per request. */
export interface StepContext {
  draft: Draft;
  statuts: Statut[];
  zonages: Zonage[];
  /** From the profile; null when unknown. */
  birthDate: Date | null;
  postalCode: string | null;
  today: Date;
  cipher: FieldCipher;
}

export type StepOutcome =
  /** Valid: these changes are saved and the step counts as done. */
  | { kind: "saved"; data: Prisma.RequestUpdateInput }
  /** Invalid: nothing of this step is saved; the form comes back with the messages. */
  | { kind: "invalid"; errors: FormErrors }
  /** Valid answers that stop the request (not eligible): saved, but the step is not done. */
  | { kind: "blocked"; data: Prisma.RequestUpdateInput; reasons: string[] };

/**
 * One step of « Ma demande de Forfait Améthyste ». The wizard is this list of
 * steps (registry.ts) and one generic handler (wizard-routes.ts).
 */
export interface WizardStep {
  slug: string;
  /** The tab's label and the page's heading. */
  title: string;
  view: string;
  isApplicable(draft: Draft): boolean;
  /** A step validated earlier may no longer be complete after another answer changed (a RIB now required…). */
  isStillComplete?(ctx: StepContext): boolean;
  /** The saved answers, as the form shows them. */
  formValues(ctx: StepContext): Record<string, string>;
  submit(body: Record<string, unknown>, ctx: StepContext): StepOutcome;
  /** What else the view needs (choice lists, amounts…). */
  locals?(ctx: StepContext): Record<string, unknown>;
  /** Fields never kept as typed-but-unsaved input (the IBAN). */
  sensitiveFields?: readonly string[];
}

export function text(body: Record<string, unknown>, name: string): string {
  const value = body[name];
  return typeof value === "string" ? value : "";
}
