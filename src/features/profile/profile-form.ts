/** The form of « Mes informations personnelles », with its French messages. */
import { z } from "zod";
import { CIVILITIES, FAMILY_SITUATIONS, PROTECTION_TYPES, parseBirthDate, parseFrenchPhone } from "../../domain/profile-values.js";
import { checkbox, emailAddress, personName, requiredText } from "../../lib/form-fields.js";
import { fieldText } from "../../lib/forms.js";

const optionalText = (max: number) =>
  z
    .string({ error: "Valeur invalide." })
    .trim()
    .max(max, `Ce champ ne doit pas dépasser ${max} caractères.`)
    .optional()
    .transform((value) => (value ? value : null));

const choice = <T extends readonly string[]>(values: T, missing: string) =>
  z.string({ error: missing }).refine((value): value is T[number] => (values as readonly string[]).includes(value), missing);

export const profileFieldOrder = [
  "civility",
  "familySituation",
  "firstName",
  "lastName",
  "birthName",
  "birthDate",
  "street",
  "addressLine2",
  "addressLine3",
  "postalCode",
  "city",
  "email",
  "currentPassword",
  "mobilePhone",
  "landlinePhone",
  "protectionMeasure",
  "protectionType",
] as const;

/** The fields each checked on its own. */
const profileFields = z.object({
  civility: choice(Object.keys(CIVILITIES) as (keyof typeof CIVILITIES)[], "Indiquez votre civilité."),
  familySituation: choice(FAMILY_SITUATIONS, "Indiquez votre situation familiale."),
  firstName: personName({ missing: "Indiquez votre prénom." }),
  lastName: personName({ missing: "Indiquez votre nom d'usage." }),
  birthName: personName({ missing: "Indiquez votre nom de naissance." }),
  birthDate: z.string().optional().default(""),
  birthDateUnknown: checkbox,
  street: requiredText({ missing: "Indiquez le numéro et la rue.", max: 200 }),
  addressLine2: optionalText(200),
  addressLine3: optionalText(200),
  postalCode: z
    .string({ error: "Indiquez le code postal." })
    .trim()
    .regex(/^\d{5}$/, "Le code postal compte 5 chiffres, par exemple 93000."),
  city: requiredText({ missing: "Indiquez la ville.", max: 100 }),
  email: emailAddress({ missing: "Indiquez votre adresse e-mail." }),
  // Checked against the account only when the address changes (ProfileService.emailChangePasswordProblem).
  currentPassword: z.string().optional().default(""),
  mobilePhone: z.string().optional().default(""),
  landlinePhone: z.string().optional().default(""),
  protectionMeasure: z.enum(["oui", "non"], { error: "Indiquez si vous bénéficiez d'une mesure de protection." }),
  protectionType: z.string().optional().default(""),
});

/**
 * zod runs an object's own checks only once every field is valid, which made
 * this page report its errors in two rounds. The checks that read the typed
 * text (a date, the phones, the type required by « Oui ») run here on the raw
 * body, beside the fields' own checks, so every error shows at once.
 */
export function profileForm(today: Date) {
  return z.record(z.string(), z.unknown()).transform((raw, context) => {
    const report = (path: string, message: string) => context.addIssue({ code: "custom", path: [path], message });
    const fields = profileFields.safeParse(raw);
    if (!fields.success) for (const issue of fields.error.issues) report(String(issue.path[0] ?? "formulaire"), issue.message);

    let birthDate: Date | null = null;
    if (!checkbox.safeParse(raw.birthDateUnknown).data) {
      const parsed = parseBirthDate(fieldText(raw.birthDate), today);
      if (parsed.ok) birthDate = parsed.value;
      else report("birthDate", parsed.message);
    }
    const mobile = parseFrenchPhone(fieldText(raw.mobilePhone), "mobile");
    if (!mobile.ok) report("mobilePhone", mobile.message);
    const landline = parseFrenchPhone(fieldText(raw.landlinePhone), "fixe");
    if (!landline.ok) report("landlinePhone", landline.message);
    const protected_ = raw.protectionMeasure === "oui";
    if (protected_ && !(PROTECTION_TYPES as readonly string[]).includes(fieldText(raw.protectionType))) {
      report("protectionType", "Indiquez le type de mesure de protection.");
    }
    if (!fields.success || !mobile.ok || !landline.ok) return z.NEVER;
    const values = fields.data;
    return {
      civility: values.civility,
      familySituation: values.familySituation,
      firstName: values.firstName,
      lastName: values.lastName,
      birthName: values.birthName,
      birthDate,
      birthDateUnknown: values.birthDateUnknown,
      street: values.street,
      addressLine2: values.addressLine2,
      addressLine3: values.addressLine3,
      postalCode: values.postalCode,
      city: values.city,
      email: values.email,
      mobilePhone: mobile.value,
      landlinePhone: landline.value,
      protectionMeasure: protected_,
      protectionType: protected_ ? values.protectionType : null,
    };
  });
}

export type ProfileInput = z.infer<ReturnType<typeof profileForm>>;

/** The two fields the e-mail change checks before anything else, as typed ("" when absent or repeated). */
export const emailChangeFields = z.object({ email: z.string().catch(""), currentPassword: z.string().catch("") });
