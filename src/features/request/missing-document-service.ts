/**
 * « Je ne peux pas fournir ce document »: the draft's declarations that a
 * required document cannot be given, one per section. Only a draft's: once
 * sent, the agent asks for something else through « Pièce complémentaire demandée ».
 */
import type { AppContext } from "../../context.js";
import type { MissingDocumentInput } from "./missing-document-form.js";

export class MissingDocumentService {
  constructor(private readonly ctx: Pick<AppContext, "db">) {}

  /** Declares (or replaces) why the section's document cannot be given; false when the request is no longer a draft. */
  async declare(requestId: string, section: string, input: MissingDocumentInput): Promise<boolean> {
    return this.ctx.db.$transaction(async (tx) => {
      const draft = await tx.request.findFirst({ where: { id: requestId, status: "DRAFT" }, select: { id: true } });
      if (!draft) return false;
      await tx.missingDocument.upsert({
        where: { requestId_section: { requestId, section } },
        create: { requestId, section, reason: input.reason, details: input.details },
        update: { reason: input.reason, details: input.details },
      });
      return true;
    });
  }

  /** « J'ai finalement ce document », or a file added to the section: the declaration goes. */
  async withdraw(requestId: string, section: string): Promise<boolean> {
    const { count } = await this.ctx.db.missingDocument.deleteMany({ where: { requestId, section, request: { status: "DRAFT" } } });
    return count > 0;
  }
}
