/** « Mes demandes en cours », « Demandes terminées » and one request's page, for its applicant. */
import type { Database } from "../../db/prisma.js";
import type { RequestStatus } from "../../generated/prisma/enums.js";
import { FINISHED_STATUSES, OPEN_STATUSES } from "../status/request-status.js";

export const REQUEST_NUMBER = /^DEM-\d{10}$/;

export async function listRequests(db: Database, applicantId: string, options: { finished: boolean; newestFirst: boolean }) {
  const statusFilter = options.finished
    ? { in: [...FINISHED_STATUSES] as RequestStatus[] }
    : { notIn: [...FINISHED_STATUSES, "DRAFT"] as RequestStatus[] };
  return db.request.findMany({
    where: { applicantId, status: statusFilter },
    orderBy: { submittedAt: options.newestFirst ? "desc" : "asc" },
    include: {
      // The latest change: its message is « Réponse du département » when it led to the current status.
      statusChanges: { orderBy: { createdAt: "desc" }, take: 1, include: { actor: { select: { role: true } } } },
    },
  });
}

/** The applicant's own request by its number; null for anyone else's (the caller answers 404). */
export async function findOwnRequest(db: Database, applicantId: string, number: string) {
  if (!REQUEST_NUMBER.test(number)) return null;
  return db.request.findFirst({
    where: { number, applicantId },
    include: {
      documents: { orderBy: { uploadedAt: "asc" } },
      statusChanges: { orderBy: { createdAt: "asc" }, include: { actor: { select: { role: true } } } },
    },
  });
}

/** The applicant's request waiting for a final answer, if any (there is at most one). */
export async function findOpenRequest(db: Database, applicantId: string) {
  return db.request.findFirst({
    where: { applicantId, status: { in: [...OPEN_STATUSES] } },
    select: { id: true, number: true, status: true, submittedAt: true },
  });
}
