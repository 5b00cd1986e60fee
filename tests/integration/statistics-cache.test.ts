/**
 * « Statistiques » keeps its figures for a few minutes on each server (its
 * aggregates read the whole history) and says when they were computed, by
 * the portal's clock in Paris time; a query that fails is never kept: the
 * administrator gets the « Service momentanément indisponible » page, and the
 * next view computes the figures.
 */
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OVERVIEW_CACHE_MS } from "../../src/features/statistics/statistics-service.js";
import { logIn } from "../support/accounts.js";
import { createStaff } from "../support/back-office.js";
import { decided } from "../support/decisions.js";
import { newBrowser, textOf, type Agent } from "../support/browserless.js";
import { createTestContext, type TestContext } from "../support/test-app.js";

const MINUTE = 60_000;

let ctx: TestContext;
let admin: Agent;

/** What the administrator reads of the page: the count of « Validée », November's decisions, the number of decided requests. */
async function figures() {
  const page = await admin.get("/admin/statistiques");
  expect(page.status).toBe(200);
  const text = textOf(page.text);
  return {
    text,
    validated: /Validée Demandes : (\d+)/.exec(text)?.[1],
    november: /novembre 2026 Reçues : (\d+) Décidées : (\d+)/.exec(text)?.slice(1),
    decided: /pour les (\d+) demandes? décidées?/.exec(text)?.[1],
  };
}

beforeAll(async () => {
  ctx = await createTestContext();
  for (const days of [3, 8]) await decided(ctx.db, "2026-11-20T10:00:00Z", days, "APPROVED");
  await createStaff(ctx.db, "chef.cache@cd93.fr", "ADMIN");
  admin = newBrowser(ctx.app);
  await logIn(admin, "chef.cache@cd93.fr");
});
afterAll(() => ctx?.close());

describe("Figures kept a few minutes", () => {
  it("shows the same figures within the period although a decision was recorded, then the new ones, saying when they were computed", async () => {
    // 29 November 2026 at 17:52:00 UTC, 18 h 52 in Paris: the portal's clock runs on from there (milliseconds until the view).
    ctx.clock.advance(Date.parse("2026-11-29T17:52:00Z") - ctx.clock.now().getTime());
    const first = await figures();
    expect(first).toMatchObject({ validated: "2", november: ["2", "2"], decided: "2" });
    expect(first.text).toContain("Chiffres calculés le 29 novembre 2026 à 18:52 (heure de Paris). Ils sont recalculés au plus toutes les 5 minutes");

    // A decision recorded meanwhile, and a view a minute later: the figures of 18 h 52, as the page says.
    await decided(ctx.db, "2026-11-29T09:00:00Z", 5, "APPROVED");
    ctx.clock.advance(MINUTE);
    const second = await figures();
    expect(second).toMatchObject({ validated: "2", november: ["2", "2"], decided: "2" });
    expect(second.text).toContain("Chiffres calculés le 29 novembre 2026 à 18:52");

    // Once they are older than the period: computed again, the new decision counted, at the new time.
    ctx.clock.advance(OVERVIEW_CACHE_MS);
    const third = await figures();
    expect(third).toMatchObject({ validated: "3", november: ["3", "3"], decided: "3" });
    expect(third.text).toMatch(/Chiffres calculés le 29 novembre 2026 à 18:5[89] \(heure de Paris\)/);
  });

  it("never keeps a failed computation: the « Service momentanément indisponible » page, then the figures on the next view", { timeout: 30_000 }, async () => {
    ctx.clock.advance(OVERVIEW_CACHE_MS + MINUTE);
    // Another session holds the status history locked; the statistics query waits for it until it is cancelled (as a statement timeout would).
    const locker = new pg.Client({ connectionString: ctx.databaseUrl });
    await locker.connect();
    try {
      await locker.query("BEGIN");
      await locker.query('LOCK TABLE "StatusChange" IN ACCESS EXCLUSIVE MODE');
      const pending = admin.get("/admin/statistiques").then((response) => response);
      let cancelled = false;
      for (let attempt = 0; attempt < 100 && !cancelled; attempt += 1) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        const { rows } = await locker.query<{ cancelled: boolean }>(
          `SELECT pg_cancel_backend(pid) AS cancelled FROM pg_stat_activity
           WHERE datname = current_database() AND pid <> pg_backend_pid() AND wait_event_type = 'Lock' AND query LIKE '%StatusChange%'`,
        );
        cancelled = rows.some((row) => row.cancelled);
      }
      expect(cancelled).toBe(true);
      const failed = await pending;
      expect(failed.status).toBe(503);
      expect(textOf(failed.text)).toContain("Service momentanément indisponible");
      expect(failed.text).not.toContain("Chiffres calculés");
    } finally {
      await locker.query("ROLLBACK").catch(() => undefined);
      await locker.end();
    }

    const next = await figures();
    expect(next).toMatchObject({ validated: "3", decided: "3" });
    expect(next.text).toContain("Chiffres calculés le");
  });
});
