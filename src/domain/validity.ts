/** The period a validated request gives the right to the forfait, as the applicant, the agents and the mails say it. */
import { formatDate } from "./profile-values.js";

/** « Droit valable du … au … », or null while the dates are unknown. */
export function validityText(request: { validFrom: Date | null; validUntil: Date | null }): string | null {
  return request.validFrom && request.validUntil ? `Droit valable du ${formatDate(request.validFrom)} au ${formatDate(request.validUntil)}` : null;
}
