/**
 * The log a person can follow, with nothing personal in it: each line of a
 * request carries its id, the 500 page shows that id as « Référence de
 * l'erreur », and no name, e-mail address, IBAN, tax figure, file name,
 * cookie or password typed in a form ever reaches a line, even when the
 * error itself quotes them.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GOOD_PASSWORD, logIn, registerAndActivate } from "../support/accounts.js";
import { fillFirstRequest, fillProfile, upload } from "../support/applicant.js";
import { newBrowser, submitForm, textOf, type Agent } from "../support/browserless.js";
import { SESSION_COOKIE } from "../../src/middleware/session.js";
import { pdfFile } from "../support/files.js";
import { captureLogs, type LogCapture } from "../support/log-capture.js";
import { createTestContext, MANY_REGISTRATIONS, type TestContext } from "../support/test-app.js";

const EMAIL = "zephyrine.quatremare@example.fr";
const AIDANT_EMAIL = "aidant.quatremare@example.fr";
const IBAN = "FR76 3000 6000 0112 3456 7890 189";
const FILE_NAME = "avis-imposition-quatremare.pdf";
const PERSONAL_VALUES = [
  EMAIL,
  AIDANT_EMAIL,
  "Zéphyrine",
  "Quatremare",
  IBAN,
  IBAN.replaceAll(" ", ""),
  "9 850",
  "9850",
  FILE_NAME,
  GOOD_PASSWORD,
  "06.12.34.56.78",
];

let ctx: TestContext;
let capture: LogCapture;
let browser: Agent;
beforeAll(async () => {
  capture = captureLogs();
  ctx = await createTestContext({ logger: capture.logger, throttleRules: MANY_REGISTRATIONS, env: { LOG_REQUESTS: "true" } });
  browser = newBrowser(ctx.app);
});
afterAll(async () => ctx.close());

describe("Logs", () => {
  it("follow each request by its id, show it on the 500 page, and keep every personal value out", { timeout: 90_000 }, async () => {
    await registerAndActivate(ctx, browser, { email: EMAIL, firstName: "Zéphyrine", lastName: "Quatremare" });
    expect((await submitForm(browser, "/mes-informations", {}, "/deconnexion")).status).toBe(303);
    const wrongPassword = await logIn(browser, EMAIL, "pas-le-bon-mot-de-passe");
    expect(wrongPassword.status).toBe(401);
    expect((await logIn(browser, EMAIL)).status).toBe(303);
    await fillProfile(browser, EMAIL, { firstName: "Zéphyrine", lastName: "Quatremare", birthName: "Quatremare" });
    await fillFirstRequest(browser, { directDebit: true, aidantEmail: AIDANT_EMAIL });
    expect((await upload(browser, "COMPLEMENT", [{ name: FILE_NAME, content: pdfFile("avis") }])).status).toBeLessThan(500);

    // A database error that quotes what it refused, as constraint and trigger messages do.
    await ctx.db.$executeRawUnsafe(`
      CREATE FUNCTION refuse_profile() RETURNS trigger AS $$
      BEGIN RAISE EXCEPTION 'profil refusé pour ${EMAIL} (IBAN ${IBAN})'; END $$ LANGUAGE plpgsql`);
    await ctx.db.$executeRawUnsafe(`CREATE TRIGGER refuse_profile BEFORE UPDATE ON "Profile" FOR EACH ROW EXECUTE FUNCTION refuse_profile()`);
    const failed = await submitForm(browser, "/mes-informations", {
      civility: "MADAME",
      familySituation: "Veuf/Veuve",
      firstName: "Zéphyrine",
      lastName: "Quatremare",
      birthName: "Quatremare",
      birthDate: "18/06/1950",
      street: "1940, avenue du Général de Gaulle",
      postalCode: "93000",
      city: "Bobigny",
      email: EMAIL,
      mobilePhone: "06.12.34.56.78",
      protectionMeasure: "non",
    });
    await ctx.db.$executeRawUnsafe(`DROP TRIGGER refuse_profile ON "Profile"`);

    expect(failed.status).toBe(500);
    const requestId = failed.headers["x-request-id"] as string;
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(textOf(failed.text)).toContain(`Référence de l'erreur : ${requestId}`);

    const entries = capture.entries();
    const ofFailure = entries.filter((entry) => entry.reqId === requestId);
    expect(ofFailure.length).toBeGreaterThanOrEqual(2);
    const logged = ofFailure.find((entry) => entry.msg === "erreur imprévue");
    expect(logged?.level).toBe(50);
    expect(logged?.path).toBe("/mes-informations");
    expect(JSON.stringify(logged?.err)).toContain("[e-mail]");
    expect(ofFailure.some((entry) => entry.msg === "POST /mes-informations 500")).toBe(true);

    // Every line of a request names its request; the requests themselves are method and path only.
    const requestLines = entries.filter((entry) => entry.req !== undefined);
    expect(requestLines.length).toBeGreaterThan(20);
    for (const entry of requestLines) {
      expect(entry.reqId).toEqual((entry.req as { id: unknown }).id);
      expect(Object.keys(entry.req as object).sort()).toEqual(["id", "method", "path"]);
    }

    // Random ids (request ids, request and document uuids) are hexadecimal: one may hold « 9850 » by chance, which
    // says nothing about the tax figure typed, so they are taken out before looking for personal values.
    const everything = capture.lines.join("\n").replace(/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, "<id>");
    for (const value of PERSONAL_VALUES) expect(everything, value).not.toContain(value);
    expect(everything).not.toMatch(new RegExp(`${SESSION_COOKIE}|token=`, "i"));
  });

  it("takes a request id from a proxy only when TRUST_PROXY says there is one", async () => {
    const untrusted = await newBrowser(ctx.app).get("/").set("X-Request-Id", "proxy-id-12345678");
    expect(untrusted.headers["x-request-id"]).not.toBe("proxy-id-12345678");
    const proxied = await createTestContext({ env: { TRUST_PROXY: "true" } });
    try {
      const trusted = await newBrowser(proxied.app).get("/").set("X-Request-Id", "proxy-id-12345678");
      expect(trusted.headers["x-request-id"]).toBe("proxy-id-12345678");
      const odd = await newBrowser(proxied.app).get("/").set("X-Request-Id", "a@b.fr");
      expect(odd.headers["x-request-id"]).not.toBe("a@b.fr");
    } finally {
      await proxied.close();
    }
  });
});
