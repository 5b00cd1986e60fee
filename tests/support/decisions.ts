/** Sent requests with a status history written directly in the database (the statistics read StatusChange). */
import type { Database } from "../../src/db/prisma.js";
import type { RequestStatus } from "../../src/generated/prisma/enums.js";
import { seedRequest } from "./back-office.js";

export const DAY = 86_400_000;

/** A sent request with its history: sent at `submittedAt`, optionally asked for a document, then decided (or closed) at `endedAt`. */
export async function seedHistory(db: Database, history: { submittedAt: Date; status: RequestStatus; endedAt?: Date; waited?: boolean; email?: string }) {
  const request = await seedRequest(db, { submittedAt: history.submittedAt, status: history.status, email: history.email });
  const changes: { toStatus: RequestStatus; fromStatus: RequestStatus | null; createdAt: Date }[] = [
    { fromStatus: null, toStatus: "SUBMITTED", createdAt: history.submittedAt },
  ];
  if (history.endedAt) {
    const reviewAt = new Date(history.submittedAt.getTime() + (history.endedAt.getTime() - history.submittedAt.getTime()) / 4);
    changes.push({ fromStatus: "SUBMITTED", toStatus: "IN_REVIEW", createdAt: reviewAt });
    if (history.waited) {
      const askedAt = new Date(reviewAt.getTime() + 1000);
      changes.push({ fromStatus: "IN_REVIEW", toStatus: "AWAITING_DOCUMENT", createdAt: askedAt });
      changes.push({ fromStatus: "AWAITING_DOCUMENT", toStatus: "DOCUMENT_RECEIVED", createdAt: new Date(askedAt.getTime() + 1000) });
    }
    changes.push({ fromStatus: history.waited ? "DOCUMENT_RECEIVED" : "IN_REVIEW", toStatus: history.status, createdAt: history.endedAt });
  }
  await db.statusChange.createMany({ data: changes.map((change) => ({ requestId: request.id, ...change })) });
  return request;
}

/** Decided `days` (whole) after it was sent. */
export const decided = (db: Database, decidedAt: string, days: number, status: "APPROVED" | "REFUSED", waited = false) =>
  seedHistory(db, { submittedAt: new Date(new Date(decidedAt).getTime() - days * DAY), endedAt: new Date(decidedAt), status, waited });
