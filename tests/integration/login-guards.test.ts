/**
 * Pages that need a login send a logged-out visitor to « Connexion » and back
 * to the page afterwards; a logged-in person of the wrong role still gets the
 * 404 page, not a hint that the page exists.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { logIn, registerAndActivate } from "../support/accounts.js";
import { createStaff, seedRequest } from "../support/back-office.js";
import { newBrowser, textOf, type Agent } from "../support/browserless.js";
import { createTestContext, type TestContext } from "../support/test-app.js";

let ctx: TestContext;
let applicant: Agent;
let requestNumber: string;

beforeAll(async () => {
  ctx = await createTestContext();
  await createStaff(ctx.db, "agent@cd93.fr");
  await createStaff(ctx.db, "admin@cd93.fr", "ADMIN");
  applicant = newBrowser(ctx.app);
  await registerAndActivate(ctx, applicant, { email: "demandeur@example.fr" });
  requestNumber = (await seedRequest(ctx.db)).number!;
});
afterAll(async () => ctx.close());

const agentPages = () => ["/agent", `/agent/demandes/${requestNumber}`, "/agent/export.csv?statut=SUBMITTED", "/agent/invitations"];
const adminPages = ["/admin/agents", "/admin/journal", "/admin/participations", "/admin/statuts", "/admin/messages", "/admin/statistiques"];

describe("A logged-out visitor", () => {
  it("is sent to « Connexion » from every back-office page, and brought back to it after login", async () => {
    for (const [path, email] of [...agentPages().map((path) => [path, "agent@cd93.fr"]), ...adminPages.map((path) => [path, "admin@cd93.fr"])] as [
      string,
      string,
    ][]) {
      const visitor = newBrowser(ctx.app);
      const answer = await visitor.get(path);
      expect(answer.status, path).toBe(302);
      expect(answer.headers.location, path).toBe("/connexion");
      const login = await logIn(visitor, email);
      expect(login.status, path).toBe(303);
      expect(login.headers.location, path).toBe(path);
      expect((await visitor.get(path)).status, path).toBe(200);
    }
  });

  it("is sent to « Connexion » from the applicant's pages and every other page that needs a login", async () => {
    const someId = "00000000-0000-4000-8000-000000000000";
    for (const path of [
      "/mes-informations",
      "/mon-compte/mot-de-passe",
      "/demande",
      "/demande/etape/type",
      "/mes-demandes",
      "/mes-demandes/terminees",
      `/mes-demandes/${requestNumber}`,
      `/documents/${someId}`,
      `/agent/documents/${someId}`,
      "/agent/demandes/DEM-9999999999",
    ]) {
      const answer = await newBrowser(ctx.app).get(path);
      expect(answer.status, path).toBe(302);
      expect(answer.headers.location, path).toBe("/connexion");
    }
  });
});

describe("A logged-in person of the wrong role", () => {
  it("still gets the 404 page", async () => {
    for (const path of [...agentPages(), ...adminPages]) {
      const answer = await applicant.get(path);
      expect(answer.status, path).toBe(404);
      expect(textOf(answer.text)).toContain("Page introuvable");
    }
    const agent = newBrowser(ctx.app);
    await logIn(agent, "agent@cd93.fr");
    for (const path of adminPages) expect((await agent.get(path)).status, path).toBe(404);
  });
});
