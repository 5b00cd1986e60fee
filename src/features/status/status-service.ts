/**
 * Every status change of a request goes through here: the state machine says
 * whether it is allowed, the change and its message are recorded in the
 * history, and the applicant and the aidant get a mail — all in one
 * transaction.
 */
import type { RequestStatus } from "../../generated/prisma/enums.js";
import { assertTransition, MESSAGE_REQUIRED, STATUS_LABELS, type Actor } from "./request-status.js";
import { queueMail } from "../../mail/outbox.js";
import { mailLinks, statusChangedMail } from "../../mail/messages.js";
import type { Transaction } from "../../db/prisma.js";
import { validityText } from "../../domain/validity.js";

export class MessageRequired extends Error {
  constructor(readonly to: RequestStatus) {
    super(`Un message au demandeur est obligatoire pour « ${STATUS_LABELS[to]} ».`);
  }
}

export async function changeStatus(
  tx: Transaction,
  input: {
    requestId: string;
    to: RequestStatus;
    actor: Actor;
    actorId: string;
    message?: string | null;
    publicUrl: string;
    /** Submission sends its own, more detailed mail to the applicant. */
    skipApplicantMail?: boolean;
    /** Fields that change with the status (the validity dates of « Validée »). */
    data?: { validFrom?: Date; validUntil?: Date };
  },
): Promise<void> {
  // Locks the row: two agents (or a double click) cannot both move it.
  const [locked] = await tx.$queryRaw<{ status: RequestStatus }[]>`SELECT status FROM "Request" WHERE id = ${input.requestId}::uuid FOR UPDATE`;
  if (!locked) throw new Error("Demande introuvable");
  assertTransition(locked.status, input.to, input.actor);
  const message = input.message?.trim() || null;
  if (MESSAGE_REQUIRED.has(input.to) && !message) throw new MessageRequired(input.to);

  const request = await tx.request.update({
    where: { id: input.requestId },
    data: { ...input.data, status: input.to },
    include: { applicant: { select: { email: true, firstName: true, lastName: true } } },
  });
  await tx.statusChange.create({
    data: { requestId: request.id, fromStatus: locked.status, toStatus: input.to, actorId: input.actorId, message },
  });

  const number = request.number!;
  const link = mailLinks(input.publicUrl).myRequest(number);
  const label = STATUS_LABELS[input.to];
  const name = `${request.applicant.firstName} ${request.applicant.lastName}`;
  const validity = input.to === "APPROVED" ? validityText(request) : null;
  const attestation = validity ? mailLinks(input.publicUrl).attestation(number) : null;
  if (!input.skipApplicantMail) {
    await queueMail(tx, request.applicant.email, statusChangedMail("applicant", name, number, label, link, validity, attestation));
  }
  if (request.aidantEmail) {
    await queueMail(tx, request.aidantEmail, statusChangedMail("aidant", name, number, label, link, validity, attestation));
  }
}
