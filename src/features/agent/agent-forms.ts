/** The forms of the agents' request page as zod schemas, with their French messages. */
import { z } from "zod";
import { RequestStatus } from "../../generated/prisma/enums.js";
import { parseFrenchDate } from "../../domain/profile-values.js";
import { textField } from "../../lib/forms.js";
import { MESSAGE_REQUIRED } from "../status/request-status.js";

// Optional: an absent field is "" like an empty one (zod 4 requires a key whose schema is not optional).
const text = textField;

export const STATUS_FORM_FIELDS = ["status", "message", "validFrom", "validUntil"] as const;

export interface StatusDecision {
  to: RequestStatus;
  message: string | null;
  validFrom?: Date;
  validUntil?: Date;
  /** « Confirmer » was pressed on the restated decision (a final one is never taken in one click). */
  confirmed: boolean;
}

/** A validity date of « Validée »: required, a real date. */
function validityDate(value: string, missing: string, issue: (message: string) => void): Date | undefined {
  if (!value) {
    issue(missing);
    return undefined;
  }
  const parsed = parseFrenchDate(value);
  if (parsed.ok) return parsed.value;
  issue(parsed.message);
  return undefined;
}

/** « Changer le statut »: the new status, the message to the applicant, and the validity dates of « Validée ». */
export const statusForm = z
  .object({ status: text, message: text, validFrom: text, validUntil: text, confirmed: text })
  .transform((form, ctx): StatusDecision => {
    const issue = (field: (typeof STATUS_FORM_FIELDS)[number]) => (message: string) => ctx.addIssue({ code: "custom", path: [field], message });
    const status = z.enum(RequestStatus).safeParse(form.status);
    if (!status.success) {
      issue("status")("Choisissez le nouveau statut.");
      return z.NEVER;
    }
    const to = status.data;
    if (MESSAGE_REQUIRED.has(to) && !form.message) {
      issue("message")(
        to === "REFUSED"
          ? "Indiquez la raison du refus : elle sera envoyée au demandeur."
          : "Indiquez la pièce demandée : le message sera envoyé au demandeur.",
      );
    }
    if (form.message.length > 2000) issue("message")("Le message ne doit pas dépasser 2000 caractères.");
    let validFrom: Date | undefined;
    let validUntil: Date | undefined;
    if (to === "APPROVED") {
      validFrom = validityDate(form.validFrom, "Indiquez le début de validité du droit.", issue("validFrom"));
      validUntil = validityDate(form.validUntil, "Indiquez la fin de validité du droit.", issue("validUntil"));
      if (validFrom && validUntil && validUntil <= validFrom) issue("validUntil")("La fin de validité doit être après le début.");
    }
    return {
      to,
      message: form.message || null,
      ...(validFrom ? { validFrom } : {}),
      ...(validUntil ? { validUntil } : {}),
      confirmed: form.confirmed === "oui",
    };
  });

/** « Ajouter une note » (internal: the applicant never sees it). */
export const noteForm = z.object({
  note: text
    .refine((note) => note !== "", "Écrivez la note avant de l'ajouter.")
    .refine((note) => note.length <= 5000, "La note ne doit pas dépasser 5000 caractères."),
});

/**
 * Said when the assignment form was not sent as the page made it (a hand-made or damaged request): bad input, not a conflict.
 * Not « rechargez la page »: this page answers a POST, and reloading it would send the same form again; its button is a fresh form.
 */
export const ASSIGNMENT_FORM_UNREADABLE = "Le formulaire d'attribution n'a pas pu être lu. Appuyez de nouveau sur le bouton d'attribution de cette page.";

const agentIdField = z
  .string({ error: ASSIGNMENT_FORM_UNREADABLE })
  .trim()
  .pipe(z.guid({ error: ASSIGNMENT_FORM_UNREADABLE }))
  .transform((value) => value.toLowerCase());

/**
 * « Me l'attribuer » / « Ne plus me l'attribuer »: the assignee the page
 * showed, so that a change made meanwhile by another agent is noticed rather
 * than overwritten. « Me l'attribuer » carries an account id, or "" when the
 * page showed nobody; « Ne plus me l'attribuer » is only shown to the agent
 * the request is assigned to, so it always carries an account id. Anything
 * else (no field, a repeated one, not an id) was not made by the page: it is
 * refused as bad input, whereas a well-formed id that is no longer the
 * assignee is a conflict the service reports.
 */
export function assignmentForm(assign: boolean) {
  const seen = assign ? z.union([z.literal("").transform(() => null), agentIdField], { error: ASSIGNMENT_FORM_UNREADABLE }) : agentIdField;
  return z.object({ attribueeA: seen });
}
