/**
 * The home page says who can ask and what is left to pay from the reference
 * data the administrators edit, so it never contradicts the wizard.
 */
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loggedInStaff, situationsForm } from "../support/back-office.js";
import { submitForm, textOf } from "../support/browserless.js";
import { recordQueries } from "../support/query-count.js";
import { createTestContext, type TestContext } from "../support/test-app.js";

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => ctx.close());

describe("Home page and reference data", () => {
  it("reads the reference data once for a burst of visitors", async () => {
    const recording = recordQueries();
    try {
      const pages = await Promise.all(Array.from({ length: 10 }, () => request(ctx.app).get("/")));
      for (const page of pages) expect(textOf(page.text)).toContain("60 ans ou plus");
    } finally {
      recording.stop();
    }
    expect(recording.sent.filter((query) => query.text.includes('"Statut"'))).toHaveLength(1);
  });

  it("shows the participations and ages of the reference data, and follows an administrator's change", async () => {
    const before = textOf((await request(ctx.app).get("/")).text);
    expect(before).toContain("de 24 € à 42 €");
    expect(before).toContain("60 ans ou plus");
    expect(before).toContain("65 ans ou plus");

    const { admin } = await loggedInStaff(ctx);
    expect((await submitForm(admin, "/admin/participations", { Z1_5: "45,50", Z2_5: "30", Z3_5: "24" })).status).toBe(303);
    const situations = situationsForm({ "PA-minimumAge": "62" });
    expect((await submitForm(admin, "/admin/statuts", situations)).status).toBe(303);

    const after = textOf((await request(ctx.app).get("/")).text);
    expect(after).toContain("de 24 € à 45,50 €");
    expect(after).toContain("Zones 1 à 5 : 45,50 €");
    expect(after).toContain("62 ans ou plus");
    expect(after).not.toContain("60 ans ou plus");
  });
});
