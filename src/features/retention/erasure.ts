/**
 * Erasing applicants' accounts: by the person (« Supprimer mon compte ») or
 * by the retention job (no activity for the configured period). One
 * function for both, so that the two can never differ in what they keep;
 * set-based (a statement per step for a whole batch of accounts), so that a
 * catch-up run over thousands of accounts stays short.
 *
 * Deleted: the profile, the pending links, the drafts, every document (rows
 * here, files by the caller once the transaction committed), the sessions,
 * the mails already sent to the address, the invitations made for it.
 * Kept, anonymised: the finished requests (the Département's record of a
 * decision and of the money paid), without the name, address, e-mail, IBAN,
 * Navigo number, aidant, or the profile as submitted. While such a request
 * points to the account, its row stays as an empty shell (no name, no
 * address, no password: nobody can log in to it); otherwise it is deleted.
 *
 * Kept as they are: the status history and its messages (the decision's
 * wording, which the person received) and the agents' internal notes (the
 * Département's own record of its instruction); neither names the person
 * once the request is anonymised, and the notes' authors are agents. The
 * person named as aidant in someone else's request stays there: that
 * request is the other person's.
 */
import type { Transaction } from "../../db/prisma.js";
import { Prisma } from "../../generated/prisma/client.js";
import { OPEN_STATUSES } from "../status/request-status.js";

export interface ErasedAccount {
  /** Drafts deleted. */
  drafts: number;
  /** Finished requests kept, anonymised. */
  anonymised: number;
  /** Stored names of the deleted documents: the caller removes the files after the commit. */
  storedNames: string[];
  /** Whether the account row itself is gone (no finished request kept it). */
  rowDeleted: boolean;
}

export interface ErasedAccounts {
  /** The accounts erased, with what the confirmation mail needs (read before the erasure). */
  erased: { id: string; email: string; firstName: string }[];
  /** Accounts left alone: one of their requests is being processed. */
  processing: string[];
  drafts: number;
  anonymised: number;
  storedNames: string[];
  rowsDeleted: number;
}

/** The address an erased account keeps while finished requests point to it: unique, and deliverable nowhere. */
export function erasedEmail(userId: string): string {
  return `compte-supprime-${userId}@invalid`;
}

const openStatuses = Prisma.join(OPEN_STATUSES.map((status) => Prisma.sql`${status}::"RequestStatus"`));

/**
 * Erases the accounts inside the caller's transaction, except those with a
 * request being processed (the Département still needs the applicant's data
 * to decide) and those already erased. Checked under a lock on the
 * accounts' rows, so that two erasures of one account are one.
 */
export async function eraseAccounts(tx: Transaction, userIds: string[], now: Date): Promise<ErasedAccounts> {
  const locked = await tx.$queryRaw<{ id: string; email: string; firstName: string; processing: boolean }[]>`
    SELECT u.id, u.email, u."firstName",
      EXISTS (SELECT 1 FROM "Request" r WHERE r."applicantId" = u.id AND r.status IN (${openStatuses})) AS processing
    FROM "User" u WHERE u.id = ANY(${userIds}::uuid[]) AND u."deletedAt" IS NULL ORDER BY u.id FOR UPDATE OF u`;
  const erased = locked.filter((user) => !user.processing).map(({ id, email, firstName }) => ({ id, email, firstName }));
  const processing = locked.filter((user) => user.processing).map((user) => user.id);
  const ids = erased.map((user) => user.id);
  const emails = erased.map((user) => user.email);
  if (ids.length === 0) return { erased, processing, drafts: 0, anonymised: 0, storedNames: [], rowsDeleted: 0 };

  const documents = await tx.$queryRaw<{ storedName: string }[]>`
    DELETE FROM "RequestDocument" d USING "Request" r WHERE d."requestId" = r.id AND r."applicantId" = ANY(${ids}::uuid[]) RETURNING d."storedName"`;
  const drafts = await tx.$queryRaw<{ id: string }[]>`DELETE FROM "Request" WHERE "applicantId" = ANY(${ids}::uuid[]) AND status = 'DRAFT' RETURNING id`;
  await tx.retentionNotice.deleteMany({ where: { subjectId: { in: [...ids, ...drafts.map((draft) => draft.id)] } } });
  const anonymised = await tx.request.updateMany({
    where: { applicantId: { in: ids } },
    data: {
      navigoNumber: null,
      aidantName: null,
      aidantEmail: null,
      ibanEncrypted: null,
      ibanLast4: null,
      bic: null,
      accountHolder: null,
      profileSnapshot: Prisma.DbNull,
      pendingInput: Prisma.DbNull,
      satisfactionComment: null,
    },
  });
  await tx.$executeRaw`DELETE FROM "session" WHERE (sess -> 'passport' -> 'user' ->> 'id') = ANY(${ids}::text[])`;
  // Mails still waiting are left to the worker (it holds them by id); those already sent or given up on go.
  await tx.outboxMail.deleteMany({ where: { to: { in: emails }, status: { in: ["SENT", "FAILED"] } } });
  await tx.invitation.deleteMany({ where: { email: { in: emails } } });
  await tx.accountToken.deleteMany({ where: { userId: { in: ids } } });
  await tx.profile.deleteMany({ where: { userId: { in: ids } } });

  // Accounts nothing points to any more are deleted (their history's actor becomes null); the others become empty shells.
  const deleted = await tx.$executeRaw`
    DELETE FROM "User" u WHERE u.id = ANY(${ids}::uuid[])
      AND NOT EXISTS (SELECT 1 FROM "Request" r WHERE r."applicantId" = u.id)
      AND NOT EXISTS (SELECT 1 FROM "AuditLog" a WHERE a."actorId" = u.id)`;
  await tx.$executeRaw`
    UPDATE "User" SET email = 'compte-supprime-' || id || '@invalid', "firstName" = 'Compte', "lastName" = 'supprimé',
      "passwordHash" = NULL, "emailVerifiedAt" = NULL, "passwordChangedAt" = NULL, "lastLoginAt" = NULL,
      "disabledAt" = ${now}, "deletedAt" = ${now}, "sessionVersion" = "sessionVersion" + 1, "updatedAt" = ${now}
    WHERE id = ANY(${ids}::uuid[])`;
  return { erased, processing, drafts: drafts.length, anonymised: anonymised.count, storedNames: documents.map((row) => row.storedName), rowsDeleted: deleted };
}

/** One account: "processing" (nothing done) while one of its requests is being processed; "gone" when already erased. */
export async function eraseAccount(tx: Transaction, userId: string, now: Date): Promise<ErasedAccount | "processing" | "gone"> {
  const result = await eraseAccounts(tx, [userId], now);
  if (result.processing.length > 0) return "processing";
  if (result.erased.length === 0) return "gone";
  return { drafts: result.drafts, anonymised: result.anonymised, storedNames: result.storedNames, rowDeleted: result.rowsDeleted === 1 };
}
