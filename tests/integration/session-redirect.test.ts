/**
 * A browser follows a redirect as soon as it has read the headers, without
 * waiting for the end of the body. The page it then asks for must already see
 * what the POST stored in the session (here the confirmation message).
 *
 * The race is made certain rather than likely: a trigger makes every write
 * of the session table take SESSION_WRITE_DELAY_S, far longer than the
 * follow-up GET takes to arrive. Without saveSessionBeforeRedirect the
 * session is written after the redirect's headers left, so the GET reads it
 * before the write ends and misses the message, every time.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { logIn, registerAndActivate } from "../support/accounts.js";
import { PROFILE } from "../support/applicant.js";
import { csrfTokenIn, newBrowser, textOf } from "../support/browserless.js";
import { createTestContext, type TestContext } from "../support/test-app.js";

const EMAIL = "presse@example.fr";
const SESSION_WRITE_DELAY_S = 0.4;
let ctx: TestContext;
let server: http.Server;
let port: number;

beforeAll(async () => {
  ctx = await createTestContext();
  await registerAndActivate(ctx, newBrowser(ctx.app), { email: EMAIL, firstName: "Igrek", lastName: "Ikse" });
  server = ctx.app.listen(0, "127.0.0.1");
  await new Promise<void>((resolve) => server.once("listening", () => resolve()));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await ctx.close();
});

/** POSTs a form and, the moment the redirect's headers arrive, GETs its Location, as chromium does. */
function postThenFollowOnHeaders(path: string, cookie: string, fields: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    const body = new URLSearchParams(fields).toString();
    const post = http.request({
      port,
      path,
      method: "POST",
      headers: { cookie, "content-type": "application/x-www-form-urlencoded", "content-length": Buffer.byteLength(body) },
    });
    post.on("error", reject);
    post.on("response", (redirect) => {
      redirect.resume();
      if (redirect.statusCode !== 303) return reject(new Error(`attendu 303, reçu ${redirect.statusCode}`));
      http
        .get({ port, path: redirect.headers.location, headers: { cookie } }, (page) => {
          let html = "";
          page.setEncoding("utf8");
          page.on("data", (chunk: string) => (html += chunk));
          page.on("end", () => resolve(html));
        })
        .on("error", reject);
    });
    post.end(body);
  });
}

describe("A redirect after a POST", () => {
  it("leaves only once the session holding its message is saved", { timeout: 60_000 }, async () => {
    const browser = newBrowser(ctx.app);
    const login = await logIn(browser, EMAIL);
    const cookie = login.headers["set-cookie"]![0]!.split(";")[0]!;
    await ctx.db.$executeRawUnsafe(`
      CREATE FUNCTION slow_session_write() RETURNS trigger AS $$
      BEGIN PERFORM pg_sleep(${SESSION_WRITE_DELAY_S}); RETURN NEW; END $$ LANGUAGE plpgsql`);
    await ctx.db.$executeRawUnsafe(`CREATE TRIGGER slow_session_write BEFORE INSERT OR UPDATE ON session FOR EACH ROW EXECUTE FUNCTION slow_session_write()`);
    for (let attempt = 0; attempt < 5; attempt++) {
      const form = await browser.get("/mes-informations");
      const next = await postThenFollowOnHeaders("/mes-informations", cookie, { _csrf: csrfTokenIn(form.text), ...PROFILE, email: EMAIL });
      expect(textOf(next)).toContain("Vos informations sont mises à jour.");
    }
  });
});
