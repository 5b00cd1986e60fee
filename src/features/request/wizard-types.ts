import { z } from "zod";
import type { AppContext } from "../../context.js";
import type { Parsed } from "../../domain/identifiers.js";
import type { MissingDocument, Prisma, Request, RequestDocument, Statut, Zonage } from "../../generated/prisma/client.js";
import { formErrorsFromZod, type FormErrors } from "../../lib/form-errors.js";

/** The draft with its files and its « Je ne peux pas fournir ce document » declarations (absent where a test builds a draft by hand). */
export type Draft = Request & { documents: RequestDocument[]; missingDocuments?: MissingDocument[] };

/** The situations and zones (reference data) the answers refer to. */
export interface ReferenceData {
  statuts: Statut[];
  zonages: Zonage[];
}

/**
 * Who is asking, from the account and « Mes informations personnelles »: the
 * récapitulatif shows it, so that everything is checked before sending.
 */
export interface Applicant {
  firstName: string;
  lastName: string;
  email: string;
  birthDate: Date | null;
  street: string | null;
  addressLine2: string | null;
  addressLine3: string | null;
  postalCode: string | null;
  city: string | null;
}

/**
 * The draft and what the steps read beside it, loaded once per HTTP request.
 * Data only: what a step needs from the outside world is StepDependencies.
 */
export interface StepContext extends ReferenceData {
  draft: Draft;
  /** From the profile; null when unknown. */
  birthDate: Date | null;
  postalCode: string | null;
  /** Null only where a test builds a context without an account. */
  applicant: Applicant | null;
  today: Date;
}

/** The part of the one context a step may use: the cipher of the IBAN. */
export type StepDependencies = Pick<AppContext, "cipher">;

export type StepOutcome =
  /** Valid: these changes are saved and the step counts as done. */
  | { kind: "saved"; data: Prisma.RequestUpdateInput }
  /** Invalid: nothing of this step is saved; the form comes back with the messages. */
  | { kind: "invalid"; errors: FormErrors }
  /** Valid answers that stop the request (not eligible): saved, but the step is not done. */
  | { kind: "blocked"; data: Prisma.RequestUpdateInput; reasons: string[] };

/** One group of answers as a person reads them (récapitulatif, request's page, agent's page, receipt). */
export interface AnswerGroup {
  title: string;
  /** The wizard step to correct it. */
  slug: string;
  items: { label: string; value: string }[];
}

/** A step of the draft: its number, whether it is done, and whether it can be opened. */
export interface StepState {
  step: WizardStep;
  number: number;
  complete: boolean;
  reachable: boolean;
}

/**
 * One step of « Ma demande de Forfait Améthyste ». The wizard is this list of
 * steps (registry.ts) and one generic handler (wizard-routes.ts): adding a
 * step is its file here (with its answer group) and its view.
 */
export interface WizardStep {
  slug: string;
  /** The tab's label and the page's heading. */
  title: string;
  view: string;
  /** Read from the request alone, so that a submitted request shows the same steps' answers. */
  isApplicable(request: Request): boolean;
  /** A step validated earlier may no longer be complete after another answer changed (a RIB now required…). */
  isStillComplete?(ctx: StepContext): boolean;
  /** The saved answers, as the form shows them. */
  formValues(ctx: StepContext): Record<string, string>;
  /** Parses the posted form with the step's zod schema, then checks it against the draft. */
  submit(body: unknown, ctx: StepContext, deps: StepDependencies): StepOutcome;
  /** What else the view needs (choice lists, amounts…), given every step's state. */
  locals?(ctx: StepContext, states: readonly StepState[]): Record<string, unknown>;
  /** Fields never kept as typed-but-unsaved input (the IBAN). */
  sensitiveFields?: readonly string[];
  /** The step's answers as a person reads them; null (or absent) when it has none to show. */
  answers?(request: Request, reference: ReferenceData): AnswerGroup | null;
  /** Its « Envoyer » submits the request; the other steps must be complete first, not this one. */
  submits?: true;
}

/** A text field as a step reads it: "" when absent, or sent twice by a crafted request. */
export const formText = z.string().catch("");

/** A text field read by one of the domain's parsers: its value, or the parser's French message at the field. */
export function parsedText<T>(parse: (input: string) => Parsed<T>) {
  return formText.transform((input, ctx) => {
    const parsed = parse(input);
    if (parsed.ok) return parsed.value;
    ctx.addIssue({ code: "custom", message: parsed.message });
    return z.NEVER;
  });
}

/** A form of text fields only, each read with formText: the step's own checks say what is wrong. */
export function textForm<const Name extends string>(names: readonly Name[]) {
  return z.object(Object.fromEntries(names.map((name) => [name, formText])) as Record<Name, typeof formText>);
}

/**
 * A step whose posted body is parsed by `form` (zod) first: a field the
 * schema refuses comes back with the schema's message; what passes goes,
 * typed, to the step's own checks.
 */
export function defineStep<Form>(
  step: Omit<WizardStep, "submit"> & { form: z.ZodType<Form>; submit: (form: Form, ctx: StepContext, deps: StepDependencies) => StepOutcome },
): WizardStep {
  const { form, submit, ...rest } = step;
  const fieldOrder = form instanceof z.ZodObject ? Object.keys(form.shape) : [];
  return {
    ...rest,
    submit(body, ctx, deps) {
      const parsed = form.safeParse(body ?? {});
      if (!parsed.success) return { kind: "invalid", errors: formErrorsFromZod(parsed.error, fieldOrder) };
      return submit(parsed.data, ctx, deps);
    },
  };
}

/** How an unanswered question reads in an answer group. */
export const NO_ANSWER = "—";

export function yesNo(value: boolean | null | undefined): string {
  return value === null || value === undefined ? NO_ANSWER : value ? "Oui" : "Non";
}
