/**
 * Two servers, one portal: two instances of the application in this process,
 * each with its own connection pools, session store, throttles, mail worker,
 * S3 client and local folder for temporary copies, sharing nothing in memory
 * but one PostgreSQL database and one bucket (a real s3rver), as two portal
 * processes behind a load balancer would. A person goes back and forth
 * between them as a load balancer without sticky sessions would send them.
 */
import { writeFile } from "node:fs/promises";
import path from "node:path";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DocumentStorage } from "../../src/features/documents/document-storage.js";
import { ORPHAN_SWEEPER_JOB, sweepAsOneOfSeveral } from "../../src/features/documents/orphan-sweeper.js";
import { hashPassword } from "../../src/features/account/passwords.js";
import { runExclusively } from "../../src/lib/exclusive-job.js";
import { GOOD_PASSWORD, registerAndActivate } from "../support/accounts.js";
import { fillFirstRequest, fillProfile, PROFILE, upload } from "../support/applicant.js";
import { csrfTokenIn, newBrowser, textOf, type Agent } from "../support/browserless.js";
import { pdfFile } from "../support/files.js";
import { S3TestServer } from "../support/s3-server.js";
import { createTestContext, MANY_REGISTRATIONS, TestClock, type TestContext } from "../support/test-app.js";

let s3: S3TestServer;
let a: TestContext;
let b: TestContext;
beforeAll(async () => {
  s3 = await S3TestServer.start();
  const storage = (uploadsDir: string) => s3.storage(path.join(uploadsDir, ".incoming"));
  a = await createTestContext({ storage, throttleRules: MANY_REGISTRATIONS });
  b = await createTestContext({ storage, throttleRules: MANY_REGISTRATIONS, sharedDatabaseUrl: a.databaseUrl, sharedSmtp: a.smtp });
});
afterAll(async () => {
  await b.close();
  await a.close();
  await s3.close();
});

/** The session cookie a browser holds after an answer of one server, to present to the other. */
function sessionCookie(answer: { headers: Record<string, unknown> }): string {
  const cookies = answer.headers["set-cookie"] as string[] | undefined;
  const session = cookies?.find((cookie) => cookie.startsWith("amethyste.sid="));
  expect(session).toBeDefined();
  return session!.split(";")[0]!;
}

async function logInOn(server: TestContext, email: string, password = GOOD_PASSWORD) {
  const browser = newBrowser(server.app);
  const page = await browser.get("/connexion");
  const answer = await browser
    .post("/connexion")
    .type("form")
    .send({ _csrf: csrfTokenIn(page.text), email, password });
  return { browser, answer };
}

describe("Two servers, one portal", () => {
  it("a person logged in on A continues on B: the cookie of A opens B's pages, and a form of A is accepted by B", async () => {
    await registerAndActivate(a, newBrowser(a.app), { email: "navette@example.fr", firstName: "Noémie" });
    const { answer } = await logInOn(a, "navette@example.fr");
    expect(answer.status).toBe(303);
    const cookie = sessionCookie(answer);

    const onB = await newBrowser(b.app).get("/mes-informations").set("Cookie", cookie);
    expect(onB.status).toBe(200);
    expect(textOf(onB.text)).toContain("Noémie");

    // The form comes from A, its answer goes to B (the CSRF token lives in the shared session).
    const form = await newBrowser(a.app).get("/mes-informations").set("Cookie", cookie);
    const saved = await newBrowser(b.app)
      .post("/mes-informations")
      .set("Cookie", cookie)
      .type("form")
      .send({ ...PROFILE, email: "navette@example.fr", _csrf: csrfTokenIn(form.text) });
    expect(saved.status).toBe(303);

    // Logged out on B, the cookie no longer opens A.
    const home = await newBrowser(b.app).get("/mes-demandes").set("Cookie", cookie);
    await newBrowser(b.app)
      .post("/deconnexion")
      .set("Cookie", cookie)
      .type("form")
      .send({ _csrf: csrfTokenIn(home.text) });
    const afterLogout = await newBrowser(a.app).get("/mes-informations").set("Cookie", cookie);
    expect(afterLogout.status).toBe(302);
    expect(afterLogout.headers.location).toMatch(/^\/connexion/);
  });

  it("a file uploaded through A is downloaded through B, the same bytes", async () => {
    const applicant: Agent = newBrowser(a.app);
    await registerAndActivate(a, applicant, { email: "fichier-partage@example.fr" });
    await fillProfile(applicant, "fichier-partage@example.fr");
    await fillFirstRequest(applicant);
    const content = Buffer.concat([pdfFile("Passeport"), Buffer.alloc(200_000, 0x20)]);
    const sent = await upload(applicant, "IDENTITY", [{ name: "passeport.pdf", content }]);
    expect(sent.status).toBe(303);
    const document = await a.db.requestDocument.findFirstOrThrow({ where: { originalName: "passeport.pdf" } });

    const { answer } = await logInOn(b, "fichier-partage@example.fr");
    const download = await newBrowser(b.app)
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

  it("each mail is sent once when both mail workers deliver at the same time", async () => {
    a.smtp.mails.length = 0;
    const addresses = Array.from({ length: 12 }, (_, index) => `courrier${index}@example.fr`);
    // Registrations on both servers, alternately; their mails wait in the one outbox.
    for (const [index, email] of addresses.entries()) {
      const server = index % 2 === 0 ? a : b;
      const browser = newBrowser(server.app);
      const page = await browser.get("/inscription");
      const answer = await browser
        .post("/inscription")
        .type("form")
        .send({ _csrf: csrfTokenIn(page.text), lastName: "Ikse", firstName: "Igrek", email });
      expect(answer.status).toBe(303);
    }

    const [sentByA, sentByB] = await Promise.all([a.deliverMails(), b.deliverMails()]);

    expect(sentByA + sentByB).toBe(addresses.length);
    for (const email of addresses) expect(a.smtp.to(email), email).toHaveLength(1);
    expect(await a.db.outboxMail.count({ where: { status: "PENDING" } })).toBe(0);
  });

  it("the bucket is swept by one server at a time (the advisory lock), and only its orphans go", async () => {
    const documentsBefore = await a.db.requestDocument.findMany({ select: { storedName: true } });
    const tempPath = path.join(b.storage.incomingDir, DocumentStorage.randomName());
    await writeFile(tempPath, pdfFile("envoi dont la ligne n'a jamais été écrite"));
    const orphan = await b.storage.keep(tempPath);
    const later = new TestClock();
    later.advance(2 * 60 * 60 * 1000);

    // While A sweeps (holds the lock), B's sweep leaves the bucket alone.
    const duringA = await runExclusively(a.pool, ORPHAN_SWEEPER_JOB, () => sweepAsOneOfSeveral(b.pool, b.db, b.storage, later));
    expect(duringA).toEqual({ ran: true, result: { orphans: null, leftovers: 0 } });
    expect(await storedNames()).toContain(orphan);

    // Once A is done, B sweeps: the orphan goes, every document stays.
    expect(await sweepAsOneOfSeveral(b.pool, b.db, b.storage, later)).toEqual({ orphans: 1, leftovers: 0 });
    const left = await storedNames();
    expect(left).not.toContain(orphan);
    for (const { storedName } of documentsBefore) expect(left).toContain(storedName);
  });

  it("login attempts alternating between A and B are refused at the same count as on one server", async () => {
    await registerAndActivate(a, newBrowser(a.app), { email: "alterne@example.fr" });
    await registerAndActivate(a, newBrowser(a.app), { email: "un-seul@example.fr" });

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
  for await (const batch of a.storage.storedBefore(new Date(Date.now() + 60_000), 1000)) names.push(...batch);
  return names;
}
