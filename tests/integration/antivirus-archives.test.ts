/**
 * DOCX and ODT files are ZIP archives: one that inflates out of proportion
 * (a deflate bomb, honest about its size or lying about it), or that holds
 * thousands of entries, is refused at its field before anything is stored.
 * Real documents still go through. No clamd here: the portal runs as in
 * development without CLAMAV_URL, and the archive check does not depend on it.
 */
import { readdir } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newApplicant, renewalAtDocuments, upload } from "../support/applicant.js";
import { textOf, type Agent } from "../support/browserless.js";
import { deflatedZeros, docxFile, odtFile } from "../support/office-files.js";
import { createTestContext, MANY_REGISTRATIONS, type TestContext } from "../support/test-app.js";

let ctx: TestContext;
let agent: Agent;
let email: string;
beforeAll(async () => {
  ctx = await createTestContext({ throttleRules: MANY_REGISTRATIONS });
  email = "archives@example.fr";
  agent = await newApplicant(ctx, email);
  await renewalAtDocuments(agent);
});
afterAll(async () => ctx.close());

const storedFiles = async () => (await readdir(ctx.uploadsDir)).filter((name) => name !== ".incoming").sort();
const TOO_MUCH = "contient bien plus de données qu'il n'y paraît (archive anormale) : il n'a pas été enregistré.";

/** 1 GiB of zeros in word/document.xml (about 1 MB once deflated), built once. */
const bomb = deflatedZeros(1024);

describe("Decompression bombs in DOCX and ODT", () => {
  it("keeps a real DOCX and a real ODT", async () => {
    const answer = await upload(agent, "IDENTITY", [
      { name: "lettre.docx", content: docxFile("Attestation sur l'honneur") },
      { name: "lettre.odt", content: odtFile("Attestation sur l'honneur") },
    ]);
    expect(answer.status, textOf(answer.text)).toBe(303);
    expect(await ctx.db.requestDocument.count({ where: { originalName: { in: ["lettre.docx", "lettre.odt"] } } })).toBe(2);
  });

  it.each([
    ["a DOCX whose word/document.xml inflates to 1 GB", "bombe.docx", () => docxFile("", { document: { name: "word/document.xml", deflated: bomb } })],
    [
      "the same DOCX whose headers claim 2 KB (the central directory lies)",
      "menteuse.docx",
      () => docxFile("", { document: { name: "word/document.xml", deflated: bomb, declaredSize: 2_000 } }),
    ],
    [
      "an ODT whose content.xml inflates to 60 MB while claiming 100 KB",
      "bombe.odt",
      () => odtFile("", { content: { name: "content.xml", deflated: deflatedZeros(60), declaredSize: 100_000 } }),
    ],
    [
      "a DOCX of 2,000 entries",
      "entrees.docx",
      () => docxFile("x", { extra: Array.from({ length: 2_000 }, (_, i) => ({ name: `word/media/${i}.xml`, data: Buffer.from("<a/>") })) }),
    ],
  ])("refuses %s at its field, quickly, storing nothing", async (_label, name, content) => {
    const before = await storedFiles();
    const started = Date.now();
    const answer = await upload(agent, "TAX_NOTICE", [{ name, content: content() }]);
    expect(answer.status).toBe(422);
    expect(textOf(answer.text)).toContain(`Le fichier « ${name} » ${TOO_MUCH}`);
    expect(answer.text).toMatch(/href="#champ-section-TAX_NOTICE"[^>]*>[^<]*archive anormale/);
    // Nothing near a gigabyte was inflated (a generous bound for a loaded machine).
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(await storedFiles()).toEqual(before);
    expect(await readdir(`${ctx.uploadsDir}/.incoming`)).toEqual([]);
    expect(await ctx.db.requestDocument.count({ where: { originalName: name } })).toBe(0);
  });

  it("refuses a DOCX cut in the middle as damaged, not as a bomb", async () => {
    const whole = docxFile("Attestation", { extra: [{ name: "word/styles.xml", data: Buffer.from("<styles/>".repeat(50)) }] });
    const answer = await upload(agent, "TAX_NOTICE", [{ name: "coupee.docx", content: whole.subarray(0, whole.length - 30) }]);
    expect(answer.status).toBe(422);
    expect(textOf(answer.text)).toContain("Le fichier « coupee.docx » est endommagé et ne peut pas être lu : il n'a pas été enregistré.");
  });
});
