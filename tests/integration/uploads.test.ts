/**
 * Uploads under pressure: parallel requests, broken multipart bodies, names
 * made to mislead, documents of sections that no longer apply, and more than
 * one batch of missing documents.
 */
import { readdir, readFile, writeFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sweepOrphanUploads } from "../../src/features/documents/orphan-sweeper.js";
import { changeStatus } from "../../src/features/status/status-service.js";
import { logIn, registerAndActivate } from "../support/accounts.js";
import { acceptTerms, fillFirstRequest, fillProfile, step } from "../support/applicant.js";
import { createStaff, seedRequest } from "../support/back-office.js";
import { csrfTokenIn, newBrowser, submitForm, textOf, type Agent } from "../support/browserless.js";
import { pdfFile } from "../support/files.js";
import { createTestContext, MANY_REGISTRATIONS, PUBLIC_URL, type TestContext } from "../support/test-app.js";

let ctx: TestContext;
let staff: Agent;
let staffId: string;
beforeAll(async () => {
  ctx = await createTestContext({ throttleRules: MANY_REGISTRATIONS });
  staffId = (await createStaff(ctx.db, "guichet@cd93.fr")).id;
  staff = newBrowser(ctx.app);
  await logIn(staff, "guichet@cd93.fr");
});
afterAll(async () => ctx.close());

const MiB = 1024 * 1024;
/** A real PDF of the given size (its content type is decided from its first bytes). */
const paddedPdf = (bytes: number, text = "Justificatif") => Buffer.concat([pdfFile(text), Buffer.alloc(bytes - pdfFile(text).length, 0x20)]);

const storedFiles = async () => (await readdir(ctx.uploadsDir)).filter((name) => name !== ".incoming").sort();
const incomingFiles = () => readdir(`${ctx.uploadsDir}/.incoming`);

let counter = 0;
async function newApplicant() {
  const email = `televersement${++counter}@example.fr`;
  const agent = newBrowser(ctx.app);
  await registerAndActivate(ctx, agent, { email });
  await fillProfile(agent, email);
  return { agent, email };
}

/** A renewal (no aidant) at « Justificatifs »; with direct debit, the RIB section is there too. */
async function renewalAtDocuments(agent: Agent, directDebit = false) {
  await acceptTerms(agent);
  await step(agent, "type", { type: "RENEWAL" });
  await step(agent, "navigo", { navigoNumber: "12345678" });
  await step(agent, "zonage", { statutCode: "AC", zonageCode: "Z1_5" });
  await step(agent, "revenus", { referenceTaxIncome: "20000", taxShares: "2" });
  await step(agent, "aidant", { aidantName: "", aidantEmail: "" });
  await step(
    agent,
    "participation",
    directDebit
      ? { directDebit: "oui", iban: "FR76 3000 6000 0112 3456 7890 189", bic: "AGRIFRPP", accountHolder: "Igrek Ikse", debitConsent: "on" }
      : { directDebit: "non" },
  );
}

/** One multipart POST per call, all with the token of one page load, so that they can be fired together. */
async function uploader(agent: Agent, pageUrl: string) {
  const token = csrfTokenIn((await agent.get(pageUrl)).text);
  return (actionUrl: string, files: { name: string; content: Buffer }[]) => {
    let request = agent.post(actionUrl).field("_csrf", token);
    for (const file of files) request = request.attach("fichiers", file.content, file.name);
    return request;
  };
}

/** A submitted request of a new applicant, moved by an agent to « En attente de pièce complémentaire ». */
async function awaitingDocument() {
  const email = `attente${++counter}@example.fr`;
  const request = await seedRequest(ctx.db, { email, aidantEmail: `aidant-attente${counter}@example.fr` });
  await ctx.db.$transaction(async (tx) => {
    await changeStatus(tx, { requestId: request.id, to: "IN_REVIEW", actor: "agent", actorId: staffId, publicUrl: PUBLIC_URL });
    await changeStatus(tx, {
      requestId: request.id,
      to: "AWAITING_DOCUMENT",
      actor: "agent",
      actorId: staffId,
      message: "Merci d'ajouter votre avis d'imposition.",
      publicUrl: PUBLIC_URL,
    });
  });
  const applicant = newBrowser(ctx.app);
  await logIn(applicant, email);
  return { applicant, request, number: request.number! };
}

/** The files on disk are exactly the ones the rows name: nothing more, nothing less. */
async function expectDiskMatchesRows() {
  const rows = await ctx.db.requestDocument.findMany({ select: { storedName: true } });
  expect(await storedFiles()).toEqual(rows.map((row) => row.storedName).sort());
  expect(await incomingFiles()).toEqual([]);
}

// Hundreds of megabytes go through multer here: on a loaded machine that takes a while.
describe("Upload limits under concurrency", { timeout: 120_000 }, () => {
  it("stores at most 10 files in a section when 40 uploads of 5 files arrive at once", async () => {
    const { agent, email } = await newApplicant();
    await renewalAtDocuments(agent);
    const post = await uploader(agent, "/demande/etape/justificatifs");
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        post(
          "/demande/justificatifs/IDENTITY",
          Array.from({ length: 5 }, (_, j) => ({ name: `carte-${i}-${j}.pdf`, content: paddedPdf(256 * 1024) })),
        ),
      ),
    );
    const user = await ctx.db.user.findUniqueOrThrow({ where: { email } });
    const rows = await ctx.db.requestDocument.count({ where: { section: "IDENTITY", request: { applicantId: user.id } } });
    expect(rows).toBe(10);
    expect(answers.filter((answer) => answer.status === 303)).toHaveLength(2);
    const refused = answers.filter((answer) => answer.status !== 303);
    expect(refused.every((answer) => answer.status === 422)).toBe(true);
    expect(textOf(refused[0]!.text)).toContain("« Pièce d'identité » peut contenir au plus 10 fichiers");
    await expectDiskMatchesRows();
  });

  it("keeps a draft's documents under 50 Mo in total, with a message at the field", async () => {
    const { agent, email } = await newApplicant();
    await renewalAtDocuments(agent, true);
    const post = await uploader(agent, "/demande/etape/justificatifs");
    const sections = ["IDENTITY", "TAX_NOTICE", "NAVIGO", "RIB"];
    // 8 uploads of 5 × 2 Mo (80 Mo), never more than 10 files in a section.
    const answers = await Promise.all(
      sections.flatMap((section) =>
        [0, 1].map((n) =>
          post(
            `/demande/justificatifs/${section}`,
            Array.from({ length: 5 }, (_, j) => ({ name: `${section}-${n}-${j}.pdf`, content: paddedPdf(2 * MiB) })),
          ),
        ),
      ),
    );
    const user = await ctx.db.user.findUniqueOrThrow({ where: { email } });
    const total = await ctx.db.requestDocument.aggregate({ where: { request: { applicantId: user.id } }, _sum: { sizeBytes: true }, _count: true });
    expect(total._sum.sizeBytes).toBe(50 * MiB);
    expect(total._count).toBe(25);
    const refused = answers.filter((answer) => answer.status !== 303);
    expect(refused).toHaveLength(3);
    expect(refused.every((answer) => answer.status === 422)).toBe(true);
    const text = textOf(refused[0]!.text);
    expect(text).toContain("50 Mo");
    expect(refused[0]!.text).toMatch(/class="field__error" id="[^"]*section-[A-Z_]+[^"]*-error"/);
    expect(textOf((await agent.get("/demande/etape/justificatifs")).text)).toContain("50 Mo pour l'ensemble de vos justificatifs");
    await expectDiskMatchesRows();
  });
});

describe("File names", () => {
  it("shows no bidi override and keeps the extension of a long name, on the applicant's and the agent's pages", async () => {
    const { applicant, number } = await awaitingDocument();
    const post = await uploader(applicant, `/mes-demandes/${number}`);
    const longName = `${"attestation-".repeat(20)}fin.pdf`;
    const sent = await post(`/mes-demandes/${number}/pieces`, [
      { name: "\u202Efdp.exe.pdf", content: pdfFile("a") },
      { name: longName, content: pdfFile("b") },
    ]);
    expect(sent.status).toBe(303);
    const names = (await ctx.db.requestDocument.findMany({ where: { request: { number } }, orderBy: { originalName: "asc" } })).map((row) => row.originalName);
    const cut = names.find((name) => name.startsWith("attestation-"))!;
    expect([...cut]).toHaveLength(150);
    expect(cut.endsWith(".pdf")).toBe(true);
    expect(names).toContain("fdp.exe.pdf");

    for (const page of [await applicant.get(`/mes-demandes/${number}`), await staff.get(`/agent/demandes/${number}`)]) {
      expect(page.status).toBe(200);
      expect(page.text).not.toContain("\u202E");
      expect(page.text).not.toContain("&#8238;");
      expect(textOf(page.text)).toContain("fdp.exe.pdf");
      expect(textOf(page.text)).toContain(cut);
    }
  });
});

describe("Broken multipart bodies", () => {
  const BOUNDARY = "----amethyste-fuzz";
  const head = (token: string) =>
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${token}\r\n` +
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="fichiers"; filename="avis.pdf"\r\nContent-Type: application/pdf\r\n\r\n`;
  const bodies = {
    "a body cut in the middle of a file (« Unexpected end of form »)": (token: string) => Buffer.concat([Buffer.from(head(token)), paddedPdf(64 * 1024)]),
    "a malformed part header": (token: string) =>
      Buffer.from(`--${BOUNDARY}\r\nContent-Disposition form-data name\u0000\r\n\r\nx\r\n--${BOUNDARY}--\r\n`.replace("x", token)),
    "a part header that never ends": (token: string) =>
      Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="_csrf"\r\n${"X-Long: y\r\n".repeat(2000)}${token}`),
  };
  const send = (agent: Agent, url: string, body: Buffer, boundary = BOUNDARY) =>
    agent.post(url).set("Content-Type", `multipart/form-data; boundary=${boundary}`).send(body);

  it.each(Object.entries(bodies))("answers %s on « Justificatifs » with a French message, keeping what was saved and no partial file", async (_label, body) => {
    const { agent, email } = await newApplicant();
    await renewalAtDocuments(agent);
    const post = await uploader(agent, "/demande/etape/justificatifs");
    expect((await post("/demande/justificatifs/IDENTITY", [{ name: "deja.pdf", content: pdfFile() }])).status).toBe(303);
    const token = csrfTokenIn((await agent.get("/demande/etape/justificatifs")).text);

    const answer = await send(agent, "/demande/justificatifs/IDENTITY", body(token));
    expect([400, 422]).toContain(answer.status);
    expect(textOf(answer.text)).toMatch(/L'envoi des fichiers n'a pas abouti|Demande invalide/);
    expect(answer.text).not.toMatch(/at .*\.(ts|js):\d+/);
    const user = await ctx.db.user.findUniqueOrThrow({ where: { email } });
    expect((await ctx.db.requestDocument.findMany({ where: { request: { applicantId: user.id } } })).map((row) => row.originalName)).toEqual(["deja.pdf"]);
    await expectDiskMatchesRows();
  });

  it("answers a body without its boundary with a French message", async () => {
    const { agent } = await newApplicant();
    await renewalAtDocuments(agent);
    const answer = await agent.post("/demande/justificatifs/IDENTITY").set("Content-Type", "multipart/form-data").send("abc");
    expect([400, 422]).toContain(answer.status);
    await expectDiskMatchesRows();
  });

  it.each(Object.entries(bodies))("answers %s on « Joindre » with a French message, changing nothing", async (_label, body) => {
    const { applicant, number } = await awaitingDocument();
    const token = csrfTokenIn((await applicant.get(`/mes-demandes/${number}`)).text);
    const answer = await send(applicant, `/mes-demandes/${number}/pieces`, body(token));
    expect([400, 422]).toContain(answer.status);
    expect(textOf(answer.text)).toMatch(/L'envoi des fichiers n'a pas abouti|Demande invalide/);
    const request = await ctx.db.request.findUniqueOrThrow({ where: { number }, include: { documents: true } });
    expect(request.status).toBe("AWAITING_DOCUMENT");
    expect(request.documents).toEqual([]);
    await expectDiskMatchesRows();
  });

  it("serialises two « Joindre » sent at the same moment: both kept, one status change", async () => {
    const { applicant, number } = await awaitingDocument();
    const post = await uploader(applicant, `/mes-demandes/${number}`);
    const answers = await Promise.all(
      Array.from({ length: 6 }, (_, i) => post(`/mes-demandes/${number}/pieces`, [{ name: `piece-${i}.pdf`, content: pdfFile(String(i)) }])),
    );
    expect(answers.map((answer) => answer.status)).toEqual(Array(6).fill(303));
    const request = await ctx.db.request.findUniqueOrThrow({ where: { number }, include: { documents: true, statusChanges: true } });
    expect(request.status).toBe("DOCUMENT_RECEIVED");
    expect(request.documents).toHaveLength(6);
    expect(request.statusChanges.filter((change) => change.toStatus === "DOCUMENT_RECEIVED")).toHaveLength(1);
    await expectDiskMatchesRows();
  });
});

describe("« Supprimer » while the draft is being submitted", () => {
  it("waits for the submission, then finds the draft gone: the submitted file stays", async () => {
    const { agent } = await newApplicant();
    await renewalAtDocuments(agent);
    const post = await uploader(agent, "/demande/etape/justificatifs");
    expect((await post("/demande/justificatifs/IDENTITY", [{ name: "carte.pdf", content: pdfFile() }])).status).toBe(303);
    const row = await ctx.db.requestDocument.findFirstOrThrow({ where: { originalName: "carte.pdf", section: "IDENTITY" }, orderBy: { uploadedAt: "desc" } });
    const token = csrfTokenIn((await agent.get("/demande/etape/justificatifs")).text);

    // A submission in progress: it holds the request's row and has not committed yet.
    const submission = await ctx.pool.connect();
    await submission.query("BEGIN");
    await submission.query(`UPDATE "Request" SET status = 'SUBMITTED' WHERE id = $1::uuid`, [row.requestId]);
    let finished = false;
    const removal = agent
      .post(`/demande/justificatifs/fichier/${row.id}/supprimer`)
      .type("form")
      .send({ _csrf: token })
      .then((answer) => {
        finished = true;
        return answer;
      });
    // Until the removal is answered, or waits for the submission's lock.
    while (!finished) {
      const waiting = await ctx.pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid WHERE NOT l.granted AND a.datname = current_database()`,
      );
      if ((waiting.rows[0]?.n ?? 0) > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await submission.query("COMMIT");
    submission.release();

    expect((await removal).status).toBe(404);
    expect(await ctx.db.requestDocument.count({ where: { id: row.id } })).toBe(1);
    expect(await storedFiles()).toContain(row.storedName);
  });
});

describe("NUL and control characters in text fields", () => {
  it("are removed from « Mes informations personnelles » instead of failing, bidi overrides too", async () => {
    const { agent, email } = await newApplicant();
    const answer = await submitForm(agent, "/mes-informations", {
      civility: "MADAME",
      familySituation: "Veuf/Veuve",
      firstName: "\u202EIgrek",
      lastName: "Ik\u0001se",
      birthName: "Ikse",
      birthDate: "18/06/1950",
      street: "1 rue\u0000 de la Paix",
      postalCode: "93000",
      city: "Bob\u0000igny",
      email,
      mobilePhone: "06.12.34.56.78",
      protectionMeasure: "non",
    });
    expect(answer.status).toBe(303);
    const profile = await ctx.db.profile.findFirstOrThrow({ where: { user: { email } } });
    expect(profile.city).toBe("Bobigny");
    expect(profile.street).toBe("1 rue de la Paix");
    // Nor a bidi override, which would make the name read backwards on the agents' pages.
    const user = await ctx.db.user.findUniqueOrThrow({ where: { email } });
    expect([user.firstName, user.lastName]).toEqual(["Igrek", "Ikse"]);
  });

  it("are removed from a wizard step left with « Précédent »", async () => {
    const { agent } = await newApplicant();
    await acceptTerms(agent);
    await step(agent, "type", { type: "RENEWAL" });
    const back = await step(agent, "navigo", { navigoNumber: "\u0000" }, "precedent");
    expect(back.status).toBe(303);
    expect(back.headers.location).toBe("/demande/etape/type");
    const again = await step(agent, "navigo", { navigoNumber: "1234\u00005678" });
    expect(again.status).toBe(303);
    expect((await agent.get("/demande/etape/navigo")).text).toContain('value="12345678"');
  });

  it("are removed from an agent's note and from the queue's search", async () => {
    const request = await seedRequest(ctx.db);
    const added = await submitForm(
      staff,
      `/agent/demandes/${request.number}`,
      { note: "Rappeler\u0000 lundi.\r\nMerci." },
      `/agent/demandes/${request.number}/notes`,
    );
    expect(added.status).toBe(303);
    const note = await ctx.db.internalNote.findFirstOrThrow({ where: { requestId: request.id } });
    expect(note.text).toBe("Rappeler lundi.\r\nMerci.");
    const search = await staff.get("/agent?q=Mar%00tin");
    expect(search.status).toBe(200);
  });
});

describe("A document of a section that no longer applies", () => {
  async function send(agent: Agent) {
    const page = await agent.get("/demande/etape/avis");
    expect(page.status).toBe(200);
    const draftId = /name="draftId" value="([^"]+)"/.exec(page.text)![1]!;
    const answer = await agent
      .post("/demande/etape/avis")
      .type("form")
      .send({ _csrf: csrfTokenIn(page.text), draftId, satisfaction: "Très satisfait", action: "envoyer" });
    expect(answer.status).toBe(303);
    return /DEM-\d{10}/.exec(answer.headers.location!)![0];
  }

  it("is neither submitted nor shown, and is deleted: a RIB after « Non » to the direct debit", async () => {
    const { agent } = await newApplicant();
    await fillFirstRequest(agent, { directDebit: true });
    const rib = await ctx.db.requestDocument.findFirstOrThrow({
      where: { section: "RIB", originalName: "rib.pdf", request: { status: "DRAFT", applicant: { email: `televersement${counter}@example.fr` } } },
    });
    expect(await storedFiles()).toContain(rib.storedName);

    expect((await step(agent, "participation", { directDebit: "non" })).status).toBe(303);
    expect((await step(agent, "justificatifs", {})).status).toBe(303);
    expect((await step(agent, "recapitulatif", { navigoNumber: "12345678" })).status).toBe(303);
    const number = await send(agent);

    expect(await ctx.db.requestDocument.count({ where: { id: rib.id } })).toBe(0);
    expect(await storedFiles()).not.toContain(rib.storedName);
    for (const page of [
      await agent.get(`/mes-demandes/${number}`),
      await agent.get(`/mes-demandes/${number}/confirmation`),
      await staff.get(`/agent/demandes/${number}`),
    ]) {
      expect(page.status).toBe(200);
      expect(textOf(page.text)).not.toContain("rib.pdf");
      expect(textOf(page.text)).toContain("identity.pdf");
    }
    await expectDiskMatchesRows();
  });

  it("is neither submitted nor shown, and is deleted: a first request's documents after switching to a renewal", async () => {
    const { agent } = await newApplicant();
    await fillFirstRequest(agent);
    expect((await step(agent, "type", { type: "RENEWAL" })).status).toBe(303);
    // A renewal asks no eligibility questions: walk on to the end from where the wizard resumes.
    const resumed = (await agent.get("/demande")).headers.location!;
    if (resumed.endsWith("/zonage")) await step(agent, "zonage", { statutCode: "PA", zonageCode: "Z2_5" });
    for (const slug of ["revenus", "aidant", "participation", "justificatifs", "recapitulatif"]) {
      const page = await agent.get(`/demande/etape/${slug}`);
      if (page.status !== 200) continue;
      const fields: Record<string, Record<string, string>> = {
        revenus: { referenceTaxIncome: "9 850", taxShares: "1,5" },
        aidant: { aidantName: "", aidantEmail: "" },
        participation: { directDebit: "non" },
        justificatifs: {},
        recapitulatif: { navigoNumber: "12345678" },
      };
      expect((await step(agent, slug, fields[slug]!)).status, slug).toBe(303);
    }
    const number = await send(agent);
    const request = await ctx.db.request.findUniqueOrThrow({ where: { number }, include: { documents: true } });
    expect(request.type).toBe("RENEWAL");
    expect(request.documents.map((document) => document.section).sort()).toEqual(["IDENTITY", "NAVIGO", "TAX_NOTICE"]);
    const agentPage = textOf((await staff.get(`/agent/demandes/${number}`)).text);
    expect(agentPage).not.toContain("address.pdf");
    expect(agentPage).not.toContain("situation.pdf");
    await expectDiskMatchesRows();
  });
});

describe("Documents of sections that no longer applied, already submitted", () => {
  it("are deleted by the migration, and their files by the orphan sweep; stored names lose their bidi characters", async () => {
    const store = async (requestId: string, section: string) => {
      const temp = `${ctx.storage.incomingDir}/${section}-${requestId}`;
      await writeFile(temp, pdfFile(section));
      const storedName = await ctx.storage.keep(temp);
      return ctx.db.requestDocument.create({
        data: { requestId, section, originalName: `${section.toLowerCase()}.pdf`, storedName, mimeType: "application/pdf", sizeBytes: 300 },
      });
    };
    const renewalWithoutDebit = await seedRequest(ctx.db, { type: "RENEWAL" });
    const firstWithDebit = await seedRequest(ctx.db, { type: "FIRST", extra: { directDebit: true } });
    const stale = [
      await store(renewalWithoutDebit.id, "RIB"),
      await store(renewalWithoutDebit.id, "ADDRESS"),
      await store(renewalWithoutDebit.id, "SITUATION"),
    ];
    const kept = [
      await store(renewalWithoutDebit.id, "IDENTITY"),
      await store(renewalWithoutDebit.id, "COMPLEMENT"),
      await store(firstWithDebit.id, "RIB"),
      await store(firstWithDebit.id, "ADDRESS"),
      await store(firstWithDebit.id, "SITUATION"),
    ];

    const misleading = await store(firstWithDebit.id, "IDENTITY");
    await ctx.db.requestDocument.update({ where: { id: misleading.id }, data: { originalName: "\u202Efdp.exe\u200B.pdf" } });
    kept.push(misleading);

    const sql = await readFile(new URL("../../prisma/migrations/20261129120000_clean_documents/migration.sql", import.meta.url), "utf8");
    await ctx.pool.query(sql);
    await sweepOrphanUploads(ctx.db, ctx.storage, ctx.clock, 0);

    expect(await ctx.db.requestDocument.count({ where: { id: { in: stale.map((document) => document.id) } } })).toBe(0);
    expect(await ctx.db.requestDocument.count({ where: { id: { in: kept.map((document) => document.id) } } })).toBe(kept.length);
    expect((await ctx.db.requestDocument.findUniqueOrThrow({ where: { id: misleading.id } })).originalName).toBe("fdp.exe.pdf");
    const onDisk = await storedFiles();
    for (const document of stale) expect(onDisk).not.toContain(document.storedName);
    for (const document of kept) expect(onDisk).toContain(document.storedName);
    await expectDiskMatchesRows();
  });
});

describe("More than one batch of missing documents", () => {
  it("lets the applicant add files again after « Pièce complémentaire reçue », and shows the agent each batch with its time", async () => {
    const { applicant, number } = await awaitingDocument();
    const post = await uploader(applicant, `/mes-demandes/${number}`);
    expect((await post(`/mes-demandes/${number}/pieces`, [{ name: "avis-page-1.pdf", content: pdfFile("1") }])).status).toBe(303);

    const page = await applicant.get(`/mes-demandes/${number}`);
    expect(textOf(page.text)).toContain("Pièce complémentaire reçue");
    expect(textOf(page.text)).toContain("Joindre un ou plusieurs fichiers");
    const second = await post(`/mes-demandes/${number}/pieces`, [
      { name: "avis-page-2.pdf", content: pdfFile("2") },
      { name: "avis-page-3.pdf", content: pdfFile("3") },
    ]);
    expect(second.status).toBe(303);
    const request = await ctx.db.request.findUniqueOrThrow({ where: { number }, include: { documents: true, statusChanges: true } });
    expect(request.status).toBe("DOCUMENT_RECEIVED");
    expect(request.documents).toHaveLength(3);
    expect(request.statusChanges.filter((change) => change.toStatus === "DOCUMENT_RECEIVED")).toHaveLength(1);

    const agentPage = textOf((await staff.get(`/agent/demandes/${number}`)).text);
    const batches = agentPage.split(/Envoi n° \d+ reçu le \d{1,2} \S+ \d{4} à \d{2}:\d{2}/).slice(1);
    expect(batches).toHaveLength(2);
    expect(batches[0]).toContain("avis-page-1.pdf");
    expect(batches[0]).not.toContain("avis-page-2.pdf");
    expect(batches[1]).toContain("avis-page-2.pdf");
    expect(batches[1]).toContain("avis-page-3.pdf");
    const applicantPage = textOf((await applicant.get(`/mes-demandes/${number}`)).text);
    expect(applicantPage.split(/Envoi n° \d+ reçu le/)).toHaveLength(3);

    // Once the agent takes the request up again, the form is gone and a late upload is refused.
    await ctx.db.$transaction((tx) => changeStatus(tx, { requestId: request.id, to: "IN_REVIEW", actor: "agent", actorId: staffId, publicUrl: PUBLIC_URL }));
    expect(textOf((await applicant.get(`/mes-demandes/${number}`)).text)).not.toContain("Joindre un ou plusieurs fichiers");
    const late = await post(`/mes-demandes/${number}/pieces`, [{ name: "tard.pdf", content: pdfFile() }]);
    expect(late.status).toBe(422);
    expect(textOf(late.text)).toContain("n'attend pas de pièce complémentaire");
    await expectDiskMatchesRows();
  });
});
