/**
 * « Renouveler »: a renewal (type RENEWAL) started from the applicant's last
 * validated request, its answers already filled and its still-valid
 * documents copied, so that the applicant only checks each step and changes
 * what changed. No step is marked done: each shows « à vérifier » until the
 * applicant presses « Suivant » on it.
 *
 * What is carried over, and why:
 * - Navigo number, zonage, statut and eligibility answers, aidant, the way of
 *   paying and the bank details (IBAN still encrypted as stored, BIC, holder);
 * - NOT the direct-debit consent: a SEPA mandate is given for a request, and
 *   the person must agree again to be debited for the new period (the
 *   checkbox is shown unticked, the step is not complete without it);
 * - the revenue figures only when the previous request was sent in the same
 *   calendar year: the tax notice is yearly, and a notice of a past year is no
 *   longer « votre dernier avis d'imposition »;
 * - the documents that do not expire with the year: the identity document
 *   (the portal cannot know its expiry date: it is reused with the note
 *   « vérifiez qu'elle est toujours valable », and « Retirer » is one click),
 *   the Navigo copy, the RIB when paying by direct debit. Never the tax
 *   notice, nor the proofs a renewal does not ask for (address, situation).
 *   Files are copied (read, then kept under a new name), never shared: the
 *   retention job may delete the old request's files.
 */
import { createWriteStream } from "node:fs";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import type { AppContext } from "../../context.js";
import type { Transaction } from "../../db/prisma.js";
import { DOCUMENT_SECTIONS } from "../../domain/required-documents.js";
import { Prisma, type Request, type RequestDocument } from "../../generated/prisma/client.js";
import { DocumentStorage } from "../documents/document-storage.js";
import { TERMS_VERSION } from "../request/draft-service.js";
import { OPEN_STATUSES } from "../status/request-status.js";

export type StartRenewalResult = { kind: "started" } | { kind: "draft" } | { kind: "open" } | { kind: "nothing-to-renew" };

/** The sections a renewal may reuse; the RIB only while paying by direct debit. */
const REUSABLE_SECTIONS: readonly string[] = [DOCUMENT_SECTIONS.IDENTITY.code, DOCUMENT_SECTIONS.NAVIGO.code, DOCUMENT_SECTIONS.RIB.code];

export function reusableDocuments(previous: Pick<Request, "directDebit"> & { documents: RequestDocument[] }): RequestDocument[] {
  return previous.documents.filter(
    (document) => REUSABLE_SECTIONS.includes(document.section) && (document.section !== DOCUMENT_SECTIONS.RIB.code || previous.directDebit === true),
  );
}

/** Whether the previous request's revenue figures still come from the latest tax notice (sent in the same calendar year). */
export function revenueStillValid(previousSubmittedAt: Date | null, today: Date): boolean {
  return previousSubmittedAt !== null && previousSubmittedAt.getUTCFullYear() === today.getUTCFullYear();
}

export class RenewalService {
  constructor(private readonly ctx: AppContext) {}

  /** The applicant's last validated request (the latest « Droit valable au »), with what « Renouveler » shows of it. */
  lastValidated(userId: string) {
    return this.ctx.db.request.findFirst({
      where: { applicantId: userId, status: "APPROVED" },
      orderBy: [{ validUntil: { sort: "desc", nulls: "last" } }, { submittedAt: "desc" }],
      include: { documents: { orderBy: { uploadedAt: "asc" } } },
    });
  }

  /** Whether the person helps someone (an open « Agir pour » access): the reminder mail also goes to the aidant, who renews while acting for the person. */
  async helpsSomeone(userId: string): Promise<boolean> {
    return (await this.ctx.db.aidantAccess.findFirst({ where: { aidantId: userId, endedAt: null }, select: { id: true } })) !== null;
  }

  /** What stands in the way of a new renewal: a draft (to continue) or a request waiting for its answer. */
  async pending(userId: string): Promise<"draft" | "open" | null> {
    const other = await this.ctx.db.request.findFirst({
      where: { applicantId: userId, status: { in: ["DRAFT", ...OPEN_STATUSES] } },
      select: { status: true },
    });
    if (!other) return null;
    return other.status === "DRAFT" ? "draft" : "open";
  }

  /** Starts the renewal (the terms accepted now), or says why not. */
  async start(userId: string): Promise<StartRenewalResult> {
    const { ctx } = this;
    const previous = await this.lastValidated(userId);
    if (!previous) return { kind: "nothing-to-renew" };
    const blocked = await this.pending(userId);
    if (blocked) return { kind: blocked };

    // Files first, rows after: a crash in between leaves files without rows, which the hourly sweep removes.
    const copies = await Promise.all(reusableDocuments(previous).map(async (document) => ({ document, storedName: await this.copy(document.storedName) })));
    const discardCopies = () => Promise.all(copies.map(({ storedName }) => ctx.storage.remove(storedName)));
    const now = ctx.clock.now();
    try {
      const started = await ctx.db.$transaction(async (tx) => {
        await tx.$queryRaw`SELECT id FROM "User" WHERE id = ${userId}::uuid FOR NO KEY UPDATE`;
        if (await tx.request.findFirst({ where: { applicantId: userId, status: { in: ["DRAFT", ...OPEN_STATUSES] } }, select: { id: true } })) return false;
        await createRenewal(tx, userId, previous, now, copies);
        return true;
      });
      if (!started) {
        await discardCopies();
        return { kind: (await this.pending(userId)) ?? "draft" };
      }
      return { kind: "started" };
    } catch (error) {
      await discardCopies();
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") return { kind: "draft" };
      throw error;
    }
  }

  /** A new stored copy of a stored file. */
  private async copy(storedName: string): Promise<string> {
    const { storage } = this.ctx;
    const tempPath = path.join(storage.incomingDir, DocumentStorage.randomName());
    try {
      await pipeline(await storage.read(storedName), createWriteStream(tempPath, { flags: "wx" }));
      return await storage.keep(tempPath);
    } catch (error) {
      await storage.discard(tempPath);
      throw error;
    }
  }
}

async function createRenewal(
  tx: Transaction,
  userId: string,
  previous: Request,
  now: Date,
  copies: { document: RequestDocument; storedName: string }[],
): Promise<void> {
  const revenue = revenueStillValid(previous.submittedAt, now);
  await tx.request.create({
    data: {
      applicantId: userId,
      termsAcceptedAt: now,
      termsVersion: TERMS_VERSION,
      type: "RENEWAL",
      eligibility: previous.eligibility ?? Prisma.DbNull,
      statutCode: previous.statutCode,
      navigoNumber: previous.navigoNumber,
      zonageCode: previous.zonageCode,
      referenceTaxIncome: revenue ? previous.referenceTaxIncome : null,
      taxShares: revenue ? previous.taxShares : null,
      aidantName: previous.aidantName,
      aidantEmail: previous.aidantEmail,
      directDebit: previous.directDebit,
      ibanEncrypted: previous.ibanEncrypted,
      ibanLast4: previous.ibanLast4,
      bic: previous.bic,
      accountHolder: previous.accountHolder,
      debitConsent: false,
      documents: {
        create: copies.map(({ document, storedName }) => ({
          section: document.section,
          originalName: document.originalName,
          storedName,
          mimeType: document.mimeType,
          sizeBytes: document.sizeBytes,
          uploadedAt: now,
          reused: true,
        })),
      },
    },
  });
}
