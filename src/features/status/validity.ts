/** « Droit valable du … au … »: the validity dates a request gets when it is validated. */
import { formatDate } from "../../domain/profile-values.js";

export function validityText(request: { validFrom: Date | null; validUntil: Date | null }): string | null {
  return request.validFrom && request.validUntil ? `Droit valable du ${formatDate(request.validFrom)} au ${formatDate(request.validUntil)}` : null;
}
