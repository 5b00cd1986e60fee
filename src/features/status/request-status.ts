/**
 * The request's state machine: the only place that says which status may
 * follow which, and who may make the move. Everything that changes a status
 * goes through `assertTransition`, in `changeStatus` (status-service.ts, beside
 * this file).
 */
import type { RequestStatus } from "../../generated/prisma/enums.js";

export type { RequestStatus };

export const STATUS_LABELS: Record<RequestStatus, string> = {
  DRAFT: "Brouillon",
  SUBMITTED: "Déposée",
  IN_REVIEW: "En cours d'instruction",
  AWAITING_DOCUMENT: "En attente de pièce complémentaire",
  DOCUMENT_RECEIVED: "Pièce complémentaire reçue",
  APPROVED: "Validée",
  REFUSED: "Refusée",
  CLOSED: "Classée sans suite",
};

export type Actor = "applicant" | "agent";

/** For each status, the statuses it may move to, and who may move it there. */
const TRANSITIONS: Record<RequestStatus, Partial<Record<RequestStatus, Actor[]>>> = {
  DRAFT: { SUBMITTED: ["applicant"] },
  SUBMITTED: { IN_REVIEW: ["agent"], CLOSED: ["applicant", "agent"] },
  IN_REVIEW: { AWAITING_DOCUMENT: ["agent"], APPROVED: ["agent"], REFUSED: ["agent"], CLOSED: ["applicant", "agent"] },
  AWAITING_DOCUMENT: { DOCUMENT_RECEIVED: ["applicant"], CLOSED: ["applicant", "agent"] },
  DOCUMENT_RECEIVED: { IN_REVIEW: ["agent"], AWAITING_DOCUMENT: ["agent"], APPROVED: ["agent"], REFUSED: ["agent"], CLOSED: ["applicant", "agent"] },
  APPROVED: {},
  REFUSED: {},
  CLOSED: {},
};

/** Statuses that need a message to the applicant (« Réponse du département »). */
export const MESSAGE_REQUIRED: ReadonlySet<RequestStatus> = new Set<RequestStatus>(["AWAITING_DOCUMENT", "REFUSED"]);

/** Finished requests go to « Demandes terminées ». */
export const FINISHED_STATUSES: readonly RequestStatus[] = ["APPROVED", "REFUSED", "CLOSED"];

/**
 * Submitted and waiting for a final answer. An applicant has at most one
 * (a unique index says so too: migration 20261129140000_one_open_request).
 */
export const OPEN_STATUSES: readonly RequestStatus[] = ["SUBMITTED", "IN_REVIEW", "AWAITING_DOCUMENT", "DOCUMENT_RECEIVED"];

export function isFinished(status: RequestStatus): boolean {
  return FINISHED_STATUSES.includes(status);
}

export function canTransition(from: RequestStatus, to: RequestStatus, actor: Actor): boolean {
  return TRANSITIONS[from][to]?.includes(actor) ?? false;
}

export function allowedTransitions(from: RequestStatus, actor: Actor): RequestStatus[] {
  return (Object.entries(TRANSITIONS[from]) as [RequestStatus, Actor[]][]).filter(([, actors]) => actors.includes(actor)).map(([to]) => to);
}

export class TransitionRefused extends Error {
  constructor(
    readonly from: RequestStatus,
    readonly to: RequestStatus,
  ) {
    super(`Une demande « ${STATUS_LABELS[from]} » ne peut pas passer à « ${STATUS_LABELS[to]} ».`);
  }
}

export function assertTransition(from: RequestStatus, to: RequestStatus, actor: Actor): void {
  if (!canTransition(from, to, actor)) throw new TransitionRefused(from, to);
}
