/**
 * « Réponse du département »: what the département says now, that is the
 * answer that came with the request's current status. An older message (a
 * « pièce manquante » asked before the validation) belongs to the history,
 * never to the current answer.
 */
import type { RequestStatus, Role } from "../../generated/prisma/enums.js";
import { validityText } from "../../domain/validity.js";

export interface StatusChangeSeen {
  toStatus: RequestStatus;
  message: string | null;
  actor: { role: Role } | null;
}

export interface DepartmentAnswer {
  message: string | null;
  /** « Droit valable du … au … » once validated. */
  validity: string | null;
}

/** The answer of the current status, or null when the département has said nothing with it. */
export function departmentAnswer(
  request: { status: RequestStatus; validFrom: Date | null; validUntil: Date | null },
  latestChange: StatusChangeSeen | undefined,
): DepartmentAnswer | null {
  const fromDepartment = latestChange && latestChange.toStatus === request.status && latestChange.actor !== null && latestChange.actor.role !== "APPLICANT";
  const message = fromDepartment ? latestChange.message : null;
  const validity = request.status === "APPROVED" ? validityText(request) : null;
  return message || validity ? { message, validity } : null;
}
