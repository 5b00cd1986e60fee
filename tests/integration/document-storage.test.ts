/**
 * The contract of DocumentStorage, on both stores: the local folder and an
 * S3 bucket served by a real S3-speaking server (s3rver, started here). What
 * one keeps, the other reads back byte for byte; removal, the orphan
 * sweeper's listing and the temporary copies behave the same. Then the
 * bucket going down: nothing is lost, and the failure is StorageUnavailable.
 */
import { randomBytes } from "node:crypto";
import { access, mkdtemp, readFile, rm, utimes, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { text } from "node:stream/consumers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DocumentStorage, isStoredName, StorageUnavailable } from "../../src/features/documents/document-storage.js";
import { LocalDocumentStorage } from "../../src/features/documents/local-storage.js";
import { pdfFile } from "../support/files.js";
import { S3TestServer } from "../support/s3-server.js";

let s3: S3TestServer;
let folder: string;
beforeAll(async () => {
  s3 = await S3TestServer.start();
  folder = await mkdtemp(path.join(os.tmpdir(), "amethyste-storage-"));
});
afterAll(async () => {
  await s3.close();
  await rm(folder, { recursive: true, force: true });
});

const exists = (file: string) =>
  access(file).then(
    () => true,
    () => false,
  );

async function collect<T>(batches: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const batch of batches) all.push(batch);
  return all;
}

const stores: [string, () => Promise<DocumentStorage>][] = [
  ["local folder", async () => new LocalDocumentStorage(await mkdtemp(path.join(folder, "uploads-")))],
  ["S3 bucket", async () => s3.storage(await mkdtemp(path.join(folder, "incoming-")))],
];

describe.each(stores)("DocumentStorage: %s", (_name, makeStorage) => {
  let storage: DocumentStorage;
  beforeAll(async () => {
    storage = await makeStorage();
    await storage.init();
  });
  afterAll(() => storage.close());

  /** A temporary copy as multer leaves it. */
  async function received(content: Buffer): Promise<string> {
    const tempPath = path.join(storage.incomingDir, DocumentStorage.randomName());
    await writeFile(tempPath, content);
    return tempPath;
  }

  it("keeps a received file under a new random name, removes the temporary copy, and reads back the same bytes", async () => {
    const content = Buffer.concat([pdfFile("Avis d'imposition"), randomBytes(300_000)]);
    const tempPath = await received(content);
    expect(await storage.detect(tempPath, "avis.pdf")).toMatchObject({ ok: true, mime: "application/pdf" });

    const storedName = await storage.keep(tempPath);

    expect(isStoredName(storedName)).toBe(true);
    expect(storedName).not.toBe(path.basename(tempPath));
    expect(await exists(tempPath)).toBe(false);
    const chunks: Buffer[] = [];
    for await (const chunk of await storage.read(storedName)) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).equals(content)).toBe(true);
  });

  it("removes a stored file: it can no longer be read, and removing it again does nothing", async () => {
    const storedName = await storage.keep(await received(pdfFile("RIB")));
    expect(await text(await storage.read(storedName))).toContain("RIB");

    await storage.remove(storedName);

    await expect(storage.read(storedName)).rejects.toThrow();
    await expect(storage.remove(storedName)).resolves.toBeUndefined();
  });

  it("refuses names that are not stored names (no path can be made of one)", async () => {
    await expect(storage.read("../../etc/passwd")).rejects.toThrow("Nom de fichier stocké invalide");
    await expect(storage.remove("..")).rejects.toThrow("Nom de fichier stocké invalide");
  });

  it("lists the stored names written before a date, a batch at a time, and none written after", async () => {
    const names = [];
    for (let index = 0; index < 5; index += 1) names.push(await storage.keep(await received(pdfFile(`Pièce ${index}`))));
    const inOneMinute = new Date(Date.now() + 60_000);
    const aMinuteAgo = new Date(Date.now() - 60_000);

    const batches = await collect(storage.storedBefore(inOneMinute, 2));

    for (const batch of batches) expect(batch.length).toBeLessThanOrEqual(2);
    expect(batches.flat()).toEqual(expect.arrayContaining(names));
    expect((await collect(storage.storedBefore(aMinuteAgo, 2))).flat()).toEqual(expect.not.arrayContaining(names));
  });

  it("lists this server's temporary copies written before a date, and discards them", async () => {
    const old = await received(pdfFile("envoi interrompu"));
    const twoHoursAgo = new Date(Date.now() - 2 * 60 * 60 * 1000);
    await utimes(old, twoHoursAgo, twoHoursAgo);
    const recent = await received(pdfFile("envoi en cours"));

    const leftovers = await collect(storage.leftoversBefore(new Date(Date.now() - 60 * 60 * 1000)));

    expect(leftovers).toEqual([old]);
    await storage.discard(old);
    expect(await exists(old)).toBe(false);
    expect(await readFile(recent, "utf8")).toContain("envoi en cours");
    await storage.discard(recent);
  });
});

describe("S3 bucket unreachable", () => {
  it("fails with StorageUnavailable, keeps the temporary copy and every stored file, and works again when the bucket is back", async () => {
    const storage = s3.storage(await mkdtemp(path.join(folder, "incoming-")));
    await storage.init();
    const storedName = await storage.keep(await writeTemp(storage, pdfFile("Carte d'identité")));
    const tempPath = await writeTemp(storage, pdfFile("Justificatif de domicile"));

    await s3.pause();
    try {
      await expect(storage.keep(tempPath)).rejects.toBeInstanceOf(StorageUnavailable);
      expect(await readFile(tempPath, "utf8")).toContain("Justificatif de domicile");
      await expect(storage.read(storedName)).rejects.toBeInstanceOf(StorageUnavailable);
      await expect(collect(storage.storedBefore(new Date(), 10))).rejects.toBeInstanceOf(StorageUnavailable);
    } finally {
      await s3.resume();
    }

    expect(await text(await storage.read(storedName))).toContain("Carte d'identité");
    const keptLater = await storage.keep(tempPath);
    expect(await text(await storage.read(keptLater))).toContain("Justificatif de domicile");
    storage.close();
  });
});

async function writeTemp(storage: DocumentStorage, content: Buffer): Promise<string> {
  const tempPath = path.join(storage.incomingDir, DocumentStorage.randomName());
  await writeFile(tempPath, content);
  return tempPath;
}
