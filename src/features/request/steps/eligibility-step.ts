import { ineligibilityReasons, type EligibilityAnswers } from "../../../domain/eligibility.js";
import { formErrors } from "../../../lib/form-errors.js";
import { text, type StepContext, type WizardStep } from "../wizard-types.js";

const YES_NO = ["oui", "non"];

/** The questions, in the order of the page; the situation-specific ones are asked only for that situation. */
export const ELIGIBILITY_QUESTIONS = {
  residentOneYear: "Habitez-vous en Seine-Saint-Denis depuis au moins un an ?",
  taxable: "Êtes-vous imposable sur le revenu ?",
  retired: "Êtes-vous retraité(e) ou sans activité professionnelle ?",
  disabilityBenefit: "Percevez-vous l'AAH ou une pension d'invalidité de 2e ou 3e catégorie ?",
  holdsTitle: "Êtes-vous titulaire de la carte du combattant ou d'une pension de veuve de guerre ?",
  otherTransportAid: "Bénéficiez-vous du Chèque Taxi ou de la carte Solidarité Transport ?",
} as const;
type Question = keyof typeof ELIGIBILITY_QUESTIONS;

/** Which situation-specific question each statut asks. */
const SPECIFIC: Record<string, Question> = { PA: "retired", AH: "disabilityBenefit", AC: "holdsTitle", VG: "holdsTitle" };

function savedAnswers(ctx: StepContext): EligibilityAnswers | null {
  return (ctx.draft.eligibility as EligibilityAnswers | null) ?? null;
}

function reasonsFor(answers: EligibilityAnswers, ctx: StepContext): string[] {
  const statut = ctx.statuts.find((candidate) => candidate.code === answers.statutCode);
  if (!statut) return ["Situation inconnue."];
  const reasons = ineligibilityReasons(answers, statut, ctx.birthDate, ctx.today);
  if (ctx.postalCode && !ctx.postalCode.startsWith("93")) {
    reasons.unshift("L'adresse de vos informations personnelles n'est pas en Seine-Saint-Denis (code postal commençant par 93). Si vous avez déménagé, mettez-la à jour.");
  }
  return reasons;
}

export const eligibilityStep: WizardStep = {
  slug: "eligibilite",
  title: "Éligibilité 1ère demande",
  view: "request/steps/eligibility",
  isApplicable: (draft) => draft.type !== "RENEWAL",
  isStillComplete(ctx) {
    const answers = savedAnswers(ctx);
    return answers !== null && answers.statutCode === ctx.draft.statutCode && reasonsFor(answers, ctx).length === 0;
  },
  formValues(ctx) {
    const answers = savedAnswers(ctx);
    const yesNo = (value: boolean | undefined) => (value === undefined ? "" : value ? "oui" : "non");
    return {
      statutCode: answers?.statutCode ?? ctx.draft.statutCode ?? "",
      residentOneYear: yesNo(answers?.residentOneYear),
      taxable: yesNo(answers?.taxable),
      retired: yesNo(answers?.retired),
      disabilityBenefit: yesNo(answers?.disabilityBenefit),
      holdsTitle: yesNo(answers?.holdsTitle),
      otherTransportAid: yesNo(answers?.otherTransportAid),
    };
  },
  submit(body, ctx) {
    const problems: [string, string][] = [];
    const statutCode = text(body, "statutCode");
    if (!ctx.statuts.some((statut) => statut.code === statutCode)) problems.push(["statutCode", "Indiquez votre situation."]);
    const asked: Question[] = ["residentOneYear", "taxable", ...(SPECIFIC[statutCode] ? [SPECIFIC[statutCode]] : []), "otherTransportAid"];
    const answer = (question: Question) => {
      const value = text(body, question);
      if (!YES_NO.includes(value)) {
        problems.push([question, `Répondez à la question « ${ELIGIBILITY_QUESTIONS[question]} »`]);
        return undefined;
      }
      return value === "oui";
    };
    const values = Object.fromEntries(asked.map((question) => [question, answer(question)])) as Partial<Record<Question, boolean>>;
    if (problems.length > 0) return { kind: "invalid", errors: formErrors(problems) };
    const answers: EligibilityAnswers = {
      statutCode,
      residentOneYear: values.residentOneYear!,
      taxable: values.taxable!,
      otherTransportAid: values.otherTransportAid!,
      ...(values.retired !== undefined ? { retired: values.retired } : {}),
      ...(values.disabilityBenefit !== undefined ? { disabilityBenefit: values.disabilityBenefit } : {}),
      ...(values.holdsTitle !== undefined ? { holdsTitle: values.holdsTitle } : {}),
    };
    const data = { eligibility: { ...answers }, statut: { connect: { code: statutCode } } };
    const reasons = reasonsFor(answers, ctx);
    return reasons.length > 0 ? { kind: "blocked", data, reasons } : { kind: "saved", data };
  },
  locals: (ctx) => ({ statuts: ctx.statuts, questions: ELIGIBILITY_QUESTIONS }),
};
