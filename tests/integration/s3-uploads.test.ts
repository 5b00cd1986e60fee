/**
 * The portal with its documents in an S3 bucket (a real s3rver started
 * here): an applicant's files go to the bucket through the wizard's forms,
 * nothing stays on the server's disk, and the agent downloads the same bytes.
 * With the bucket down, an upload is refused at its field with a French
 * message and nothing saved is lost; a download answers the 503 page.
 */
import { readdir } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { logIn, registerAndActivate } from "../support/accounts.js";
import { fillFirstRequest, fillProfile, upload } from "../support/applicant.js";
import { createStaff } from "../support/back-office.js";
import { csrfTokenIn, newBrowser, textOf, type Agent } from "../support/browserless.js";
import { pdfFile } from "../support/files.js";
import { S3TestServer } from "../support/s3-server.js";
import { createTestContext, type TestContext } from "../support/test-app.js";

let s3: S3TestServer;
let ctx: TestContext;
let agent: Agent;
beforeAll(async () => {
  s3 = await S3TestServer.start();
  ctx = await createTestContext({ storage: (uploadsDir) => s3.storage(`${uploadsDir}/.incoming`) });
  await createStaff(ctx.db, "guichet@cd93.fr");
  agent = newBrowser(ctx.app);
  await logIn(agent, "guichet@cd93.fr");
});
afterAll(async () => {
  await ctx.close();
  await s3.close();
});

/** The bytes of an answer, whatever its type. */
function binary(request: ReturnType<Agent["get"]>) {
  return request.buffer(true).parse((res, done) => {
    const chunks: Buffer[] = [];
    res.on("data", (chunk: Buffer) => chunks.push(chunk));
    res.on("end", () => done(null, Buffer.concat(chunks)));
  });
}

/** « Envoyer » on the last step: the request is submitted, and the agents see it. */
async function send(applicant: Agent): Promise<void> {
  const page = await applicant.get("/demande/etape/avis");
  const draftId = /name="draftId" value="([^"]+)"/.exec(page.text)![1]!;
  const answer = await applicant
    .post("/demande/etape/avis")
    .type("form")
    .send({ _csrf: csrfTokenIn(page.text), draftId, satisfaction: "Très satisfait", satisfactionComment: "", action: "envoyer" });
  expect(answer.status).toBe(303);
}

describe("Documents in an S3 bucket", () => {
  it("stores the wizard's uploads in the bucket, not on the server, and the agent downloads the same bytes", async () => {
    const applicant = newBrowser(ctx.app);
    await registerAndActivate(ctx, applicant, { email: "seau@example.fr" });
    await fillProfile(applicant, "seau@example.fr");
    await fillFirstRequest(applicant);
    await send(applicant);

    const documents = await ctx.db.requestDocument.findMany({ orderBy: { section: "asc" } });
    expect(documents).toHaveLength(5);
    expect((await readdir(ctx.uploadsDir)).filter((name) => name !== ".incoming")).toEqual([]);
    expect(await readdir(`${ctx.uploadsDir}/.incoming`)).toEqual([]);
    const inBucket = await readdir(`${s3.dir}/${s3.bucket}`);
    for (const document of documents) expect(inBucket).toContain(`${document.storedName}._S3rver_object`);

    for (const document of documents) {
      const download = await binary(agent.get(`/agent/documents/${document.id}`));
      expect(download.status).toBe(200);
      expect(download.headers["content-type"]).toBe("application/pdf");
      expect((download.body as Buffer).equals(pdfFile(document.section))).toBe(true);
    }
    const own = await binary(applicant.get(`/documents/${documents[0]!.id}`));
    expect(own.status).toBe(200);
    expect((own.body as Buffer).equals(pdfFile(documents[0]!.section))).toBe(true);
  });

  it("with the bucket down: the upload is refused at its field in French, the draft and its files stay, downloads answer 503", async () => {
    const applicant = newBrowser(ctx.app);
    await registerAndActivate(ctx, applicant, { email: "panne-seau@example.fr" });
    await fillProfile(applicant, "panne-seau@example.fr");
    await fillFirstRequest(applicant);
    const before = await ctx.db.requestDocument.findMany({ where: { request: { applicant: { email: "panne-seau@example.fr" } } } });
    expect(before).toHaveLength(5);
    const requestId = before[0]!.requestId;

    await s3.pause();
    try {
      const refused = await upload(applicant, "IDENTITY", [{ name: "verso.pdf", content: pdfFile("Verso") }]);
      expect(refused.status).toBe(422);
      const page = textOf(refused.text);
      expect(page).toContain("Le fichier n'a pas pu être enregistré, réessayez dans quelques minutes.");
      expect(refused.text).toMatch(/id="champ-section-IDENTITY-error"[^>]*>.*n&#39;a pas pu être enregistré/);
      expect(await ctx.db.requestDocument.count({ where: { requestId } })).toBe(5);
      expect(await readdir(`${ctx.uploadsDir}/.incoming`)).toEqual([]);

      const download = await applicant.get(`/documents/${before[0]!.id}`);
      expect(download.status).toBe(503);
      expect(textOf(download.text)).toContain("Service momentanément indisponible");
      expect(download.text).not.toMatch(/at .*\.ts:\d+|S3ServiceException|ECONNREFUSED/);
    } finally {
      await s3.resume();
    }

    const accepted = await upload(applicant, "IDENTITY", [{ name: "verso.pdf", content: pdfFile("Verso") }]);
    expect(accepted.status).toBe(303);
    expect(await ctx.db.requestDocument.count({ where: { requestId } })).toBe(6);
    const download = await binary(applicant.get(`/documents/${before[0]!.id}`));
    expect(download.status).toBe(200);
    expect((download.body as Buffer).equals(pdfFile(before[0]!.section))).toBe(true);
  });
});
