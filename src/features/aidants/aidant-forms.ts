/** The forms of « Mon aidant », of the aidant's invitation and of « Personnes que j'aide », with their French messages. */
import { z } from "zod";
import { emailAddress, personName } from "../../lib/form-fields.js";
import { isRowId } from "../../lib/row-id.js";

export const inviteForm = z.object({
  email: emailAddress({ missing: "Indiquez l'adresse e-mail de votre aidant." }),
});

/** The link's token as it comes (query string or hidden field): "" when it cannot be one. */
export const invitationToken = z.object({ token: z.string().catch("") }).catch({ token: "" });

export const accountNames = z.object({
  lastName: personName({ missing: "Indiquez votre nom." }),
  firstName: personName({ missing: "Indiquez votre prénom." }),
});

export const confirmEnd = z.object({
  confirm: z.literal("on", { error: "Cochez la case pour confirmer." }),
});

/** « Agir pour … »: the person chosen in the list. */
export const actForForm = z.object({ personId: z.string().refine(isRowId) }).catch({ personId: "" });
