/**
 * DOCX and ODT files are ZIP archives: a few kilobytes can inflate to
 * gigabytes (a « decompression bomb ») and exhaust whatever opens them later,
 * the antivirus or an agent's word processor. Each one is read entry by entry
 * with yauzl (a maintained ZIP reader that never inflates more than asked and
 * checks each entry's real size against the one declared), and the bytes
 * actually inflated are counted with a cap: the central directory's sizes
 * are only a first, cheap check, since a forged archive can lie there.
 */
import type { Readable } from "node:stream";
import yauzl, { type Entry, type ZipFile } from "yauzl";

export const ARCHIVE_LIMITS = {
  /** Inflated bytes per compressed byte of the whole file: real documents stay far below (text compresses about 10 times). */
  maxRatio: 100,
  /** Inflated bytes of the whole archive, whatever its size. */
  maxTotalBytes: 50 * 1024 * 1024,
  /** A document has tens of entries, a few hundred with many images. */
  maxEntries: 1_000,
} as const;

export type ArchiveCheck = { ok: true } | { ok: false; reason: "too-large" | "too-many-entries" | "unreadable" };

/** Reads the archive at `filePath` (of `size` bytes) to the end, or until it inflates too much. */
export async function checkArchive(filePath: string, size: number, limits = ARCHIVE_LIMITS): Promise<ArchiveCheck> {
  const maxBytes = Math.min(limits.maxTotalBytes, size * limits.maxRatio);
  let zip: ZipFile;
  try {
    zip = await yauzl.openPromise(filePath, { lazyEntries: true, autoClose: false, validateEntrySizes: true, strictFileNames: false });
  } catch {
    return { ok: false, reason: "unreadable" };
  }
  // Errors are awaited where they can happen (nextEntry, openReadStream); one emitted between must not end the process.
  zip.on("error", () => undefined);
  try {
    if (zip.entryCount > limits.maxEntries) return { ok: false, reason: "too-many-entries" };
    let declared = 0;
    let inflated = 0;
    for (let entry = await nextEntry(zip); entry; entry = await nextEntry(zip)) {
      if (entry.fileName.endsWith("/")) continue;
      declared += entry.uncompressedSize;
      if (declared > maxBytes) return { ok: false, reason: "too-large" };
      const counted = await countInflated(zip, entry, maxBytes - inflated);
      if (counted === null) return { ok: false, reason: "too-large" };
      inflated += counted;
    }
    return { ok: true };
  } catch {
    // A truncated or forged archive (an entry longer than declared, a bad header, an unknown compression).
    return { ok: false, reason: "unreadable" };
  } finally {
    zip.close();
  }
}

/** The next entry, or null at the end of the central directory. */
function nextEntry(zip: ZipFile): Promise<Entry | null> {
  return new Promise((resolve, reject) => {
    const cleanUp = () => {
      zip.off("entry", onEntry);
      zip.off("end", onEnd);
      zip.off("error", onError);
    };
    const onEntry = (entry: Entry) => {
      cleanUp();
      resolve(entry);
    };
    const onEnd = () => {
      cleanUp();
      resolve(null);
    };
    const onError = (error: Error) => {
      cleanUp();
      reject(error);
    };
    zip.on("entry", onEntry);
    zip.on("end", onEnd);
    zip.on("error", onError);
    zip.readEntry();
  });
}

/** The entry's inflated length, or null as soon as it passes `budget` bytes (the inflating stops there). */
async function countInflated(zip: ZipFile, entry: Entry, budget: number): Promise<number | null> {
  const stream = await new Promise<Readable>((resolve, reject) => zip.openReadStream(entry, (error, opened) => (error ? reject(error) : resolve(opened))));
  let count = 0;
  try {
    for await (const chunk of stream) {
      count += (chunk as Buffer).length;
      if (count > budget) return null;
    }
    return count;
  } catch (error) {
    // yauzl stops an entry that inflates past its declared size: a forged archive hiding its real size.
    if (error instanceof Error && error.message.startsWith("too many bytes in the stream")) return null;
    throw error;
  } finally {
    stream.destroy();
  }
}
