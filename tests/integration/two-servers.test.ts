/**
 * Two servers, one portal: two real portal processes, started as `npm start`
 * starts one (tests/support/portal-process.ts), each with its own connection
 * pools, session store, throttles, mail worker, S3 client and local folder for
 * temporary copies, sharing nothing but one PostgreSQL database, one bucket (a
 * real s3rver) and the SMTP relay, as two instances behind a load balancer
 * would. A person goes back and forth between them as a load balancer without
 * sticky sessions would send them. The test's own context only made the
 * database and reads it.
 */
import { writeFile } from "node:fs/promises";
import path from "node:path";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPool, endPool } from "../../src/db/pool.js";
import { DocumentStorage } from "../../src/features/documents/document-storage.js";
import { ORPHAN_SWEEPER_JOB, sweepAsOneOfSeveral } from "../../src/features/documents/orphan-sweeper.js";
import { hashPassword } from "../../src/features/account/passwords.js";
import { runExclusively } from "../../src/lib/exclusive-job.js";
import { GOOD_PASSWORD } from "../support/accounts.js";
import { fillFirstRequest, fillProfile, PROFILE, upload } from "../support/applicant.js";
import { csrfTokenIn, textOf, type Agent } from "../support/browserless.js";
import { pdfFile } from "../support/files.js";
import { startPortalProcess, type PortalProcess } from "../support/portal-process.js";
import { S3TestServer } from "../support/s3-server.js";
import { createTestContext, TEST_IBAN_KEY, TEST_SESSION_SECRET, TestClock, type TestContext } from "../support/test-app.js";

let s3: S3TestServer;
let shared: TestContext;
let a: PortalProcess;
let b: PortalProcess;
beforeAll(async () => {
  s3 = await S3TestServer.start();
  shared = await createTestContext({ storage: (uploadsDir) => s3.storage(path.join(uploadsDir, ".incoming")) });
  const { bucket, endpoint, region } = s3.config;
  const env = {
    DATABASE_URL: shared.databaseUrl,
    SMTP_URL: shared.smtp.url,
    SESSION_SECRET: TEST_SESSION_SECRET,
    IBAN_ENCRYPTION_KEY: TEST_IBAN_KEY,
    S3_BUCKET: bucket,
    S3_ENDPOINT: endpoint!,
    S3_REGION: region,
    S3_ACCESS_KEY_ID: "S3RVER",
    S3_SECRET_ACCESS_KEY: "S3RVER",
    S3_FORCE_PATH_STYLE: "true",
    CLAMAV_URL: "",
  };
  [a, b] = await Promise.all([startPortalProcess(env), startPortalProcess(env)]);
}, 180_000);
afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  await shared?.close();
  await s3?.close();
});

/** A browser (cookie jar) speaking to one of the servers. */
const browserOn = (server: PortalProcess): Agent => request.agent(server.url);

/** The session cookie a browser holds after an answer of one server, to present to the other. */
function sessionCookie(answer: { headers: Record<string, unknown> }): string {
  const cookies = answer.headers["set-cookie"] as string[] | undefined;
  const session = cookies?.find((cookie) => cookie.startsWith("amethyste.sid="));
  expect(session).toBeDefined();
  return session!.split(";")[0]!;
}

async function logInOn(server: PortalProcess, email: string, password = GOOD_PASSWORD) {
  const browser = browserOn(server);
  const page = await browser.get("/connexion");
  const answer = await browser
    .post("/connexion")
    .type("form")
    .send({ _csrf: csrfTokenIn(page.text), email, password });
  return { browser, answer };
}

/** An activated account, made in the database: the registration's mails are another test's business. */
async function account(email: string, firstName = "Igrek") {
  await shared.db.user.create({ data: { email, firstName, lastName: "Ikse", passwordHash: await hashPassword(GOOD_PASSWORD), emailVerifiedAt: new Date() } });
}

describe("Two servers, one portal", () => {
  it("a person logged in on A continues on B: the cookie of A opens B's pages, and a form of A is accepted by B", async () => {
    await account("navette@example.fr", "Noémie");
    const { answer } = await logInOn(a, "navette@example.fr");
    expect(answer.status).toBe(303);
    const cookie = sessionCookie(answer);

    const onB = await browserOn(b).get("/mes-informations").set("Cookie", cookie);
    expect(onB.status).toBe(200);
    expect(textOf(onB.text)).toContain("Noémie");

    // The form comes from A, its answer goes to B (the CSRF token lives in the shared session).
    const form = await browserOn(a).get("/mes-informations").set("Cookie", cookie);
    const saved = await browserOn(b)
      .post("/mes-informations")
      .set("Cookie", cookie)
      .type("form")
      .send({ ...PROFILE, email: "navette@example.fr", _csrf: csrfTokenIn(form.text) });
    expect(saved.status).toBe(303);

    // Logged out on B, the cookie no longer opens A.
    const home = await browserOn(b).get("/mes-demandes").set("Cookie", cookie);
    await browserOn(b)
      .post("/deconnexion")
      .set("Cookie", cookie)
      .type("form")
      .send({ _csrf: csrfTokenIn(home.text) });
    const afterLogout = await browserOn(a).get("/mes-informations").set("Cookie", cookie);
    expect(afterLogout.status).toBe(302);
    expect(afterLogout.headers.location).toMatch(/^\/connexion/);
  });

  it("a file uploaded through A is downloaded through B, the same bytes", async () => {
    await account("fichier-partage@example.fr");
    const { browser: applicant } = await logInOn(a, "fichier-partage@example.fr");
    await fillProfile(applicant, "fichier-partage@example.fr");
    await fillFirstRequest(applicant);
    const content = Buffer.concat([pdfFile("Passeport"), Buffer.alloc(200_000, 0x20)]);
    const sent = await upload(applicant, "IDENTITY", [{ name: "passeport.pdf", content }]);
    expect(sent.status).toBe(303);
    const document = await shared.db.requestDocument.findFirstOrThrow({ where: { originalName: "passeport.pdf" } });

    const { answer } = await logInOn(b, "fichier-partage@example.fr");
    const download = await browserOn(b)
      .get(`/documents/${document.id}`)
      .set("Cookie", sessionCookie(answer))
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => done(null, Buffer.concat(chunks)));
      });
    expect(download.status).toBe(200);
    expect((download.body as Buffer).equals(content)).toBe(true);
  });

  it("each mail is sent once while both servers' mail workers deliver", async () => {
    shared.smtp.mails.length = 0;
    const addresses = Array.from({ length: 12 }, (_, index) => `courrier${index}@example.fr`);
    // Registrations on both servers, alternately; their mails wait in the one outbox, which both workers poll.
    for (const [index, email] of addresses.entries()) {
      const browser = browserOn(index % 2 === 0 ? a : b);
      const page = await browser.get("/inscription");
      const answer = await browser
        .post("/inscription")
        .type("form")
        .send({ _csrf: csrfTokenIn(page.text), lastName: "Ikse", firstName: "Igrek", email });
      expect(answer.status).toBe(303);
    }

    for (const email of addresses) await shared.smtp.waitFor(email, "Créez votre mot de passe", 30_000);
    // A worker that claimed a mail twice would have sent it by now: both poll every 2 s.
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    for (const email of addresses) expect(shared.smtp.to(email), email).toHaveLength(1);
    expect(await shared.db.outboxMail.count({ where: { status: "PENDING" } })).toBe(0);
  }, 90_000);

  it("the bucket is swept by one instance at a time (the advisory lock), and only its orphans go", async () => {
    // The sweep is a job of the servers, not a page: two instances' jobs are played here, each with its own pool and S3 client.
    const poolOfB = createPool(shared.databaseUrl, 2);
    const storageOfB = s3.storage(path.join(shared.uploadsDir, ".incoming-b"));
    try {
      await storageOfB.init();
      const documentsBefore = await shared.db.requestDocument.findMany({ select: { storedName: true } });
      const tempPath = path.join(storageOfB.incomingDir, DocumentStorage.randomName());
      await writeFile(tempPath, pdfFile("envoi dont la ligne n'a jamais été écrite"));
      const orphan = await storageOfB.keep(tempPath);
      const later = new TestClock();
      later.advance(2 * 60 * 60 * 1000);

      // While A sweeps (holds the lock), B's sweep leaves the bucket alone.
      const duringA = await runExclusively(shared.pool, ORPHAN_SWEEPER_JOB, () => sweepAsOneOfSeveral(poolOfB, shared.db, storageOfB, later));
      expect(duringA).toEqual({ ran: true, result: { orphans: null, leftovers: 0 } });
      expect(await storedNames()).toContain(orphan);

      // Once A is done, B sweeps: the orphan goes, every document stays.
      expect(await sweepAsOneOfSeveral(poolOfB, shared.db, storageOfB, later)).toEqual({ orphans: 1, leftovers: 0 });
      const left = await storedNames();
      expect(left).not.toContain(orphan);
      for (const { storedName } of documentsBefore) expect(left).toContain(storedName);
    } finally {
      await endPool(poolOfB);
    }
  });

  it("login attempts alternating between A and B are refused at the same count as on one server", async () => {
    await account("alterne@example.fr");
    await account("un-seul@example.fr");

    const alternating: number[] = [];
    const single: number[] = [];
    for (let attempt = 0; attempt < 6; attempt += 1) {
      alternating.push((await logInOn(attempt % 2 === 0 ? a : b, "alterne@example.fr", "mauvais-mot-de-passe")).answer.status);
      single.push((await logInOn(a, "un-seul@example.fr", "mauvais-mot-de-passe")).answer.status);
    }

    expect(single).toEqual([401, 401, 401, 401, 401, 429]);
    expect(alternating).toEqual(single);
    // The right password, on either server, must wait too.
    expect((await logInOn(b, "alterne@example.fr")).answer.status).toBe(429);
  }, 120_000);

  it("neither server logged an error meanwhile", () => {
    for (const server of [a, b]) expect(server.output()).not.toMatch(/"level":(50|60)/);
  });
});

describe("Behind a reverse proxy that terminates TLS (TRUST_PROXY)", () => {
  let proxied: TestContext;
  beforeAll(async () => {
    proxied = await createTestContext({ env: { TRUST_PROXY: "true", PUBLIC_URL: "https://amethyste.example.fr" } });
  });
  afterAll(async () => proxied.close());

  /** What the proxy adds to every request it relays. */
  const relayed = <T extends { set: (name: string, value: string) => T }>(request: T, ip: string) =>
    request.set("X-Forwarded-Proto", "https").set("X-Forwarded-For", ip);

  it("marks the session cookie Secure, keeps the person logged in, and counts attempts per visitor address given by the proxy", async () => {
    await proxied.db.user.create({
      data: {
        email: "derriere-proxy@example.fr",
        firstName: "Igrek",
        lastName: "Ikse",
        passwordHash: await hashPassword(GOOD_PASSWORD),
        emailVerifiedAt: new Date(),
      },
    });
    // A request that did not come through TLS never receives the Secure cookie.
    const inClear = await request(proxied.app).get("/connexion").set("X-Forwarded-For", "198.51.100.7");
    expect(inClear.headers["set-cookie"]).toBeUndefined();

    // Plain requests, the cookie carried by hand: a cookie jar would not send a Secure cookie over the test's plain HTTP.
    const page = await relayed(request(proxied.app).get("/connexion"), "198.51.100.7");
    const login = await relayed(request(proxied.app).post("/connexion"), "198.51.100.7")
      .set("Cookie", sessionCookie(page))
      .type("form")
      .send({ _csrf: csrfTokenIn(page.text), email: "derriere-proxy@example.fr", password: GOOD_PASSWORD });
    expect(login.status).toBe(303);
    const cookie = (login.headers["set-cookie"] as unknown as string[]).find((line) => line.startsWith("amethyste.sid="))!;
    expect(cookie).toMatch(/; Secure/);
    const account = await relayed(request(proxied.app).get("/mes-informations"), "198.51.100.7").set("Cookie", cookie.split(";")[0]!);
    expect(account.status).toBe(200);

    // The per-address throttle counted the visitor's address, not the proxy's.
    const keys = (await proxied.pool.query<{ key: string }>("SELECT key FROM rate_limits")).rows.map((row) => row.key);
    expect(keys.some((key) => key.endsWith("198.51.100.7"))).toBe(true);
    expect(keys.some((key) => key.includes("127.0.0.1"))).toBe(false);
  });
});

/** Every name in the bucket, through the store's own listing. */
async function storedNames(): Promise<string[]> {
  const names: string[] = [];
  for await (const batch of shared.storage.storedBefore(new Date(Date.now() + 60_000), 1000)) names.push(...batch);
  return names;
}
