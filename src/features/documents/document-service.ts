/**
 * The applicants' documents: receiving and keeping files, finding one for
 * its owner, removing one from a draft. Built once (createServices) and
 * handed to the routes, which never query the database themselves.
 */
import type { Request, Response } from "express";
import type { AppContext } from "../../context.js";
import { z } from "zod";
import { saveDocuments } from "./save-documents.js";
import { sendDocument } from "./send-document.js";
import { discardAll, receiveFiles, type ReceivedFile } from "./upload.js";

const lockedStatusSchema = z.object({ status: z.string() });

export class DocumentService {
  constructor(private readonly ctx: Pick<AppContext, "db" | "storage" | "antivirus">) {}

  /** Multer then the CSRF check, files written to the private temporary folder (upload.ts). */
  receive(field: string, onRefused: (req: Request, res: Response, message: string) => void | Promise<void>) {
    return receiveFiles(this.ctx.storage, field, onRefused);
  }

  /** Removes received files that will not be kept. */
  discard(files: ReceivedFile[]): Promise<void> {
    return discardAll(this.ctx.storage, files);
  }

  /** Checks (type, inflated size, antivirus), keeps and records received files (save-documents.ts). */
  save(input: Parameters<typeof saveDocuments>[1]) {
    return saveDocuments(this.ctx, input);
  }

  /** A document of one of the applicant's requests; null for anyone else's (the caller answers 404). */
  findOwn(userId: string, id: string) {
    return this.ctx.db.requestDocument.findFirst({ where: { id, request: { applicantId: userId } } });
  }

  /** A document of the applicant's draft, which they may still remove. */
  findInDraft(userId: string, id: string) {
    return this.ctx.db.requestDocument.findFirst({ where: { id, request: { applicantId: userId, status: "DRAFT" } } });
  }

  /**
   * Removes a file of the applicant's draft; null when there is none to remove.
   * Under the request's lock, like uploads and the submission: a file is never
   * removed from a request that is being submitted, nor after. The row goes
   * first, then the file (a crash in between leaves a file the sweeper removes).
   */
  async removeFromDraft(userId: string, id: string) {
    const document = await this.ctx.db.$transaction(async (tx) => {
      const found = await tx.requestDocument.findFirst({ where: { id, request: { applicantId: userId } } });
      if (!found) return null;
      const [row] = await tx.$queryRaw<unknown[]>`SELECT status FROM "Request" WHERE id = ${found.requestId}::uuid FOR UPDATE`;
      if (row === undefined || lockedStatusSchema.parse(row).status !== "DRAFT") return null;
      await tx.requestDocument.delete({ where: { id: found.id } });
      return found;
    });
    if (document) await this.ctx.storage.remove(document.storedName);
    return document;
  }

  /** Streams a document to a reader already authorized. */
  send(res: Response, document: Parameters<typeof sendDocument>[2], options?: Parameters<typeof sendDocument>[3]): void {
    sendDocument(res, this.ctx.storage, document, options);
  }
}
