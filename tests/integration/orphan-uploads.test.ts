/**
 * Files left in uploads/ by a process that died between moving a file and
 * committing its row: the sweeper removes them once they are old enough, and
 * never touches a file that a document row names.
 */
import { readdir, utimes, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DocumentStorage } from "../../src/features/documents/document-storage.js";
import { ORPHAN_GRACE_MS, sweepOrphanUploads } from "../../src/features/documents/orphan-sweeper.js";
import { registerAndActivate } from "../support/accounts.js";
import { fillFirstRequest, fillProfile } from "../support/applicant.js";
import { newBrowser } from "../support/browserless.js";
import { createTestContext, type TestContext } from "../support/test-app.js";

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => ctx.close());

const TWO_HOURS_AGO = new Date(Date.now() - 2 * 60 * 60 * 1000);
const storedFiles = async () => (await readdir(ctx.uploadsDir)).filter((name) => name !== ".incoming").sort();

async function leaveFile(dir: string, name: string, modifiedAt?: Date): Promise<void> {
  const file = path.join(dir, name);
  await writeFile(file, "%PDF-1.4 reste d'un envoi interrompu");
  if (modifiedAt) await utimes(file, modifiedAt, modifiedAt);
}

describe("Orphan uploads", () => {
  it("removes old files that no document names, and keeps every document and every recent file", async () => {
    const browser = newBrowser(ctx.app);
    await registerAndActivate(ctx, browser, { email: "menage@example.fr", firstName: "Igrek", lastName: "Ikse" });
    await fillProfile(browser, "menage@example.fr");
    await fillFirstRequest(browser);
    const documents = (await storedFiles()).slice();
    expect(documents).toHaveLength(5);
    // Real documents, however old, are never swept.
    for (const name of documents) await utimes(path.join(ctx.uploadsDir, name), TWO_HOURS_AGO, TWO_HOURS_AGO);

    const oldOrphan = DocumentStorage.randomName();
    const recentOrphan = DocumentStorage.randomName();
    await leaveFile(ctx.uploadsDir, oldOrphan, TWO_HOURS_AGO);
    await leaveFile(ctx.uploadsDir, recentOrphan);
    await leaveFile(ctx.storage.incomingDir, "interrompu", TWO_HOURS_AGO);
    await leaveFile(ctx.storage.incomingDir, "en-cours");

    const result = await sweepOrphanUploads(ctx.db, ctx.storage, ctx.clock, ORPHAN_GRACE_MS);

    expect(result).toEqual({ orphans: 1, leftovers: 1 });
    expect(await storedFiles()).toEqual([...documents, recentOrphan].sort());
    expect(await readdir(ctx.storage.incomingDir)).toEqual(["en-cours"]);
    const rows = await ctx.db.requestDocument.count();
    expect(rows).toBe(5);
    // Each remaining document still opens for its owner.
    const document = await ctx.db.requestDocument.findFirstOrThrow();
    expect((await browser.get(`/documents/${document.id}`)).status).toBe(200);
  });
});
