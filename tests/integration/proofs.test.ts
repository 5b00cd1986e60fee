/**
 * The proofs as PDF (« récépissé de dépôt », « attestation de droit au forfait
 * Améthyste »), read as a person's tools read them (pdftotext, pdfinfo), who
 * may download them, and /verifier, which tells only valid or not, the kind
 * and the dates.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultThrottleRules } from "../../src/middleware/rate-limit.js";
import { logIn } from "../support/accounts.js";
import { loggedInStaff, postStatus, seedRequest } from "../support/back-office.js";
import { linkIn, newBrowser, submitForm, textOf, type Agent } from "../support/browserless.js";
import { download, pdfFonts, pdfInfo, pdfStructure, pdfText } from "../support/pdf.js";
import { createTestContext, type TestContext } from "../support/test-app.js";

const CODE = /[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}/;

let ctx: TestContext;
let agent: Agent;
let admin: Agent;
beforeAll(async () => {
  ctx = await createTestContext();
  ({ agent, admin } = await loggedInStaff(ctx));
});
afterAll(async () => ctx.close());

let people = 0;
/** A sent request of Lucie Morel (or another name), and her browser, logged in. */
async function applicantWithRequest(options: Parameters<typeof seedRequest>[1] = {}) {
  people += 1;
  const email = `preuve${people}@example.fr`;
  const request = await seedRequest(ctx.db, { firstName: "Lucie", lastName: "Morel-Hélène", email, ...options });
  const browser = newBrowser(ctx.app);
  expect((await logIn(browser, email)).status).toBe(303);
  return { request, number: request.number!, browser, email };
}

function codeIn(text: string): string {
  const code = CODE.exec(text)?.[0];
  if (!code) throw new Error(`Aucun code de vérification dans :\n${text}`);
  return code;
}

const verify = (browser: Agent, code: string) => submitForm(browser, "/verifier", { code });

describe("« Récépissé de dépôt »", () => {
  it("is a tagged PDF in French, with a title, an embedded font, the département, the number, the name, the date and a stored code", async () => {
    const { request, number, browser } = await applicantWithRequest({ submittedAt: new Date("2026-11-20T09:30:00Z") });

    const page = textOf((await browser.get(`/mes-demandes/${number}`)).text);
    expect(page).toContain("Récépissé de dépôt (PDF)");
    expect(page).not.toContain("Attestation de droit au forfait Améthyste (PDF)");

    const pdf = await download(browser, `/mes-demandes/${number}/recepisse`);
    expect(pdf.status).toBe(200);
    expect(pdf.headers["content-type"]).toBe("application/pdf");
    expect(pdf.headers["cache-control"]).toBe("private, no-store");
    expect(pdf.headers["content-disposition"]).toBe(`attachment; filename=recepisse-${number}.pdf`);
    expect(pdf.body.subarray(0, 5).toString()).toBe("%PDF-");

    const text = await pdfText(pdf.body);
    expect(text).toContain("Département de la Seine-Saint-Denis");
    expect(text).toContain("Récépissé de dépôt");
    expect(text).toContain(`Numéro de demande : ${number}`);
    expect(text).toContain("Demandeur : Lucie MOREL-HÉLÈNE");
    expect(text).toContain("Déposée le : 20 novembre 2026 à 10:30");
    const code = codeIn(text);
    const stored = await ctx.db.proofCode.findUniqueOrThrow({ where: { requestId_kind: { requestId: request.id, kind: "RECEIPT" } } });
    expect(stored.code).toBe(code);

    const info = await pdfInfo(pdf.body);
    expect(info.Title).toBe(`Récépissé de dépôt – demande ${number}`);
    expect(info.Tagged).toBe("yes");
    const raw = pdf.body.toString("latin1");
    expect(raw).toContain("/Lang (fr-FR)");
    expect(raw).toMatch(/\/StructTreeRoot \d+ 0 R/);
    expect(raw).toMatch(/\/Marked true/);
    expect(raw).toContain("/DisplayDocTitle true");
    const structure = await pdfStructure(pdf.body);
    expect(structure).toMatch(/H1 \(block\)\s+"Récépissé de dépôt"/);
    expect(structure).toMatch(/H2 \(block\)\s+"Code de vérification"/);
    expect(structure).toContain("P (block)");
    const fonts = await pdfFonts(pdf.body);
    expect(fonts).toMatch(/AtkinsonHyperlegible-Regular\s+CID TrueType\s+Identity-H\s+yes yes yes/);

    // The same code on every copy, even two first downloads at once.
    const again = await download(browser, `/mes-demandes/${number}/recepisse`);
    expect(codeIn(await pdfText(again.body))).toBe(code);
    const { number: other, browser: otherBrowser } = await applicantWithRequest();
    const both = await Promise.all([download(otherBrowser, `/mes-demandes/${other}/recepisse`), download(otherBrowser, `/mes-demandes/${other}/recepisse`)]);
    const [first, second] = await Promise.all(both.map(async (answer) => codeIn(await pdfText(answer.body))));
    expect(first).toBe(second);
    expect(first).not.toBe(code);
  });

  it("writes names with letters beyond French ones, from the font's extended file", async () => {
    const { number, browser } = await applicantWithRequest({ firstName: "Łucja", lastName: "Şahin-Ğür" });
    const pdf = (await download(browser, `/mes-demandes/${number}/recepisse`)).body;
    expect(await pdfText(pdf)).toContain("Demandeur : Łucja ŞAHIN-ĞÜR");
    expect((await pdfFonts(pdf)).match(/AtkinsonHyperlegible-Regular\s+CID TrueType\s+Identity-H\s+yes yes yes/g)).toHaveLength(2);
  });

  it("is linked from the confirmation page", async () => {
    const { number, browser } = await applicantWithRequest();
    const confirmation = await browser.get(`/mes-demandes/${number}/confirmation`);
    expect(confirmation.text).toContain(`href="/mes-demandes/${number}/recepisse"`);
    expect(textOf(confirmation.text)).toContain("Télécharger le récépissé de dépôt (PDF)");
  });

  it("is downloaded by an aidant acting for the applicant, as the person's page offers it", async () => {
    const { request, number } = await applicantWithRequest();
    // The aidant is an applicant with a request of their own.
    const { request: own, browser: aidant } = await applicantWithRequest({ firstName: "Paul" });
    await ctx.db.aidantAccess.create({ data: { applicantId: request.applicantId, aidantId: own.applicantId } });
    expect((await submitForm(aidant, "/personnes-aidees", { personId: request.applicantId }, "/personnes-aidees/agir")).status).toBe(303);
    expect((await aidant.get(`/mes-demandes/${number}`)).text).toContain(`href="/mes-demandes/${number}/recepisse"`);
    const pdf = await download(aidant, `/mes-demandes/${number}/recepisse`);
    expect(pdf.status).toBe(200);
    expect(await pdfText(pdf.body)).toContain(`Numéro de demande : ${number}`);
    // The download is in the audit log, with the aidant as its author and the person it was for.
    const opened = await ctx.db.auditLog.findMany({ where: { actorId: own.applicantId, action: "AIDANT_ACTION" } });
    expect(opened.map((entry) => entry.details)).toEqual([{ userId: request.applicantId, method: "GET", page: "/mes-demandes/:number/recepisse", number }]);
    // Still only the person's: the aidant's own request is not reached while acting for someone else.
    expect((await aidant.get(`/mes-demandes/${own.number}/recepisse`)).status).toBe(404);
  });

  it("is only for its applicant and the agents: another applicant gets the 404 page, a visitor the login", async () => {
    const { number } = await applicantWithRequest();
    const { browser: stranger } = await applicantWithRequest();
    for (const url of [`/mes-demandes/${number}/recepisse`, `/mes-demandes/${number}/attestation`]) {
      const refused = await stranger.get(url);
      expect(refused.status, url).toBe(404);
      expect(refused.headers["content-type"], url).toMatch(/^text\/html/);
      const anonymous = await newBrowser(ctx.app).get(url);
      expect(anonymous.status, url).toBe(302);
      expect(anonymous.headers.location, url).toBe("/connexion");
    }
    // An applicant cannot use the agents' route, even for their own request.
    const { number: own, browser } = await applicantWithRequest();
    expect((await browser.get(`/agent/demandes/${own}/recepisse`)).status).toBe(404);
    expect((await newBrowser(ctx.app).get(`/agent/demandes/${own}/recepisse`)).headers.location).toBe("/connexion");
    // Nor does a draft have one, nor a number that does not exist.
    expect((await browser.get("/mes-demandes/DEM-9999999999/recepisse")).status).toBe(404);
    expect((await browser.get("/mes-demandes/pas-un-numero/recepisse")).status).toBe(404);
    // A number PostgreSQL cannot even read (a NUL byte, found by the fuzz) is the same plain 404, never a 500.
    for (const kind of ["recepisse", "attestation"]) {
      expect((await browser.get(`/mes-demandes/Bob%00igny/${kind}`)).status).toBe(404);
      expect((await agent.get(`/agent/demandes/DEM-%00/${kind}`)).status).toBe(404);
    }
  });

  it("is opened by an agent from the request's page, and the opening is audited", async () => {
    const { request, number } = await applicantWithRequest();
    const page = await agent.get(`/agent/demandes/${number}`);
    expect(page.text).toContain(`href="/agent/demandes/${number}/recepisse"`);
    expect(page.text).not.toContain(`/agent/demandes/${number}/attestation`);
    const pdf = await download(agent, `/agent/demandes/${number}/recepisse`);
    expect(pdf.status).toBe(200);
    expect(pdf.headers["cache-control"]).toBe("private, no-store");
    expect(await pdfText(pdf.body)).toContain(`Numéro de demande : ${number}`);
    expect(await ctx.db.auditLog.count({ where: { action: "DOCUMENT_OPENED", requestId: request.id, actor: { email: "guichet@cd93.fr" } } })).toBe(1);
    expect((await admin.get(`/agent/demandes/${number}/recepisse`)).status).toBe(200);
    expect((await agent.get(`/agent/demandes/${number}/attestation`)).status).toBe(404);
  });
});

describe("« Attestation de droit au forfait Améthyste »", () => {
  it("is not there before the validation, then is linked in the mail and the pages, with the dates", async () => {
    const { number, browser, email } = await applicantWithRequest({ status: "IN_REVIEW" });
    expect((await browser.get(`/mes-demandes/${number}/attestation`)).status).toBe(404);

    expect((await postStatus(agent, number, { status: "APPROVED", validFrom: "01/01/2027", validUntil: "31/12/2027" })).status).toBe(303);
    await ctx.deliverMails();
    const mail = await ctx.smtp.waitFor(email, `${number} : Validée`);
    expect(mail.text).toContain("L'attestation de droit au forfait Améthyste, en PDF, est disponible après connexion");
    const link = linkIn(mail.text, `/mes-demandes/${number}/attestation`);
    // Followed from the mail while logged out: « Connexion », then the PDF.
    const fromMail = newBrowser(ctx.app);
    expect((await fromMail.get(link)).headers.location).toBe("/connexion");
    const login = await logIn(fromMail, email);
    expect(login.headers.location).toBe(link);
    expect((await download(fromMail, link)).headers["content-type"]).toBe("application/pdf");

    const page = await browser.get(`/mes-demandes/${number}`);
    expect(page.text).toContain(`href="/mes-demandes/${number}/attestation"`);
    expect(textOf(page.text)).toContain("Attestation de droit au forfait Améthyste (PDF)");
    expect((await agent.get(`/agent/demandes/${number}`)).text).toContain(`href="/agent/demandes/${number}/attestation"`);

    const pdf = await download(browser, link);
    expect(pdf.status).toBe(200);
    expect(pdf.headers["content-disposition"]).toBe(`attachment; filename=attestation-${number}.pdf`);
    const text = await pdfText(pdf.body);
    expect(text).toContain("Département de la Seine-Saint-Denis");
    expect(text).toContain("Attestation de droit au forfait Améthyste");
    expect(text).toContain("Le Département de la Seine-Saint-Denis atteste que Lucie MOREL-HÉLÈNE a droit au forfait Améthyste.");
    expect(text).toContain("Droit valable du 01/01/2027 au 31/12/2027");
    expect(text).toContain(`Numéro de demande : ${number}`);
    const code = codeIn(text);
    const info = await pdfInfo(pdf.body);
    expect(info.Title).toBe(`Attestation de droit au forfait Améthyste – demande ${number}`);
    expect(info.Tagged).toBe("yes");
    expect(pdf.body.toString("latin1")).toContain("/Lang (fr-FR)");
    expect(await pdfStructure(pdf.body)).toMatch(/H1 \(block\)\s+"Attestation de droit au forfait Améthyste"/);

    // The receipt keeps its own code.
    const receipt = codeIn(await pdfText((await download(browser, `/mes-demandes/${number}/recepisse`)).body));
    expect(receipt).not.toBe(code);
    // The agent gets the same attestation.
    expect(codeIn(await pdfText((await download(agent, `/agent/demandes/${number}/attestation`)).body))).toBe(code);
  });

  it("gets a new code when its dates change, and the old code no longer verifies", async () => {
    const { request, number, browser } = await applicantWithRequest({
      status: "APPROVED",
      extra: { validFrom: new Date("2026-01-01T00:00:00Z"), validUntil: new Date("2030-12-31T00:00:00Z") },
    });
    const before = codeIn(await pdfText((await download(browser, `/mes-demandes/${number}/attestation`)).body));
    await ctx.db.request.update({ where: { id: request.id }, data: { validUntil: new Date("2031-06-30T00:00:00Z") } });
    const after = await pdfText((await download(browser, `/mes-demandes/${number}/attestation`)).body);
    expect(after).toContain("Droit valable du 01/01/2026 au 30/06/2031");
    expect(codeIn(after)).not.toBe(before);
    expect(textOf((await verify(newBrowser(ctx.app), before)).text)).toContain("Non valide.");
    expect(textOf((await verify(newBrowser(ctx.app), codeIn(after))).text)).toContain(
      "Valide. Attestation de droit au forfait Améthyste : droit valable du 01/01/2026 au 30/06/2031.",
    );
  });
});

describe("/verifier", () => {
  it("is a public form with a label, a hint and a CSRF token", async () => {
    const page = await newBrowser(ctx.app).get("/verifier");
    expect(page.status).toBe(200);
    expect(page.text).toContain('name="_csrf"');
    expect(page.text).toMatch(/<label[^>]*for="champ-code"[^>]*>\s*Code de vérification/);
    expect(textOf(page.text)).toContain("12 lettres et chiffres, imprimés sur le document, par exemple H4RT-9KXW-M2PZ");
  });

  it("says valid, the kind and the dates, and nothing about the person, however the code is typed", async () => {
    const { number, browser } = await applicantWithRequest({
      status: "APPROVED",
      submittedAt: new Date("2026-10-02T08:00:00Z"),
      extra: { validFrom: new Date("2026-11-01T00:00:00Z"), validUntil: new Date("2099-10-31T00:00:00Z") },
    });
    const receipt = codeIn(await pdfText((await download(browser, `/mes-demandes/${number}/recepisse`)).body));
    const attestation = codeIn(await pdfText((await download(browser, `/mes-demandes/${number}/attestation`)).body));
    const visitor = newBrowser(ctx.app);

    const receiptAnswer = await verify(visitor, receipt.toLowerCase().replace(/-/g, " "));
    expect(receiptAnswer.status).toBe(200);
    const receiptText = textOf(receiptAnswer.text);
    expect(receiptText).toContain(`Résultat pour le code ${receipt}`);
    expect(receiptText).toContain("Valide. Récépissé de dépôt d'une demande de forfait Améthyste déposée le 2 octobre 2026 à 10:00.");

    const attestationText = textOf((await verify(visitor, attestation)).text);
    expect(attestationText).toContain("Valide. Attestation de droit au forfait Améthyste : droit valable du 01/11/2026 au 31/10/2099.");
    for (const text of [receiptText, attestationText]) {
      expect(text).not.toContain(number);
      expect(text).not.toMatch(/Lucie|MOREL|Morel/);
    }
  });

  it("says not valid for an unknown code and for an attestation whose right has ended", async () => {
    const { number, browser } = await applicantWithRequest({
      status: "APPROVED",
      extra: { validFrom: new Date("2024-01-01T00:00:00Z"), validUntil: new Date("2024-12-31T00:00:00Z") },
    });
    const ended = codeIn(await pdfText((await download(browser, `/mes-demandes/${number}/attestation`)).body));
    const visitor = newBrowser(ctx.app);
    expect(textOf((await verify(visitor, ended)).text)).toContain(
      "Non valide. Attestation de droit au forfait Améthyste : le droit était valable du 01/01/2024 au 31/12/2024, il a pris fin.",
    );
    const unknown = await verify(visitor, "HHHH-JJJJ-KKKK");
    expect(unknown.status).toBe(200);
    expect(textOf(unknown.text)).toContain("Non valide. Aucun document valide ne porte ce code.");
  });

  it.each([
    ["empty", { code: "" }, "Indiquez le code de vérification."],
    ["missing", {}, "Indiquez le code de vérification."],
    ["too short", { code: "ABC" }, "Ce code n'a pas la bonne forme"],
    ["an ambiguous character", { code: "H4RT-9KXW-M2P0" }, "Ce code n'a pas la bonne forme"],
    ["very long", { code: "A".repeat(5000) }, "Le code de vérification comporte 12 caractères"],
  ])("answers %s input at the field with a French message, never a 500", async (_label, fields, message) => {
    const visitor = newBrowser(ctx.app);
    const answer = await submitForm(visitor, "/verifier", fields);
    expect(answer.status).toBe(422);
    const text = textOf(answer.text);
    expect(text).toContain("Il y a une erreur dans le formulaire");
    expect(text).toContain(message);
    expect(answer.text).toContain('href="#champ-code"');
  });

  it("refuses a repeated field (a crafted request) at the field, never a 500", async () => {
    const visitor = newBrowser(ctx.app);
    const page = await visitor.get("/verifier");
    const token = /name="_csrf" value="([^"]+)"/.exec(page.text)![1]!;
    const answer = await visitor
      .post("/verifier")
      .type("form")
      .send(`_csrf=${encodeURIComponent(token)}&code=AAAA-BBBB-CCCC&code=DDDD-EEEE-FFFF`);
    expect(answer.status).toBe(422);
  });

  it("refuses a post without its CSRF token", async () => {
    expect((await newBrowser(ctx.app).post("/verifier").type("form").send({ code: "HHHH-JJJJ-KKKK" })).status).toBe(403);
  });
});

describe("/verifier against guessing", () => {
  let throttled: TestContext;
  beforeAll(async () => {
    throttled = await createTestContext({
      throttleRules: { ...defaultThrottleRules, verificationPerIp: { points: 3, durationSeconds: 3600, blockSeconds: 3600 } },
    });
  });
  afterAll(async () => throttled.close());

  it("counts wrong codes per source address and then refuses with 429, while valid codes give their point back", async () => {
    const request = await seedRequest(throttled.db, { email: "garde@example.fr" });
    const applicant = newBrowser(throttled.app);
    await logIn(applicant, "garde@example.fr");
    const valid = codeIn(await pdfText((await download(applicant, `/mes-demandes/${request.number!}/recepisse`)).body));
    const visitor = newBrowser(throttled.app);
    for (let attempt = 1; attempt <= 5; attempt += 1) {
      expect(textOf((await submitForm(visitor, "/verifier", { code: valid })).text)).toContain("Valide.");
    }
    for (let attempt = 1; attempt <= 3; attempt += 1) {
      expect((await submitForm(visitor, "/verifier", { code: `HHHH-JJJJ-KKK${attempt + 1}` })).status).toBe(200);
    }
    const refused = await submitForm(visitor, "/verifier", { code: valid });
    expect(refused.status).toBe(429);
    expect(refused.headers["retry-after"]).toMatch(/^\d+$/);
    expect(textOf(refused.text)).toContain("Trop de tentatives. Par sécurité, attendez 60 minutes avant de réessayer.");
    expect(textOf(refused.text)).not.toContain("Valide.");
  });
});
