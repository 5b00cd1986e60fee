/**
 * Pages that show personal data are never kept by the browser (« Cache-Control:
 * no-store »), so that after « Se déconnecter » the Back button on a shared
 * computer shows nothing of the previous person. The browser side of this is
 * in tests/e2e/account-journey.test.ts.
 */
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { logIn } from "../support/accounts.js";
import { loggedInStaff, seedRequest } from "../support/back-office.js";
import { newBrowser, type Agent } from "../support/browserless.js";
import { createTestContext, type TestContext } from "../support/test-app.js";

let ctx: TestContext;
let applicant: Agent;
let staff: { agent: Agent; admin: Agent };
let requestNumber: string;

beforeAll(async () => {
  ctx = await createTestContext();
  staff = await loggedInStaff(ctx);
  const seeded = await seedRequest(ctx.db, { email: "privee@example.fr" });
  requestNumber = seeded.number!;
  applicant = newBrowser(ctx.app);
  await logIn(applicant, "privee@example.fr");
});
afterAll(async () => ctx.close());

function expectNoStore(answer: request.Response, path: string): void {
  expect(answer.status, path).toBeLessThan(400);
  expect(answer.headers["cache-control"], path).toContain("no-store");
}

describe("Pages with personal data are not kept by the browser", () => {
  it("the applicant's pages", async () => {
    for (const path of [
      "/mes-informations",
      "/mes-demandes",
      "/mes-demandes/terminees",
      `/mes-demandes/${requestNumber}`,
      "/demande",
      "/mon-compte/mot-de-passe",
      "/",
    ]) {
      expectNoStore(await applicant.get(path), path);
    }
  });

  it("the back office and the administration", async () => {
    for (const path of ["/agent", `/agent/demandes/${requestNumber}`, "/agent/export.csv", "/agent/invitations"]) {
      expectNoStore(await staff.agent.get(path), path);
    }
    for (const path of ["/admin/agents", "/admin/participations", "/admin/statuts", "/admin/journal", "/admin/messages", "/admin/statistiques"]) {
      expectNoStore(await staff.admin.get(path), path);
    }
  });

  it("pages reached by a link carrying a token, and the redirects of logged-out visitors", async () => {
    for (const path of ["/reinitialiser-mot-de-passe?token=abc", "/inscription/confirmer?token=abc", "/mes-informations"]) {
      const answer = await request(ctx.app).get(path);
      expect(answer.headers["cache-control"], path).toContain("no-store");
    }
  });

  it("static files keep being cacheable", async () => {
    const css = await request(ctx.app).get("/css/portail.css");
    expect(css.status).toBe(200);
    expect(css.headers["cache-control"] ?? "").not.toContain("no-store");
  });
});
