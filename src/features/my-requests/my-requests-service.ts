/**
 * « Mes demandes en cours », « Demandes terminées » and one request's page,
 * for its applicant: reading them, withdrawing one, adding the pieces the
 * département asks for. Built once (createServices) and handed to the routes.
 */
import type { AppContext } from "../../context.js";
import { referenceData } from "../../db/reference-data.js";
import type { RequestStatus } from "../../generated/prisma/enums.js";
import { FINISHED_STATUSES } from "../status/request-status.js";
import { isRequestNumber } from "../../lib/request-number.js";
import { COMPLEMENT_SECTION } from "../../domain/required-documents.js";
import type { DocumentService } from "../documents/document-service.js";
import type { ReceivedFile } from "../documents/upload.js";
import { complementLimits } from "../documents/upload-limits.js";
import { COMPLEMENT_STATUSES } from "./complements.js";
import { changeStatus } from "../status/status-service.js";

export type OwnRequest = NonNullable<Awaited<ReturnType<MyRequestsService["findOwnRequest"]>>>;

export class MyRequestsService {
  constructor(
    private readonly ctx: Pick<AppContext, "db" | "publicUrl">,
    private readonly documents: DocumentService,
  ) {}

  async listRequests(applicantId: string, options: { finished: boolean; newestFirst: boolean }) {
    const statusFilter = options.finished ? { in: [...FINISHED_STATUSES] as RequestStatus[] } : { notIn: [...FINISHED_STATUSES, "DRAFT"] as RequestStatus[] };
    return this.ctx.db.request.findMany({
      where: { applicantId, status: statusFilter },
      orderBy: { submittedAt: options.newestFirst ? "desc" : "asc" },
      include: {
        // The latest change: its message is « Réponse du département » when it led to the current status.
        statusChanges: { orderBy: { createdAt: "desc" }, take: 1, include: { actor: { select: { role: true } } } },
      },
    });
  }

  /** The applicant's own request by its number; null for anyone else's (the caller answers 404). */
  async findOwnRequest(applicantId: string, number: string) {
    if (!isRequestNumber(number)) return null;
    return this.ctx.db.request.findFirst({
      where: { number, applicantId },
      include: {
        documents: { orderBy: { uploadedAt: "asc" } },
        missingDocuments: { orderBy: { createdAt: "asc" } },
        statusChanges: { orderBy: { createdAt: "asc" }, include: { actor: { select: { role: true, firstName: true, lastName: true } } } },
      },
    });
  }

  /** The situations and zones the answers refer to. */
  referenceData() {
    return referenceData(this.ctx.db);
  }

  /** « Retirer ma demande » (« Classée sans suite »); TransitionRefused when it can no longer be withdrawn. */
  async withdraw(request: OwnRequest, actorId: string): Promise<void> {
    await this.ctx.db.$transaction((tx) =>
      changeStatus(tx, { requestId: request.id, to: "CLOSED", actor: "applicant", actorId, message: null, publicUrl: this.ctx.publicUrl }),
    );
  }

  /**
   * « Joindre un ou plusieurs fichiers » + « Envoyer ». Checked again under the
   * request's lock: two « Envoyer » at once are serialised, and only the first
   * batch moves the request to « Pièce complémentaire reçue ».
   */
  addComplements(request: OwnRequest, actorId: string, files: ReceivedFile[], statusRefused: string) {
    return this.documents.save({
      requestId: request.id,
      section: COMPLEMENT_SECTION.code,
      files,
      limits: complementLimits,
      acceptedStatuses: COMPLEMENT_STATUSES,
      statusRefused,
      alsoInTransaction: async (tx, status) => {
        if (status !== "AWAITING_DOCUMENT") return;
        await changeStatus(tx, { requestId: request.id, to: "DOCUMENT_RECEIVED", actor: "applicant", actorId, publicUrl: this.ctx.publicUrl });
      },
    });
  }
}
