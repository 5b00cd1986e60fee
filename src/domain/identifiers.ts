/**
 * Parsing of what people type for their Navigo number, bank details and tax
 * figures: forgiving on spaces, punctuation and case; strict on the result.
 * Each parser returns the clean value or a French message.
 */
import { electronicFormatIBAN, isValidBIC, validateIBAN } from "ibantools";

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

/** The number printed next to the chip: spaces and the letter removed, digits only after that. */
export function parseNavigoNumber(input: string): Parsed<string> {
  const cleaned = input.replace(/[\s.-]/g, "").replace(/^[A-Za-z]+|[A-Za-z]+$/g, "");
  if (cleaned === "") return { ok: false, message: "Indiquez le numéro de votre Passe Navigo." };
  if (!/^\d+$/.test(cleaned)) return { ok: false, message: "Le numéro de Passe Navigo ne contient que des chiffres (après la lettre éventuelle)." };
  if (cleaned.length < 8 || cleaned.length > 12) {
    return { ok: false, message: "Le numéro de Passe Navigo compte entre 8 et 12 chiffres. Vérifiez-le sur votre passe, à côté de la puce." };
  }
  return { ok: true, value: cleaned };
}

/** IBAN: country code, length for that country, and the mod-97 check (ibantools). */
export function parseIban(input: string): Parsed<string> {
  const iban = electronicFormatIBAN(input.replace(/[^A-Za-z0-9]/g, "")) ?? "";
  if (iban === "") return { ok: false, message: "Indiquez le numéro IBAN." };
  if (!/^[A-Z]{2}\d{2}/.test(iban)) return { ok: false, message: "Un IBAN commence par 2 lettres (le pays, FR en France) puis 2 chiffres." };
  const result = validateIBAN(iban);
  if (!result.valid) return { ok: false, message: "Ce numéro IBAN n'est pas valide. Vérifiez-le sur votre RIB (27 caractères en France)." };
  return { ok: true, value: iban };
}

/** BIC (ISO 9362): 8 or 11 characters. */
export function parseBic(input: string): Parsed<string> {
  const bic = input.replace(/\s/g, "").toUpperCase();
  if (bic === "") return { ok: false, message: "Indiquez le BIC." };
  if (!isValidBIC(bic)) return { ok: false, message: "Le BIC compte 8 ou 11 caractères, par exemple BNPAFRPP. Vérifiez-le sur votre RIB." };
  return { ok: true, value: bic };
}

/** « FR76 •••• •••• •••• •••• •••• 189 » → shows only the last 4 characters. */
export function maskIban(last4: string): string {
  return `•••• •••• •••• •••• •••• ${last4}`;
}

/** Revenu fiscal de référence: whole euros, 0 or more; spaces as thousands separators allowed. */
export function parseTaxIncome(input: string): Parsed<number> {
  const cleaned = input.replace(/[\s\u202f\u00a0]/g, "").replace(/€$/, "");
  if (cleaned === "") return { ok: false, message: "Indiquez votre revenu fiscal de référence." };
  if (!/^\d+$/.test(cleaned)) return { ok: false, message: "Indiquez un montant en euros, sans centimes, par exemple 12500." };
  const value = Number(cleaned);
  if (value > 10_000_000) return { ok: false, message: "Ce montant semble trop élevé. Vérifiez-le sur votre avis d'imposition." };
  return { ok: true, value };
}

/** Nombre de parts fiscales: 1 to 10 by 0.25; a decimal comma is accepted. */
export function parseTaxShares(input: string): Parsed<number> {
  const cleaned = input.trim().replace(",", ".");
  if (cleaned === "") return { ok: false, message: "Indiquez votre nombre de parts fiscales." };
  if (!/^\d+(\.\d+)?$/.test(cleaned)) return { ok: false, message: "Indiquez un nombre, par exemple 1 ou 1,5." };
  const value = Number(cleaned);
  if (value < 1 || value > 10) return { ok: false, message: "Le nombre de parts fiscales est compris entre 1 et 10." };
  if (!Number.isInteger(value * 4)) return { ok: false, message: "Le nombre de parts va de 0,25 en 0,25 (par exemple 1,25 ou 2,5)." };
  return { ok: true, value };
}

export function formatShares(value: number): string {
  return String(value).replace(".", ",");
}
