/**
 * Eligibility to the forfait Améthyste for a first request, from the
 * department's published rules. The figures (ages, income condition) come
 * from the Statut reference data so that the department can change them.
 */
import { z } from "zod";

/** The questions, in the order of the page; the situation-specific ones are asked only for that situation. */
export const ELIGIBILITY_QUESTIONS = {
  residentOneYear: "Habitez-vous en Seine-Saint-Denis depuis au moins un an ?",
  taxable: "Êtes-vous imposable sur le revenu ?",
  retired: "Êtes-vous retraité(e) ou sans activité professionnelle ?",
  disabilityBenefit: "Percevez-vous l'AAH ou une pension d'invalidité de 2e ou 3e catégorie ?",
  holdsTitle: "Êtes-vous titulaire de la carte du combattant ou d'une pension de veuve de guerre ?",
  otherTransportAid: "Bénéficiez-vous du Chèque Taxi ou de la carte Solidarité Transport ?",
} as const;
export type EligibilityQuestion = keyof typeof ELIGIBILITY_QUESTIONS;
export interface StatutRule {
  code: string;
  label: string;
  minimumAge: number | null;
  mustBeNonTaxable: boolean;
}

export interface EligibilityAnswers {
  statutCode: string;
  /** Domicile in Seine-Saint-Denis for at least one year. */
  residentOneYear: boolean;
  taxable: boolean;
  /** PA: retired or without professional activity. */
  retired?: boolean;
  /** AH: receives the AAH or an invalidity pension of the 2nd or 3rd category. */
  disabilityBenefit?: boolean;
  /** AC / VG: holds the carte du combattant / the war widow's pension. */
  holdsTitle?: boolean;
  /** Not cumulable with the Chèque Taxi or the carte Solidarité Transport. */
  otherTransportAid: boolean;
}

/** The answers as stored in the request's JSON column, read back through this schema. */
export const eligibilityAnswersSchema = z.object({
  statutCode: z.string(),
  residentOneYear: z.boolean(),
  taxable: z.boolean(),
  retired: z.boolean().optional(),
  disabilityBenefit: z.boolean().optional(),
  holdsTitle: z.boolean().optional(),
  otherTransportAid: z.boolean(),
}) satisfies z.ZodType<EligibilityAnswers>;

/** The stored answers, or null when there are none (or they are not answers: never trusted blindly). */
export function readEligibilityAnswers(stored: unknown): EligibilityAnswers | null {
  const parsed = eligibilityAnswersSchema.safeParse(stored);
  return parsed.success ? parsed.data : null;
}

export function ageOn(birthDate: Date, on: Date): number {
  let age = on.getUTCFullYear() - birthDate.getUTCFullYear();
  const beforeBirthday =
    on.getUTCMonth() < birthDate.getUTCMonth() || (on.getUTCMonth() === birthDate.getUTCMonth() && on.getUTCDate() < birthDate.getUTCDate());
  if (beforeBirthday) age -= 1;
  return age;
}

/**
 * The reasons, in French, why the answers show the person is not eligible;
 * empty when they are. An unknown birth date is not a reason: the agent
 * checks the age from the documents.
 */
export function ineligibilityReasons(answers: EligibilityAnswers, statut: StatutRule, birthDate: Date | null, today: Date): string[] {
  const reasons: string[] = [];
  if (!answers.residentOneYear) reasons.push("Il faut habiter en Seine-Saint-Denis depuis au moins un an.");
  if (statut.minimumAge !== null && birthDate && ageOn(birthDate, today) < statut.minimumAge) {
    reasons.push(`Pour la situation « ${statut.label} », il faut avoir au moins ${statut.minimumAge} ans.`);
  }
  if (statut.mustBeNonTaxable && answers.taxable) {
    reasons.push(`Pour la situation « ${statut.label} », il ne faut pas être imposable sur le revenu.`);
  }
  if (statut.code === "PA" && answers.retired === false) {
    reasons.push("Il faut être retraité(e) ou sans activité professionnelle.");
  }
  if (statut.code === "AH" && answers.disabilityBenefit === false) {
    reasons.push("Il faut percevoir l'AAH ou une pension d'invalidité de 2e ou 3e catégorie.");
  }
  if ((statut.code === "AC" || statut.code === "VG") && answers.holdsTitle === false) {
    reasons.push(statut.code === "AC" ? "Il faut être titulaire de la carte du combattant." : "Il faut être titulaire d'une pension de veuve de guerre.");
  }
  if (answers.otherTransportAid) {
    reasons.push("Le forfait Améthyste ne se cumule pas avec le Chèque Taxi ni avec la carte Solidarité Transport.");
  }
  return reasons;
}
