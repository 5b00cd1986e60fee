/**
 * Choice lists of « Mes informations personnelles » and the parsing of dates
 * and phone numbers as people type them.
 */
import type { Parsed } from "./identifiers.js";

export const CIVILITIES = { MADAME: "Madame", MONSIEUR: "Monsieur" } as const;

export const FAMILY_SITUATIONS = ["Célibataire", "Marié(e)", "Pacsé(e)", "En concubinage", "Divorcé(e)", "Séparé(e)", "Veuf/Veuve"] as const;

export const PROTECTION_TYPES = [
  "Tutelle",
  "Curatelle simple",
  "Curatelle renforcée",
  "Sauvegarde de justice",
  "Habilitation familiale",
  "Mandat de protection future",
] as const;

/** « 18/06/1950 », « 18-06-1950 », « 18 06 1950 » or « 1950-06-18 » (what a date input sends): a real date, at midnight UTC. */
export function parseFrenchDate(input: string): Parsed<Date> {
  const text = input.trim();
  let day: number, month: number, year: number;
  const french = /^(\d{1,2})[/.\s-](\d{1,2})[/.\s-](\d{4})$/.exec(text);
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (french) [day, month, year] = [Number(french[1]), Number(french[2]), Number(french[3])];
  else if (iso) [year, month, day] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
  else return { ok: false, message: "Indiquez la date sous la forme jour/mois/année, par exemple 18/06/1950." };
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    return { ok: false, message: "Cette date n'existe pas. Vérifiez le jour et le mois." };
  }
  return { ok: true, value: date };
}

/** A birth date: a real past date, at most 130 years ago. */
export function parseBirthDate(input: string, today: Date): Parsed<Date> {
  if (input.trim() === "") return { ok: false, message: "Indiquez votre date de naissance, ou cochez « Date de naissance inconnue »." };
  const parsed = parseFrenchDate(input);
  if (!parsed.ok) return parsed;
  const date = parsed.value;
  const year = date.getUTCFullYear();
  if (date > today) return { ok: false, message: "La date de naissance doit être dans le passé." };
  if (today.getUTCFullYear() - year > 130) return { ok: false, message: "Vérifiez l'année de naissance." };
  return { ok: true, value: date };
}

export function formatDate(date: Date): string {
  return date.toLocaleDateString("fr-FR", { timeZone: "UTC" });
}

/** A French phone number: 10 digits from 0, or +33; spaces, dots and dashes allowed. Returns « 06 12 34 56 78 ». */
export function parseFrenchPhone(input: string, kind: "mobile" | "fixe"): Parsed<string | null> {
  const compact = input.replace(/[\s.\-()]/g, "");
  if (compact === "") return { ok: true, value: null };
  const national = compact.replace(/^(\+33|0033)/, "0");
  if (!/^0\d{9}$/.test(national)) {
    return { ok: false, message: "Indiquez un numéro français à 10 chiffres, par exemple 06 12 34 56 78." };
  }
  const isMobile = /^0[67]/.test(national);
  if (kind === "mobile" && !isMobile) return { ok: false, message: "Un numéro de mobile commence par 06 ou 07." };
  if (kind === "fixe" && isMobile) return { ok: false, message: "Ce numéro est un mobile : indiquez-le dans « Téléphone mobile »." };
  return { ok: true, value: national.replace(/(\d{2})(?=\d)/g, "$1 ") };
}
