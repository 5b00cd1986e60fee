/**
 * zod building blocks for form fields, with their French messages. Bodies
 * come from HTML forms: every value is a string (or an array when a field is
 * repeated by a crafted request, which gets the same message).
 */
import { z } from "zod";

export function requiredText(options: { missing: string; max: number; tooLong?: string }) {
  return z
    .string({ error: options.missing })
    .trim()
    .min(1, options.missing)
    .max(options.max, options.tooLong ?? `Ce champ ne doit pas dépasser ${options.max} caractères.`);
}

/** A person's name: letters (accents included), spaces, hyphens, apostrophes and dots. */
export function personName(options: { missing: string }) {
  return requiredText({ missing: options.missing, max: 100, tooLong: "Ce nom ne doit pas dépasser 100 caractères." }).regex(
    /^[\p{L}][\p{L}\p{M} '’.-]*$/u,
    "Utilisez uniquement des lettres, des espaces, des tirets et des apostrophes.",
  );
}

export function emailAddress(options: { missing: string }) {
  return z
    .string({ error: options.missing })
    .trim()
    .min(1, options.missing)
    .max(254, "L'adresse e-mail ne doit pas dépasser 254 caractères.")
    .pipe(z.email("Indiquez une adresse e-mail valide, par exemple nom@exemple.fr."));
}

/** A password as typed: never trimmed (spaces may be part of it). */
export function typedPassword(options: { missing: string }) {
  return z.string({ error: options.missing }).min(1, options.missing).max(1024, "Ce mot de passe est trop long.");
}

/** A checkbox: present ("on") or absent. */
export const checkbox = z.preprocess((value) => value === "on" || value === "true", z.boolean());
