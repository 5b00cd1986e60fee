/**
 * Keeps received files and records them, so that a file is on disk before its
 * row is committed and a failure leaves neither a row without a file nor a
 * file without a row.
 *
 * The limits (files per section, bytes in total) and the request's status are
 * checked under a lock on the request's row, in the transaction that inserts
 * the rows: parallel uploads into one request are serialised there, so that
 * forty of them at once cannot each see room for their files. The same lock is
 * taken by every status change (status-service.ts) and by the submission, so
 * an upload never lands in a request that moved on meanwhile.
 */
import { z } from "zod";
import type { AppContext } from "../../context.js";
import type { Transaction } from "../../db/prisma.js";
import { RequestStatus } from "../../generated/prisma/enums.js";
import { audit } from "../audit/audit-log.js";
import { checkReceivedFiles } from "./file-checks.js";
import { STORAGE_UNAVAILABLE_MESSAGE, StorageUnavailable } from "./document-storage.js";
import { discardAll, type ReceivedFile } from "./upload.js";

/** The locked row as raw SQL returns it, checked. */
const lockedRequestSchema = z.object({ status: z.enum(RequestStatus), now: z.date() });

export type SaveOutcome = { ok: true; count: number } | { ok: false; messages: string[] };

export interface UploadLimits {
  /** Files the section may hold, and what to say when it is full. */
  maxFiles: number;
  tooManyFiles: string;
  /** Bytes the counted documents may hold together (the request's, or only the section's). */
  maxBytes: number;
  bytesOf: "request" | "section";
  tooManyBytes: (remainingBytes: number) => string;
}

export async function saveDocuments(
  ctx: Pick<AppContext, "db" | "storage" | "antivirus">,
  input: {
    requestId: string;
    section: string;
    files: ReceivedFile[];
    limits: UploadLimits;
    /** The statuses in which the request accepts these files, and what to say otherwise. */
    acceptedStatuses: readonly RequestStatus[];
    statusRefused: string;
    /** Runs in the same transaction, under the lock, with the status the request had. */
    alsoInTransaction?: (tx: Transaction, status: RequestStatus) => Promise<void>;
  },
): Promise<SaveOutcome> {
  const { db, storage } = ctx;
  // Type, inflated size, antivirus: every received file passes them before anything is stored.
  const checks = await checkReceivedFiles(storage, ctx.antivirus, input.files).catch(async (error: unknown) => {
    await discardAll(storage, input.files);
    throw error;
  });
  if (!checks.ok) {
    await discardAll(storage, input.files);
    await recordViruses(db, input.requestId, input.section, checks.signatures);
    return { ok: false, messages: checks.messages };
  }
  const { detections } = checks;
  const kept: string[] = [];
  try {
    // Moved and flushed before the lock is taken: the lock is held only for a few queries.
    for (const file of input.files) kept.push(await storage.keep(file.tempPath));
    const refusal = await db.$transaction(async (tx) => {
      const [row] = await tx.$queryRaw<unknown[]>`
        SELECT status, clock_timestamp() AS now FROM "Request" WHERE id = ${input.requestId}::uuid FOR UPDATE`;
      const locked = row === undefined ? null : lockedRequestSchema.parse(row);
      if (!locked || !input.acceptedStatuses.includes(locked.status)) return input.statusRefused;
      const refused = await checkLimits(tx, input);
      if (refused) return refused;
      await tx.requestDocument.createMany({
        data: input.files.map((file, index) => {
          return {
            requestId: input.requestId,
            section: input.section,
            originalName: file.originalName,
            storedName: kept[index]!,
            mimeType: detections[index]!.mime,
            sizeBytes: file.size,
            // One time for the whole batch, taken under the lock: the agent's page groups the batches by it.
            uploadedAt: locked.now,
          };
        }),
      });
      await input.alsoInTransaction?.(tx, locked.status);
      return null;
    });
    if (refusal) {
      await Promise.all(kept.map((storedName) => storage.remove(storedName)));
      return { ok: false, messages: [refusal] };
    }
    return { ok: true, count: input.files.length };
  } catch (error) {
    // A file the store cannot remove now is left to the orphan sweeper.
    await Promise.allSettled(kept.map((storedName) => storage.remove(storedName)));
    await discardAll(storage, input.files);
    // The store is down: said at the field, like a refused file; what was saved before stays.
    if (error instanceof StorageUnavailable) return { ok: false, messages: [STORAGE_UNAVAILABLE_MESSAGE] };
    throw error;
  }
}

/**
 * One audit entry per virus found, by the request's applicant (the only one who
 * uploads): the signature and the section, never the file nor its name.
 */
async function recordViruses(db: AppContext["db"], requestId: string, section: string, signatures: string[]): Promise<void> {
  if (signatures.length === 0) return;
  const request = await db.request.findUnique({ where: { id: requestId }, select: { applicantId: true } });
  if (!request) return;
  for (const signature of signatures) {
    await audit(db, { actorId: request.applicantId, action: "VIRUS_DETECTED", requestId, details: { signature, section } });
  }
}

async function checkLimits(
  tx: Transaction,
  input: { requestId: string; section: string; files: ReceivedFile[]; limits: UploadLimits },
): Promise<string | null> {
  const { limits } = input;
  const inSection = await tx.requestDocument.count({ where: { requestId: input.requestId, section: input.section } });
  if (inSection + input.files.length > limits.maxFiles) return limits.tooManyFiles;
  const counted = await tx.requestDocument.aggregate({
    where: { requestId: input.requestId, ...(limits.bytesOf === "section" ? { section: input.section } : {}) },
    _sum: { sizeBytes: true },
  });
  const already = counted._sum.sizeBytes ?? 0;
  const adding = input.files.reduce((sum, file) => sum + file.size, 0);
  if (already + adding > limits.maxBytes) return limits.tooManyBytes(Math.max(0, limits.maxBytes - already));
  return null;
}
