/** What an agent does on a request: change its status, add a note, reveal the IBAN. Each action is audited. */
import type { Database } from "../../db/prisma.js";
import type { RequestStatus } from "../../generated/prisma/enums.js";
import { MESSAGE_REQUIRED, STATUS_LABELS, TransitionRefused } from "../status/request-status.js";
import { parseFrenchDate } from "../../domain/profile-values.js";
import type { FieldCipher } from "../../lib/encryption.js";
import { formErrors, type FormErrors } from "../../lib/form-errors.js";
import { fieldText } from "../../lib/forms.js";
import { changeStatus, MessageRequired } from "../status/status-service.js";
import { audit } from "../audit/audit-log.js";

export interface AgentContext {
  db: Database;
  cipher: FieldCipher;
  publicUrl: string;
}


/** Validates the status form; returns the change to make, or the French messages. */
export function parseStatusForm(body: Record<string, unknown>): { ok: true; to: RequestStatus; message: string | null; validFrom?: Date; validUntil?: Date } | { ok: false; errors: FormErrors } {
  const problems: [string, string][] = [];
  const to = (Object.keys(STATUS_LABELS) as RequestStatus[]).find((status) => status === fieldText(body.status));
  if (!to) return { ok: false, errors: formErrors([["status", "Choisissez le nouveau statut."]]) };
  const message = fieldText(body.message);
  if (MESSAGE_REQUIRED.has(to) && !message) {
    problems.push(["message", to === "REFUSED" ? "Indiquez la raison du refus : elle sera envoyée au demandeur." : "Indiquez la pièce demandée : le message sera envoyé au demandeur."]);
  }
  if (message.length > 2000) problems.push(["message", "Le message ne doit pas dépasser 2000 caractères."]);
  let validFrom: Date | undefined;
  let validUntil: Date | undefined;
  if (to === "APPROVED") {
    const from = parseFrenchDate(fieldText(body.validFrom));
    const until = parseFrenchDate(fieldText(body.validUntil));
    if (!fieldText(body.validFrom)) problems.push(["validFrom", "Indiquez le début de validité du droit."]);
    else if (!from.ok) problems.push(["validFrom", from.message]);
    else validFrom = from.value;
    if (!fieldText(body.validUntil)) problems.push(["validUntil", "Indiquez la fin de validité du droit."]);
    else if (!until.ok) problems.push(["validUntil", until.message]);
    else validUntil = until.value;
    if (validFrom && validUntil && validUntil <= validFrom) problems.push(["validUntil", "La fin de validité doit être après le début."]);
  }
  if (problems.length > 0) return { ok: false, errors: formErrors(problems) };
  return { ok: true, to, message: message || null, ...(validFrom ? { validFrom } : {}), ...(validUntil ? { validUntil } : {}) };
}

/** Changes the status and audits it, in one transaction. A refused transition changes nothing. */
export async function agentChangesStatus(
  ctx: AgentContext,
  input: { requestId: string; agentId: string; to: RequestStatus; message: string | null; validFrom?: Date; validUntil?: Date },
): Promise<{ ok: true } | { ok: false; errors: FormErrors }> {
  try {
    await ctx.db.$transaction(async (tx) => {
      const before = await tx.request.findUniqueOrThrow({ where: { id: input.requestId }, select: { status: true, number: true } });
      await changeStatus(tx, {
        requestId: input.requestId,
        to: input.to,
        actor: "agent",
        actorId: input.agentId,
        message: input.message,
        publicUrl: ctx.publicUrl,
        ...(input.validFrom && input.validUntil ? { data: { validFrom: input.validFrom, validUntil: input.validUntil } } : {}),
      });
      await audit(tx, {
        actorId: input.agentId,
        action: "STATUS_CHANGED",
        requestId: input.requestId,
        details: { number: before.number, from: before.status, to: input.to },
      });
    });
    return { ok: true };
  } catch (error) {
    if (error instanceof TransitionRefused || error instanceof MessageRequired) {
      return { ok: false, errors: formErrors([[error instanceof MessageRequired ? "message" : "status", error.message]]) };
    }
    throw error;
  }
}

export async function addNote(ctx: AgentContext, input: { requestId: string; agentId: string; text: string }): Promise<void> {
  await ctx.db.$transaction(async (tx) => {
    const note = await tx.internalNote.create({ data: { requestId: input.requestId, authorId: input.agentId, text: input.text } });
    await audit(tx, { actorId: input.agentId, action: "NOTE_ADDED", requestId: input.requestId, details: { noteId: note.id } });
  });
}

/** The IBAN in clear, on an explicit action that is audited first. */
export async function revealIban(ctx: AgentContext, input: { requestId: string; agentId: string; ibanEncrypted: string; number: string | null }): Promise<string> {
  await audit(ctx.db, { actorId: input.agentId, action: "IBAN_REVEALED", requestId: input.requestId, details: { number: input.number } });
  return ctx.cipher.decrypt(input.ibanEncrypted).replace(/(.{4})/g, "$1 ").trim();
}
