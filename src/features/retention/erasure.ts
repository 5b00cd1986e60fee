/**
 * Erasing an applicant's account: by the person (« Supprimer mon compte »)
 * or by the retention job (no activity for the configured period). One
 * function for both, so that the two can never differ in what they keep.
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
 * once the request is anonymised, and the notes' authors are agents.
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

/** The address an erased account keeps while finished requests point to it: unique, and deliverable nowhere. */
export function erasedEmail(userId: string): string {
  return `compte-supprime-${userId}@invalid`;
}

/**
 * Erases the account inside the caller's transaction; "processing" (nothing
 * done) while one of its requests is being processed: the Département still
 * needs the applicant's data to decide. Checked under a lock on the
 * account's row, so that two erasures of one account are one.
 */
export async function eraseAccount(tx: Transaction, userId: string, now: Date): Promise<ErasedAccount | "processing" | "gone"> {
  const user = await tx.$queryRaw<{ email: string }[]>`SELECT email FROM "User" WHERE id = ${userId}::uuid AND "deletedAt" IS NULL FOR UPDATE`;
  const email = user[0]?.email;
  if (email === undefined) return "gone";
  if ((await tx.request.count({ where: { applicantId: userId, status: { in: [...OPEN_STATUSES] } } })) > 0) return "processing";

  const documents = await tx.requestDocument.findMany({ where: { request: { applicantId: userId } }, select: { storedName: true } });
  await tx.requestDocument.deleteMany({ where: { request: { applicantId: userId } } });
  const drafts = await tx.request.findMany({ where: { applicantId: userId, status: "DRAFT" }, select: { id: true } });
  await tx.retentionNotice.deleteMany({ where: { kind: "DRAFT", subjectId: { in: drafts.map((draft) => draft.id) } } });
  await tx.request.deleteMany({ where: { applicantId: userId, status: "DRAFT" } });
  const anonymised = await tx.request.updateMany({
    where: { applicantId: userId },
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

  await tx.retentionNotice.deleteMany({ where: { kind: "ACCOUNT", subjectId: userId } });
  await tx.$executeRaw`DELETE FROM "session" WHERE (sess -> 'passport' -> 'user' ->> 'id') = ${userId}`;
  // Mails still waiting are left to the worker (it holds them by id); those already sent or given up on go.
  await tx.outboxMail.deleteMany({ where: { to: email, status: { in: ["SENT", "FAILED"] } } });
  await tx.invitation.deleteMany({ where: { email } });

  const stillReferenced = anonymised.count > 0 || (await tx.auditLog.count({ where: { actorId: userId } })) > 0;
  if (stillReferenced) {
    await tx.accountToken.deleteMany({ where: { userId } });
    await tx.profile.deleteMany({ where: { userId } });
    await tx.user.update({
      where: { id: userId },
      data: {
        email: erasedEmail(userId),
        firstName: "Compte",
        lastName: "supprimé",
        passwordHash: null,
        emailVerifiedAt: null,
        passwordChangedAt: null,
        lastLoginAt: null,
        disabledAt: now,
        deletedAt: now,
        // Ends any session the store still held under another shape.
        sessionVersion: { increment: 1 },
      },
    });
  } else {
    // Tokens and profile go with it (ON DELETE CASCADE); its history's actor becomes null.
    await tx.user.delete({ where: { id: userId } });
  }
  return { drafts: drafts.length, anonymised: anonymised.count, storedNames: documents.map((document) => document.storedName), rowDeleted: !stillReferenced };
}
