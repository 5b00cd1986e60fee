/**
 * The password rule of the guide: at least 12 characters and at least 3 of
 * the 4 kinds (upper case, lower case, digit, special character); plus a
 * refusal of well-known passwords, which the rule alone lets through
 * ("Password1234").
 */
import { dictionary } from "@zxcvbn-ts/language-common";

export const PASSWORD_MIN_LENGTH = 12;
/** argon2 hashes anything, but a cap stops a megabyte "password" tying up a core. */
export const PASSWORD_MAX_LENGTH = 128;

export const PASSWORD_RULE_TEXT = "Le mot de passe doit contenir au moins 12 caractères et respecter au moins 3 des règles suivantes :";
export const PASSWORD_RULE_ITEMS = ["une lettre majuscule", "une lettre minuscule", "un chiffre (de 0 à 9)", "un caractère spécial"] as const;

// French passwords that the (mostly English) list misses.
const FRENCH_COMMON = ["motdepasse", "azerty", "azertyuiop", "soleil", "bonjour", "doudou", "chouchou", "amethyste", "navigo"];
const commonPasswords = new Set<string>([...dictionary["passwords-common"].map((word) => word.toLowerCase()), ...FRENCH_COMMON]);

export function countCharacterKinds(password: string): number {
  return [/\p{Lu}/u, /\p{Ll}/u, /[0-9]/, /[^\p{L}0-9]/u].filter((kind) => kind.test(password)).length;
}

/** True when the password, or its letters without the digits and symbols added around them, is a well-known one. */
export function isCommonPassword(password: string): boolean {
  const lower = password.toLowerCase();
  if (commonPasswords.has(lower)) return true;
  const core = lower.replace(/^[^\p{L}]+|[^\p{L}]+$/gu, "");
  return core.length >= 6 && commonPasswords.has(core);
}

/** The French message explaining why the password is refused, or null when it is acceptable. */
export function passwordProblem(password: string): string | null {
  if (password.length < PASSWORD_MIN_LENGTH) {
    return "Le mot de passe doit contenir au moins 12 caractères.";
  }
  if (password.length > PASSWORD_MAX_LENGTH) {
    return "Le mot de passe doit contenir au plus 128 caractères.";
  }
  if (countCharacterKinds(password) < 3) {
    return "Le mot de passe doit contenir au moins 3 des 4 types de caractères: majuscule, minuscule, chiffre, caractère spécial.";
  }
  if (isCommonPassword(password)) {
    return "Ce mot de passe est trop courant et facile à deviner. Choisissez-en un autre.";
  }
  return null;
}
