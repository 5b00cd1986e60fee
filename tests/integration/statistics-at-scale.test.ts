/**
 * The statistics queries on a history large enough for PostgreSQL to plan as
 * it would in production (the benchmark's queue and histories, smaller): they
 * must reach the decisions and the requests that waited for a document
 * through the StatusChange index, never by reading the whole table. Speed
 * itself is measured by `npm run bench:statistics`, never here.
 */
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedQueueRequests, seedStatusHistories } from "../../scripts/bench/queue-requests.js";
import { endPool, trackConnections } from "../../src/db/pool.js";
import { durationFigures, durationFiguresSql, monthFiguresSql } from "../../src/features/statistics/statistics-queries.js";
import { createTestContext, type TestContext } from "../support/test-app.js";

const COUNT = 20_000;
// The seeded requests are sent from January 2024 to September 2026, decided up to 69 days later.
const NOW = new Date("2026-11-29T12:00:00Z");

let ctx: TestContext;
let seeding: pg.Pool;

beforeAll(async () => {
  ctx = await createTestContext();
  // A pool of its own: the app's gives up on a query after 5 s, which a loaded machine may take to insert these rows.
  seeding = trackConnections(new pg.Pool({ connectionString: ctx.databaseUrl, max: 1 }));
  await seedQueueRequests(seeding, COUNT);
  await seedStatusHistories(seeding);
  await seeding.query("VACUUM ANALYZE");
}, 120_000);
afterAll(async () => {
  if (seeding) await endPool(seeding);
  await ctx?.close();
});

async function planOf(query: { text: string; values: unknown[] }): Promise<string> {
  const { rows } = await seeding.query<{ "QUERY PLAN": string }>(`EXPLAIN ${query.text}`, query.values);
  return rows.map((row) => row["QUERY PLAN"]).join("\n");
}

describe(`The statistics with ${COUNT.toLocaleString("en")} requests and their histories`, () => {
  it("read the decisions of the period and the requests that waited for a document from the index, not the whole history", async () => {
    for (const query of [monthFiguresSql(NOW), durationFiguresSql(NOW)]) {
      const plan = await planOf(query);
      expect(plan).not.toMatch(/Seq Scan on "StatusChange"/);
      expect(plan).toMatch(/Index Only Scan using "StatusChange_toStatus_createdAt_requestId_idx"/);
    }
  });

  it("find the figures the seeding implies: decisions 10 to 69 days after deposit, one in three waited", async () => {
    const figures = await durationFigures(ctx.db, NOW);
    expect(figures.decided).toBeGreaterThan(1000);
    expect(figures.medianDays).toBeGreaterThan(10);
    expect(figures.p90Days).toBeLessThan(70);
    expect(figures.p90Days!).toBeGreaterThan(figures.medianDays!);
    expect(figures.waited / figures.decided).toBeGreaterThan(0.25);
    expect(figures.waited / figures.decided).toBeLessThan(0.4);
  });
});
