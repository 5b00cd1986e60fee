/**
 * Benchmark of the agents' queue with many requests: seeds N submitted
 * requests (default 500 000) into a fresh database, then times the queue
 * pages (the first, deep ones reached by a cursor, and the links of a page,
 * oldest and most recent first), filters, searches and an agent's « Mes
 * demandes » (one request in ten assigned to the bench's agent) through HTTP (median and 95th percentile of
 * BENCH_SAMPLES, 20, after one warm-up), and the CSV export of everything:
 * rows per second and the growth of the process's memory. Each figure is
 * printed next to the goal of issue 10.
 *
 *   npm run bench:queue              # 500 000 requests on the embedded PostgreSQL
 *   npm run bench:queue -- 50000     # another count
 *   BENCH_DATABASE_URL=postgresql://user:pass@host/postgres npm run bench:queue
 *
 * Speed and memory are measured here, never by a timed test.
 */
import path from "node:path";
import pg from "pg";
import request from "supertest";
import { createApp } from "../src/app.js";
import { parseConfig } from "../src/config.js";
import { endPool, trackConnections } from "../src/db/pool.js";
import { closeDatabase, createDatabase } from "../src/db/prisma.js";
import { hashPassword } from "../src/features/account/passwords.js";
import { LocalDocumentStorage } from "../src/features/documents/local-storage.js";
import { systemClock } from "../src/lib/clock.js";
import { encodeCursor } from "../src/features/agent/queue-cursor.js";
import { createBenchDatabase } from "./bench-database.js";
import { cursorOffset, deepPage } from "./bench/deep-pages.js";
import { seedQueueRequests } from "./bench/queue-requests.js";

const count = Number(process.argv[2] ?? 500_000);
const samples = Number(process.env.BENCH_SAMPLES ?? 20);
const { dir, databaseUrl, close } = await createBenchDatabase();

const pool = trackConnections(new pg.Pool({ connectionString: databaseUrl, max: 5 }));
const db = createDatabase(databaseUrl);
const benchAgent = await db.user.create({
  data: {
    email: "bench@cd93.fr",
    firstName: "Banc",
    lastName: "Essai",
    role: "AGENT",
    passwordHash: await hashPassword("Banc-Essai-2026!"),
    emailVerifiedAt: new Date(),
  },
});
console.log(`Création de ${count.toLocaleString("fr-FR")} demandes…`);
let started = performance.now();
await seedQueueRequests(pool, count, benchAgent.id);
// The steady state of a live database, where autovacuum keeps the visibility map current.
await pool.query("VACUUM ANALYZE");
console.log(`  fait en ${((performance.now() - started) / 1000).toFixed(1)} s (utilisateurs, demandes, VACUUM ANALYZE)`);

const storage = new LocalDocumentStorage(path.join(dir, "uploads"));
await storage.init();
const secret = "secret-de-banc-essai-suffisamment-long-123";
const app = createApp({
  config: { ...parseConfig({ NODE_ENV: "test", LOG_REQUESTS: "false" }), sessionSecret: secret, ibanEncryptionKey: Buffer.alloc(32, 3).toString("base64") },
  db,
  pool,
  clock: systemClock,
  storage,
});
const agent = request.agent(app);
const loginPage = await agent.get("/connexion");
const csrf = /name="_csrf" value="([^"]+)"/.exec(loginPage.text)![1]!;
await agent.post("/connexion").type("form").send({ _csrf: csrf, email: "bench@cd93.fr", password: "Banc-Essai-2026!" });

/** Every sent request: the queue without filters. */
const QUEUE = "status <> 'DRAFT'";
const percentile = (sorted: number[], share: number) => sorted[Math.min(sorted.length - 1, Math.ceil(share * sorted.length) - 1)]!;
/** A cursor to the page a person reaches after `page - 1` clicks on « Page suivante » (built here: 2,000 clicks would take long). */
async function cursorToPage(page: number, where = QUEUE, order: "asc" | "desc" = "asc"): Promise<string> {
  const sql = order === "asc" ? "ASC" : "DESC";
  const { rows } = await pool.query<{ id: string; submittedAt: Date }>(
    `SELECT id, "submittedAt" FROM "Request" WHERE ${where} ORDER BY "submittedAt" ${sql}, id ${sql} OFFSET $1 LIMIT 1`,
    [cursorOffset(page)],
  );
  return encodeCursor({ direction: "next", order, submittedAt: rows[0]!.submittedAt, id: rows[0]!.id, page });
}
/** How many requests a case's filter matches: its deep page is chosen among them (a small queue has fewer pages than a large one). */
async function matching(where: string): Promise<number> {
  const { rows } = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM "Request" WHERE ${where}`);
  return rows[0]!.n;
}
/** The href of a link of a page (« Page suivante », « Page précédente »), as the browser follows it. */
async function linkOf(path_: string, rel: "next" | "prev"): Promise<string> {
  const page = await agent.get(path_);
  const href = new RegExp(`href="([^"]+)" rel="${rel}"`).exec(page.text)?.[1];
  if (!href) throw new Error(`${path_}: no ${rel} link`);
  return href.replaceAll("&amp;", "&");
}
const filtered = `status = 'IN_REVIEW' AND "zonageCode" = 'Z2_5'`;
const mine = `${QUEUE} AND "assignedAgentId" = '${benchAgent.id}'`;
const deepAll = deepPage(await matching(QUEUE), 2000);
const deepFiltered = deepPage(await matching(filtered), 200);
const deepMine = deepPage(await matching(mine), 200);
/** The cases of a deep page, or none when the queue is too small to have it (said in the output). */
const skipped: string[] = [];
async function whenDeep(page: number | null, label: string, build: (page: number) => Promise<[string, string][]>): Promise<[string, string][]> {
  if (page !== null) return build(page);
  skipped.push(label);
  return [];
}
const cases: [string, string][] = [
  ["File, première page", "/agent"],
  ...(await whenDeep(deepAll, "File, pages suivantes", async (page) => {
    const deep = `/agent?curseur=${await cursorToPage(page)}`;
    return [
      ["File, page 2 (lien suivant)", await linkOf("/agent", "next")],
      [`File, page ${page} (curseur)`, deep],
      [`File, page ${page - 1} (lien précédent)`, await linkOf(deep, "prev")],
    ];
  })),
  ["Filtre statut + zonage", "/agent?statut=IN_REVIEW&zonage=Z2_5"],
  ...(await whenDeep(deepFiltered, "Filtre statut + zonage, page profonde", async (page) => [
    [`Filtre statut + zonage, page ${page}`, `/agent?statut=IN_REVIEW&zonage=Z2_5&curseur=${await cursorToPage(page, filtered)}`],
  ])),
  ["Filtre type + situation + dates", "/agent?type=FIRST&situation=AC&du=01/03/2024&au=30/06/2024"],
  ["Recherche par numéro", `/agent?q=DEM-${String(10_000 + Math.floor(count / 2)).padStart(10, "0")}`],
  ["Recherche par nom", "/agent?q=durand1234"],
  ["Recherche par nom (fréquent)", "/agent?q=martin"],
  ["Recherche par e-mail", "/agent?q=demandeur4242@"],
  ["Recherche par numéro Navigo", "/agent?q=00007919"],
  ["Plus récentes d'abord", "/agent?tri=recentes"],
  ...(await whenDeep(deepAll, "Plus récentes d'abord, page profonde", async (page) => [
    [`Plus récentes d'abord, page ${page}`, `/agent?tri=recentes&curseur=${await cursorToPage(page, undefined, "desc")}`],
  ])),
  ["Mes demandes", "/agent?attribution=moi"],
  ...(await whenDeep(deepMine, "Mes demandes, pages profondes", async (page) => [
    [`Mes demandes, page ${page}`, `/agent?attribution=moi&curseur=${await cursorToPage(page, mine)}`],
    [`Mes demandes, plus récentes, page ${page}`, `/agent?attribution=moi&tri=recentes&curseur=${await cursorToPage(page, mine, "desc")}`],
  ])),
  ["Mes demandes + statut", "/agent?attribution=moi&statut=IN_REVIEW"],
  ["À personne + statut", "/agent?attribution=personne&statut=SUBMITTED"],
];
if (skipped.length > 0) console.log(`\nSans objet (moins de deux pages pleines à ${count.toLocaleString("fr-FR")} demandes) : ${skipped.join(", ")}.`);
console.log(`\nTemps de réponse HTTP (ms, ${samples} mesures après un tour d'échauffement; objectif: médiane < 50, p95 < 100):`);
console.log(`  ${"".padEnd(40)} ${"médiane".padStart(8)} ${"p95".padStart(6)}`);
for (const [label, path_] of cases) {
  const times: number[] = [];
  for (let i = 0; i <= samples; i++) {
    started = performance.now();
    const answer = await agent.get(path_);
    if (answer.status !== 200) throw new Error(`${path_} → ${answer.status}`);
    if (i > 0) times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  const [p50, p95] = [percentile(times, 0.5), percentile(times, 0.95)];
  const verdict = p50 < 50 && p95 < 100 ? "ok" : "AU-DESSUS DE L'OBJECTIF";
  console.log(`  ${label.padEnd(40)} ${p50.toFixed(0).padStart(8)} ${p95.toFixed(0).padStart(6)}  ${verdict}`);
}

let peakRss = process.memoryUsage().rss;
const baseRss = peakRss;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);
started = performance.now();
let bytes = 0;
let lines = 0;
await agent
  .get("/agent/export.csv")
  .buffer(true)
  .parse((res, done) => {
    res.on("data", (chunk: Buffer) => {
      bytes += chunk.length;
      // indexOf, not a loop over each byte: the benchmark's own reading must not slow the export it measures.
      for (let at = chunk.indexOf(10); at !== -1; at = chunk.indexOf(10, at + 1)) lines += 1;
    });
    res.on("end", () => done(null, null));
  });
clearInterval(sampler);
const seconds = (performance.now() - started) / 1000;
const rows = lines - 1;
console.log(`\nExport CSV de tout: ${rows.toLocaleString("fr-FR")} lignes, ${(bytes / 1e6).toFixed(1)} Mo en ${seconds.toFixed(1)} s`);
console.log(`  ${Math.round(rows / seconds).toLocaleString("fr-FR")} lignes/s (objectif: 50 000 ou plus)`);
console.log(
  `  mémoire (RSS) avant ${(baseRss / 1e6).toFixed(0)} Mo, pic ${(peakRss / 1e6).toFixed(0)} Mo: +${((peakRss - baseRss) / 1e6).toFixed(0)} Mo (objectif: moins de 50)`,
);

await closeDatabase(db);
await endPool(pool);
await close();
