/**
 * A request as the agents handle it: finding it with what its page shows,
 * changing its status, assigning it, adding a note, revealing the IBAN,
 * opening a document. Each opening and each action is audited.
 */
import type { AppContext } from "../../context.js";
import type { RequestStatus } from "../../generated/prisma/enums.js";
import { formErrors, type FormErrors } from "../../lib/form-errors.js";
import { isRowId } from "../../lib/row-id.js";
import { audit } from "../audit/audit-log.js";
import { referenceData } from "../../db/reference-data.js";
import { isRequestNumber } from "../../lib/request-number.js";
import { TransitionRefused } from "../status/request-status.js";
import { changeStatus, MessageRequired } from "../status/status-service.js";
import { changeAssignment, type AssignmentResult } from "./assignment.js";

export class AgentRequestService {
  constructor(private readonly context: Pick<AppContext, "db" | "cipher" | "publicUrl" | "clock">) {}

  /** The request with its documents, history and notes; null for a number that is not one (or not found). */
  find(number: string) {
    if (!isRequestNumber(number)) return Promise.resolve(null);
    return this.context.db.request.findUnique({
      where: { number },
      include: {
        documents: { orderBy: { uploadedAt: "asc" } },
        missingDocuments: { orderBy: { createdAt: "asc" } },
        statusChanges: { orderBy: { createdAt: "asc" }, include: { actor: { select: { firstName: true, lastName: true, role: true } } } },
        notes: { orderBy: { createdAt: "asc" }, include: { author: { select: { firstName: true, lastName: true } } } },
        assignedAgent: { select: { id: true, firstName: true, lastName: true, disabledAt: true } },
      },
    });
  }

  /**
   * What the request page needs besides the request (the situations and
   * zonages its answers name), and the audit of its opening: the page shows
   * the applicant's profile and tax figures, and the spec wants every opening
   * of personal data by an agent in the audit log.
   */
  async openPage(input: { requestId: string; agentId: string }) {
    const { db } = this.context;
    // Both lists in one round trip, alongside the audit line.
    const [reference] = await Promise.all([referenceData(db), audit(db, { actorId: input.agentId, action: "REQUEST_VIEWED", requestId: input.requestId })]);
    return reference;
  }

  /** Changes the status and audits it, in one transaction. A refused transition changes nothing. */
  async changeStatus(input: {
    requestId: string;
    agentId: string;
    to: RequestStatus;
    message: string | null;
    validFrom?: Date;
    validUntil?: Date;
  }): Promise<{ ok: true } | { ok: false; errors: FormErrors }> {
    const { db, publicUrl } = this.context;
    try {
      await db.$transaction(async (tx) => {
        const before = await tx.request.findUniqueOrThrow({ where: { id: input.requestId }, select: { status: true, number: true } });
        await changeStatus(tx, {
          requestId: input.requestId,
          to: input.to,
          actor: "agent",
          actorId: input.agentId,
          message: input.message,
          publicUrl,
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

  /** « Me l'attribuer » (assign) or « Ne plus me l'attribuer », if the request is still assigned to `expected`; audited with it. */
  changeAssignment(input: { requestId: string; agentId: string; expected: string | null; assign: boolean }): Promise<AssignmentResult> {
    const { db, clock } = this.context;
    return db.$transaction((tx) => changeAssignment(tx, { ...input, now: clock.now() }));
  }

  async addNote(input: { requestId: string; agentId: string; text: string }): Promise<void> {
    await this.context.db.$transaction(async (tx) => {
      const note = await tx.internalNote.create({ data: { requestId: input.requestId, authorId: input.agentId, text: input.text } });
      await audit(tx, { actorId: input.agentId, action: "NOTE_ADDED", requestId: input.requestId, details: { noteId: note.id } });
    });
  }

  /** The IBAN in clear, by groups of four, on an explicit action that is audited first. */
  async revealIban(input: { requestId: string; agentId: string; ibanEncrypted: string; number: string | null }): Promise<string> {
    await audit(this.context.db, { actorId: input.agentId, action: "IBAN_REVEALED", requestId: input.requestId, details: { number: input.number } });
    return this.context.cipher
      .decrypt(input.ibanEncrypted)
      .replace(/(.{4})/g, "$1 ")
      .trim();
  }

  /** A document of a submitted request (never of a draft), its opening audited; null when there is none. */
  async openDocument(input: { documentId: string; agentId: string }) {
    const { db } = this.context;
    if (!isRowId(input.documentId)) return null;
    const document = await db.requestDocument.findFirst({
      where: { id: input.documentId, request: { status: { not: "DRAFT" } } },
      include: { request: { select: { number: true } } },
    });
    if (!document) return null;
    await audit(db, {
      actorId: input.agentId,
      action: "DOCUMENT_OPENED",
      requestId: document.requestId,
      details: { number: document.request.number, documentId: document.id },
    });
    return document;
  }
}
