import {
  ELIGIBILITY_QUESTIONS,
  ineligibilityReasons,
  readEligibilityAnswers,
  type EligibilityAnswers,
  type EligibilityQuestion,
} from "../../../domain/eligibility.js";
import { formErrors } from "../../../lib/form-errors.js";
import { defineStep, textForm, yesNo, type StepContext } from "../wizard-types.js";

const YES_NO = ["oui", "non"];

/** Which situation-specific question each statut asks. */
const SPECIFIC = new Map<string, EligibilityQuestion>([
  ["PA", "retired"],
  ["AH", "disabilityBenefit"],
  ["AC", "holdsTitle"],
  ["VG", "holdsTitle"],
]);

function reasonsFor(answers: EligibilityAnswers, ctx: StepContext): string[] {
  const statut = ctx.statuts.find((candidate) => candidate.code === answers.statutCode);
  if (!statut) return ["Situation inconnue."];
  const reasons = ineligibilityReasons(answers, statut, ctx.birthDate, ctx.today);
  if (ctx.postalCode && !ctx.postalCode.startsWith("93")) {
    reasons.unshift(
      "L'adresse de vos informations personnelles n'est pas en Seine-Saint-Denis (code postal commençant par 93). Si vous avez déménagé, mettez-la à jour.",
    );
  }
  return reasons;
}

export const eligibilityStep = defineStep({
  slug: "eligibilite",
  title: "Éligibilité 1ère demande",
  view: "request/steps/eligibility",
  isApplicable: (request) => request.type !== "RENEWAL",
  isStillComplete(ctx) {
    const answers = readEligibilityAnswers(ctx.draft.eligibility);
    return answers !== null && answers.statutCode === ctx.draft.statutCode && reasonsFor(answers, ctx).length === 0;
  },
  formValues(ctx) {
    const answers = readEligibilityAnswers(ctx.draft.eligibility);
    const yesNoField = (value: boolean | undefined) => (value === undefined ? "" : value ? "oui" : "non");
    return {
      statutCode: answers?.statutCode ?? ctx.draft.statutCode ?? "",
      residentOneYear: yesNoField(answers?.residentOneYear),
      taxable: yesNoField(answers?.taxable),
      retired: yesNoField(answers?.retired),
      disabilityBenefit: yesNoField(answers?.disabilityBenefit),
      holdsTitle: yesNoField(answers?.holdsTitle),
      otherTransportAid: yesNoField(answers?.otherTransportAid),
    };
  },
  form: textForm(["statutCode", ...(Object.keys(ELIGIBILITY_QUESTIONS) as EligibilityQuestion[])]),
  submit(form, ctx) {
    const problems: [string, string][] = [];
    const { statutCode } = form;
    if (!ctx.statuts.some((statut) => statut.code === statutCode)) problems.push(["statutCode", "Indiquez votre situation."]);
    const specific = SPECIFIC.get(statutCode);
    const asked: EligibilityQuestion[] = ["residentOneYear", "taxable", ...(specific ? [specific] : []), "otherTransportAid"];
    const answer = (question: EligibilityQuestion) => {
      const value = form[question];
      if (!YES_NO.includes(value)) {
        problems.push([question, `Répondez à la question « ${ELIGIBILITY_QUESTIONS[question]} »`]);
        return undefined;
      }
      return value === "oui";
    };
    const values = Object.fromEntries(asked.map((question) => [question, answer(question)])) as Partial<Record<EligibilityQuestion, boolean>>;
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
  // Only a first request answers these questions (a draft whose type is not chosen yet shows none).
  answers(request) {
    if (request.type !== "FIRST") return null;
    const answers = readEligibilityAnswers(request.eligibility);
    return {
      title: "Éligibilité",
      slug: "eligibilite",
      items: (Object.keys(ELIGIBILITY_QUESTIONS) as EligibilityQuestion[])
        .filter((question) => typeof answers?.[question] === "boolean")
        .map((question) => ({ label: ELIGIBILITY_QUESTIONS[question], value: yesNo(answers?.[question] as boolean) })),
    };
  },
});
