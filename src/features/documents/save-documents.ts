/**
 * Keeps received files and records them, so that a file is on disk before its
 * row is committed and a failure leaves neither a row without a file nor a
 * file without a row.
 */
import type { Database } from "../../db/prisma.js";
import type { DocumentStorage } from "./document-storage.js";
import { discardAll, type ReceivedFile } from "./upload.js";

type Tx = Parameters<Parameters<Database["$transaction"]>[0]>[0];

export type SaveOutcome = { ok: true; count: number } | { ok: false; messages: string[] };

export async function saveDocuments(
  db: Database,
  storage: DocumentStorage,
  input: { requestId: string; section: string; files: ReceivedFile[]; alsoInTransaction?: (tx: Tx) => Promise<void> },
): Promise<SaveOutcome> {
  const detections = await Promise.all(input.files.map((file) => storage.detect(file.tempPath, file.originalName)));
  const messages = detections.flatMap((detection) => (detection.ok ? [] : [detection.message]));
  if (messages.length > 0) {
    await discardAll(storage, input.files);
    return { ok: false, messages };
  }
  const kept: string[] = [];
  try {
    for (const file of input.files) kept.push(await storage.keep(file.tempPath));
    await db.$transaction(async (tx) => {
      await tx.requestDocument.createMany({
        data: input.files.map((file, index) => {
          const detection = detections[index]!;
          return {
            requestId: input.requestId,
            section: input.section,
            originalName: file.originalName,
            storedName: kept[index]!,
            mimeType: detection.ok ? detection.mime : "application/octet-stream",
            sizeBytes: file.size,
          };
        }),
      });
      await input.alsoInTransaction?.(tx);
    });
    return { ok: true, count: input.files.length };
  } catch (error) {
    await Promise.all(kept.map((storedName) => storage.remove(storedName)));
    await discardAll(storage, input.files);
    throw error;
  }
}
