/**
 * The queue on a table large enough for PostgreSQL to plan as it would in
 * production: every query a queue page, a filter, a search or the export
 * sends is captured as Prisma sends it, and its plan (EXPLAIN) must use an
 * index, never read the whole Request or User table. Speed itself is
 * measured by `npm run bench:queue`, never here.
 */
import type { IncomingMessage } from "node:http";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PrismaClient } from "../../src/generated/prisma/client.js";
import { parseQueueFilters, queueWhere } from "../../src/features/agent/queue-filters.js";
import { COUNT_CAP, QueueService } from "../../src/features/agent/queue-service.js";
import { logIn } from "../support/accounts.js";
import { createStaff, downloadCsv } from "../support/back-office.js";
import { newBrowser, textOf, type Agent } from "../support/browserless.js";
import { seedQueue } from "../../scripts/bench/queue-requests.js";
import { createTestContext, type TestContext } from "../support/test-app.js";

const COUNT = 20_000;

let ctx: TestContext;
let agent: Agent;
let agentId: string;
/** A client that reports each query it sends, as the app's client would send it. */
const tracedClient = (connectionString: string) =>
  new PrismaClient({ adapter: new PrismaPg({ connectionString, max: 2 }), log: [{ emit: "event" as const, level: "query" as const }] });
let traced: ReturnType<typeof tracedClient>;
const sent: { query: string; params: string }[] = [];

beforeAll(async () => {
  ctx = await createTestContext();
  agentId = (await createStaff(ctx.db, "agent.volume@cd93.fr")).id;
  agent = newBrowser(ctx.app);
  await logIn(agent, "agent.volume@cd93.fr");
  // The benchmark's seeding, smaller: every status, type, situation and zonage, one applicant each. On a connection of its
  // own: the app's pool gives up on a query after 5 s, which a loaded machine may take to insert 20,000 rows.
  const seeding = new pg.Client({ connectionString: ctx.databaseUrl });
  await seeding.connect();
  await seedQueue(seeding, {
    count: COUNT,
    emailPrefix: "volume",
    firstNames: ["Marie", "Jean", "Fatima", "Ahmed"],
    lastNames: ["Martin", "Bernard", "Dubois", "Durand"],
    firstNumber: 500_000,
    days: 500,
    // One request in ten is the agent's (« Mes demandes »): 2,000 of them, the rest nobody's.
    assignedAgentId: agentId,
  });
  await seeding.query("VACUUM ANALYZE");
  await seeding.end();
  traced = tracedClient(ctx.databaseUrl);
  traced.$on("query", (event) => sent.push({ query: event.query, params: event.params }));
}, 120_000);
afterAll(async () => {
  await traced?.$disconnect();
  await ctx?.close();
});

/** The app's pool, reporting each query the export sends on a connection it takes (with its values, as JSON like Prisma's). */
function tracedPool(pool: pg.Pool): pg.Pool {
  const connect = async () => {
    const client = await pool.connect();
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    Object.assign(client, {
      query: (...args: unknown[]) => {
        const [first, values] = args as [string | { text: string; values?: unknown[] }, unknown[] | undefined];
        const text = typeof first === "string" ? first : first.text;
        sent.push({ query: text, params: JSON.stringify(values ?? (typeof first === "string" ? [] : (first.values ?? []))) });
        return query(...args);
      },
    });
    return client;
  };
  return Object.assign(Object.create(pool) as pg.Pool, { connect });
}

/** The plan of a query as it was sent, its parameters bound (EXPLAIN runs with them, as the real query does); a cursor's as its DECLARE plans it. */
async function planOf(query: string, params: string, settings: string[]): Promise<string> {
  const values = (JSON.parse(params) as unknown[]).map((value) => (value !== null && typeof value === "object" ? JSON.stringify(value) : value));
  const client = await ctx.pool.connect();
  try {
    // DECLARE only exists in a transaction.
    await client.query("BEGIN");
    // The planner settings the export's transaction set (SET LOCAL) apply to its cursor's plan.
    for (const setting of settings) await client.query(setting);
    const { rows } = await client.query<{ "QUERY PLAN": string }>(`EXPLAIN ${query}`, values);
    return rows.map((row) => row["QUERY PLAN"]).join("\n");
  } finally {
    await client.query("ROLLBACK");
    client.release();
  }
}

/** The plans of every query the queue sends for these filters (and, when given, this cursor). */
async function plansFor(query: Record<string, string>, withCounts: boolean): Promise<{ exporting: boolean; plan: string }[]> {
  const queue = new QueueService({ db: traced, pool: tracedPool(ctx.pool), clock: ctx.clock });
  const { filters } = parseQueueFilters(query, await queue.reference(), agentId);
  sent.length = 0;
  await queue.page(filters, withCounts);
  for await (const batch of queue.exportRows(filters)) if (batch.length === 0) break;
  // Every query on requests or applicants, the export's cursor included; not the lists of situations and zonages.
  const queries = sent.filter((entry) => /"Request"|"User"/.test(entry.query) && !/^\s*FROM\s+("public"\.)?"(Statut|Zonage)"/m.test(entry.query));
  expect(queries.some((entry) => entry.query.includes("DECLARE"))).toBe(true);
  expect(queries.length).toBeGreaterThan(0);
  const settings = sent.filter((entry) => entry.query.startsWith("SET LOCAL")).map((entry) => entry.query);
  return Promise.all(
    queries.map(async (entry) => {
      const exporting = entry.query.includes("DECLARE");
      return { exporting, plan: await planOf(entry.query, entry.params, exporting ? settings : []) };
    }),
  );
}

describe(`The queue with ${COUNT.toLocaleString("en")} requests`, () => {
  it("pages with a cursor through « Page suivante » and « Page précédente », however deep, keeping the filters", async () => {
    let page = await agent.get("/agent?statut=IN_REVIEW");
    const perPage = 50;
    const expectedPages = Math.ceil((await ctx.db.request.count({ where: { status: "IN_REVIEW" } })) / perPage);
    const seen = new Set<string>();
    const numbersOf = (html: string) => [...html.matchAll(/href="\/agent\/demandes\/(DEM-\d{10})"/g)].map((match) => match[1]!);
    for (let n = 1; n <= 3; n++) {
      expect(page.text).toContain(`Page ${n} sur ${expectedPages}`);
      for (const number of numbersOf(page.text)) seen.add(number);
      const next = /href="([^"]+)" rel="next">Page suivante/.exec(page.text)![1]!.replaceAll("&amp;", "&");
      expect(next).toMatch(/^\/agent\?statut=IN_REVIEW&curseur=[A-Za-z0-9_-]+$/);
      page = await agent.get(next);
      expect(page.status).toBe(200);
    }
    expect(seen.size).toBe(3 * perPage);
    const fourth = numbersOf(page.text);
    expect(fourth.some((number) => seen.has(number))).toBe(false);
    const previous = /href="([^"]+)" rel="prev">← Page précédente/.exec(page.text)![1]!.replaceAll("&amp;", "&");
    const third = await agent.get(previous);
    expect(third.text).toContain(`Page 3 sur ${expectedPages}`);
    expect(numbersOf(third.text)).toHaveLength(perPage);
    for (const number of numbersOf(third.text)) expect(seen.has(number)).toBe(true);
  });

  it.each([
    ["the first page, with the count of each status", {}, true],
    ["a page after a cursor", { curseur: "deep" }, false],
    ["a status and a zonage", { statut: "IN_REVIEW", zonage: "Z2_5" }, false],
    ["a type, a situation and dates", { type: "FIRST", situation: "AC", du: "01/03/2024", au: "30/06/2024" }, false],
    ["a request number", { q: "DEM-0000510000" }, false],
    ["a name", { q: "durand1234" }, false],
    ["an e-mail address", { q: "volume4242@" }, false],
    ["a Navigo number", { q: "00007919" }, false],
    ["the most recent first, with the count of each status", { tri: "recentes" }, true],
    ["a page after a cursor, the most recent first", { tri: "recentes", curseur: "deep" }, false],
    ["« Mes demandes » (the agent's requests)", { attribution: "moi" }, false],
    ["« Mes demandes », the most recent first, after a cursor", { attribution: "moi", tri: "recentes", curseur: "deep" }, false],
    ["« Mes demandes » with a status and a zonage", { attribution: "moi", statut: "IN_REVIEW", zonage: "Z2_5" }, false],
    ["nobody's requests of a status", { attribution: "personne", statut: "SUBMITTED" }, false],
    ["nobody's requests, the most recent first", { attribution: "personne", tri: "recentes" }, false],
  ])("finds %s through indexes, never reading a whole table", async (_label, query: Record<string, string>, withCounts) => {
    if (query.curseur) {
      const descending = query.tri === "recentes";
      const order = descending ? "DESC" : "ASC";
      const mine = query.attribution === "moi" ? `AND "assignedAgentId" = '${agentId}'` : "";
      const { rows } = await ctx.pool.query<{ id: string; submittedAt: Date }>(
        `SELECT id, "submittedAt" FROM "Request" WHERE status <> 'DRAFT' ${mine} ORDER BY "submittedAt" ${order}, id ${order} OFFSET 1500 LIMIT 1`,
      );
      const { encodeCursor } = await import("../../src/features/agent/queue-cursor.js");
      query.curseur = encodeCursor({ direction: "next", order: descending ? "desc" : "asc", submittedAt: rows[0]!.submittedAt, id: rows[0]!.id, page: 31 });
    }
    // What selects (nearly) the whole queue: its export reads it all. Nobody's requests are nine in ten.
    const everything = Object.entries(query).every(([name, value]) => name === "curseur" || name === "tri" || (name === "attribution" && value === "personne"));
    for (const { exporting, plan } of await plansFor(query, withCounts)) {
      if (!exporting) expect(plan).not.toMatch(/Seq Scan on "(Request|User)"/);
      // « Mes demandes » walks the agent's own entries of their index, in either direction.
      if (!exporting && query.attribution === "moi" && /on "Request"/.test(plan)) expect(plan).toContain('"Request_assignedAgent_queue_idx"');
      // The export reads what it exports: all of it when nothing is filtered, and it may join many applicants by hashing
      // their table; a filtered export still finds its requests through an index.
      else if (!everything) expect(plan).not.toMatch(/Seq Scan on "Request"/);
    }
  });
});

describe("The total of a filtered view", () => {
  it("is exact up to 1,000 requests, and « Plus de 1 000 demandes » beyond, pages numbered without a total", async () => {
    expect(COUNT_CAP).toBe(1000);
    const narrow = await ctx.db.request.count({ where: { status: "IN_REVIEW", zonageCode: "Z2_5" } });
    expect(narrow).toBeGreaterThan(50);
    expect(narrow).toBeLessThanOrEqual(COUNT_CAP);
    const exact = await agent.get("/agent?statut=IN_REVIEW&zonage=Z2_5");
    expect(exact.text).toContain(`<strong>${narrow}</strong> demandes, les plus anciennes d'abord.`);
    expect(textOf(exact.text)).toContain(`Page 1 sur ${Math.ceil(narrow / 50)}`);

    expect(await ctx.db.request.count({ where: { zonageCode: "Z1_5" } })).toBeGreaterThan(COUNT_CAP);
    const wide = await agent.get("/agent?zonage=Z1_5");
    expect(wide.status).toBe(200);
    // toLocaleString("fr-FR") separates thousands with a narrow no-break space, which \s matches.
    expect(textOf(wide.text)).toMatch(/Plus de 1\s000 demandes, les plus anciennes d'abord\. Filtrez pour affiner\./);
    expect(textOf(wide.text)).toMatch(/Page 1(?! sur)/);
    const next = /href="([^"]+)" rel="next">Page suivante/.exec(wide.text)![1]!.replaceAll("&amp;", "&");
    const second = await agent.get(next);
    expect(textOf(second.text)).toMatch(/Page 2(?! sur)/);
    expect(second.text).toContain('href="/agent/demandes/DEM-');
  });
});

describe("The export's SQL and the pages' Prisma condition", () => {
  it.each([
    [{}],
    [{ statut: "IN_REVIEW", zonage: "Z2_5" }],
    [{ type: "FIRST", situation: "AC", du: "01/03/2024", au: "30/06/2024" }],
    [{ q: "DEM-0000510000" }],
    [{ q: "00007919" }],
    [{ q: "durand3" }],
    [{ q: "MARIE" }],
    [{ q: "volume4242@" }],
    [{ attribution: "moi" }],
    [{ attribution: "moi", tri: "recentes", statut: "IN_REVIEW" }],
    [{ attribution: "personne", zonage: "Z3_5", tri: "recentes" }],
  ])("select the same requests, in the same order, for %o", async (query: Record<string, string>) => {
    const queue = new QueueService({ db: ctx.db, pool: ctx.pool, clock: ctx.clock });
    const { filters } = parseQueueFilters(query, await queue.reference(), agentId);
    const exported: (string | null)[] = [];
    for await (const batch of queue.exportRows(filters)) exported.push(...batch.map(([number]) => number));
    const listed = await ctx.db.request.findMany({
      where: queueWhere(filters),
      orderBy: [{ submittedAt: filters.order }, { id: filters.order }],
      select: { number: true },
    });
    expect(listed.length).toBeGreaterThan(0);
    expect(exported).toEqual(listed.map((row) => row.number));
  });
});

describe("The count of each status", () => {
  const exact = async () => {
    const rows = await ctx.db.request.groupBy({ by: ["status"], where: { status: { not: "DRAFT" } }, _count: { _all: true } });
    return Object.fromEntries(rows.map((row) => [row.status, row._count._all]));
  };
  const kept = async () => {
    const rows = await ctx.db.requestStatusCount.findMany();
    return Object.fromEntries(rows.filter((row) => row.count !== 0).map((row) => [row.status, row.count]));
  };

  it("stays exact through submissions, status changes and deletions, and is what the landing page shows", async () => {
    expect(await kept()).toEqual(await exact());
    const [one, two] = await ctx.db.request.findMany({ where: { status: "SUBMITTED" }, take: 2, select: { id: true } });
    await ctx.db.request.update({ where: { id: one!.id }, data: { status: "IN_REVIEW" } });
    await ctx.db.request.updateMany({ where: { status: "REFUSED", zonageCode: "Z1_5" }, data: { status: "CLOSED" } });
    await ctx.db.request.update({ where: { id: two!.id }, data: { aidantName: "Sans changement de statut" } });
    const applicant = await ctx.db.user.create({ data: { email: "brouillon.volume@example.fr", firstName: "Léa", lastName: "Brouillon" } });
    const draft = await ctx.db.request.create({ data: { applicantId: applicant.id, termsAcceptedAt: new Date(), termsVersion: "2026-11" } });
    expect(await kept()).toEqual(await exact());
    await ctx.db.request.update({ where: { id: draft.id }, data: { status: "SUBMITTED", submittedAt: new Date() } });
    await ctx.db.request.delete({ where: { id: draft.id } });
    await ctx.pool.query(`DELETE FROM "Request" WHERE "navigoNumber" LIKE '0000%'`);
    const counts = await exact();
    expect(await kept()).toEqual(counts);
    const landing = await agent.get("/agent");
    expect(landing.text).toContain(`?statut=IN_REVIEW">En cours d&#39;instruction : <strong>${counts.IN_REVIEW}</strong>`);
  });
});

describe("The CSV export of a large queue", () => {
  it("writes every row once, in order, after the BOM and the header, streamed as it is read", async () => {
    const answer = await downloadCsv(agent, "/agent/export.csv");
    expect(answer.status).toBe(200);
    // Streamed: sent as it is fetched, so its length is not known up front.
    expect(answer.headers["content-length"]).toBeUndefined();
    const body = answer.body as Buffer;
    expect([...body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = body.toString("utf8").slice(1).trimEnd().split("\r\n");
    expect(lines[0]).toMatch(/^"Numéro de demande";"Déposée le";"Statut";"Type";"Situation";"Zonage";"Nom";"Prénom";"Courriel"/);
    const numbers = lines.slice(1).map((line) => /^"(DEM-\d{10})"/.exec(line)?.[1]);
    const expected = await ctx.pool.query<{ number: string }>(`SELECT number FROM "Request" WHERE status <> 'DRAFT' ORDER BY "submittedAt", id`);
    // Ten export batches and more: the walk from batch to batch loses and repeats nothing.
    expect(expected.rows.length).toBeGreaterThan(COUNT * 0.9);
    expect(numbers).toHaveLength(expected.rows.length);
    expect(new Set(numbers).size).toBe(numbers.length);
    expect(numbers).toEqual(expected.rows.map((row) => row.number));
    // The date of submission in Paris time, as the pages write it (PostgreSQL formats it for the export).
    const parisDateTime = new Intl.DateTimeFormat("fr-FR", { timeZone: "Europe/Paris", dateStyle: "short", timeStyle: "short" });
    const dates = await ctx.db.request.findMany({
      where: { status: { not: "DRAFT" } },
      orderBy: [{ submittedAt: "asc" }, { id: "asc" }],
      select: { submittedAt: true },
    });
    expect(lines.slice(1).map((line) => line.split(";")[1])).toEqual(dates.map((row) => `"${parisDateTime.format(row.submittedAt!)}"`));
  });

  it("stops reading and gives its connection back when the download is cancelled after its first lines", async () => {
    const openTransactions = async () => {
      const { rows } = await ctx.pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND (state LIKE 'idle in transaction%' OR query LIKE 'FETCH%')`,
      );
      return rows[0]!.n;
    };
    let received = 0;
    await agent
      .get("/agent/export.csv")
      .buffer(true)
      .parse((res, done) => {
        res.once("data", (chunk: Buffer) => {
          received = chunk.length;
          // The agent cancels: the connection closes with most of the export unsent.
          (res as unknown as IncomingMessage).destroy();
          done(null, null);
        });
      })
      .catch(() => undefined);
    expect(received).toBeGreaterThan(0);
    // The cursor's connection is closed (its transaction rolled back by the server), not left open or handed back mid-transaction.
    await expect.poll(() => ctx.pool.totalCount - ctx.pool.idleCount, { timeout: 5000 }).toBe(0);
    await expect.poll(openTransactions, { timeout: 5000 }).toBe(0);
    // And the next export works.
    const again = await downloadCsv(agent, "/agent/export.csv?statut=IN_REVIEW&zonage=Z2_5");
    expect(again.status).toBe(200);
    expect((again.body as Buffer).toString("utf8").trimEnd().split("\r\n").length).toBe(
      1 + (await ctx.db.request.count({ where: { status: "IN_REVIEW", zonageCode: "Z2_5" } })),
    );
  });
});
