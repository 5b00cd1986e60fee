/**
 * The administrators' forms as zod schemas. The participations and the
 * situations are one field per row of the database, so their schemas are
 * built from those rows.
 */
import { z } from "zod";
import { emailAddress, personName } from "../../lib/form-fields.js";
import { textField } from "../../lib/forms.js";
import { isRowId } from "../../lib/row-id.js";
import type { StatutRuleInput } from "./admin-service.js";

export const staffForm = z.object({
  lastName: personName({ missing: "Indiquez le nom." }),
  firstName: personName({ missing: "Indiquez le prénom." }),
  email: emailAddress({ missing: "Indiquez l'adresse e-mail professionnelle." }),
  role: z.enum(["AGENT", "ADMIN"], { error: "Choisissez le rôle." }),
});

/** « /admin/agents/:id/desactiver » or « …/reactiver »; anything else is the 404 page. */
export const staffActionParams = z.object({
  id: z.string().refine(isRowId),
  action: z.enum(["desactiver", "reactiver"]),
});

// Optional: an absent field is "" like an empty one (zod 4 requires a key whose schema is not optional).
const text = textField;

/** A yearly amount as typed (« 42 », « 42,50 », « 42 € »), in cents. */
function euroAmount(label: string) {
  return z
    .unknown()
    .optional()
    .transform((value) => (typeof value === "string" ? value.trim().replace(",", ".").replace(/\s|€/g, "") : ""))
    .refine((amount) => /^\d{1,4}(\.\d{1,2})?$/.test(amount), `Indiquez un montant en euros pour « ${label} », par exemple 42 ou 42,50.`)
    .transform((amount) => Math.round(Number(amount) * 100));
}

/** One amount per zonage, by its code: the cents of each. */
export function participationsForm(zonages: readonly { code: string; label: string }[]) {
  return z.object(Object.fromEntries(zonages.map((zonage) => [zonage.code, euroAmount(zonage.label)])));
}

/** The four fields of each situation, named « CODE-field ». */
export function statutFieldNames(statuts: readonly { code: string }[]): string[] {
  return statuts.flatMap(({ code }) => [`${code}-label`, `${code}-minimumAge`, `${code}-mustBeNonTaxable`, `${code}-situationDocument`]);
}

/** The rules of every situation, by code. */
export function statutsForm(statuts: readonly { code: string }[]) {
  const fields = statuts.flatMap(({ code }) => [
    [`${code}-label`, text.refine((label) => label !== "" && label.length <= 100, `Indiquez le libellé de la situation ${code} (100 caractères au plus).`)],
    [
      `${code}-minimumAge`,
      text.refine((age) => age === "" || /^\d{1,3}$/.test(age), `L'âge minimum de la situation ${code} est un nombre d'années, ou vide s'il n'y en a pas.`),
    ],
    [
      `${code}-mustBeNonTaxable`,
      z
        .unknown()
        .optional()
        .transform((value) => value === "on"),
    ],
    [
      `${code}-situationDocument`,
      text.refine((document) => document !== "" && document.length <= 300, `Indiquez le justificatif de la situation ${code} (300 caractères au plus).`),
    ],
  ]);
  return z.object(Object.fromEntries(fields) as Record<string, z.ZodType<string | boolean>>).transform((values) =>
    Object.fromEntries(
      statuts.map(({ code }): [string, StatutRuleInput] => {
        const age = String(values[`${code}-minimumAge`]);
        return [
          code,
          {
            label: String(values[`${code}-label`]),
            minimumAge: age ? Number(age) : null,
            mustBeNonTaxable: values[`${code}-mustBeNonTaxable`] === true,
            situationDocument: String(values[`${code}-situationDocument`]),
          },
        ];
      }),
    ),
  );
}
