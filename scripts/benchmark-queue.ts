/**
 * Benchmark of the agents' queue with many requests: seeds N submitted
 * requests (default 200 000) into a fresh database, then times the queue
 * pages, filters and searches through HTTP (median of 5), and the CSV export
 * of everything with the process's peak memory.
 *
 *   npm run bench:queue              # 200 000 requests on the embedded PostgreSQL
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
import { createDatabase } from "../src/db/prisma.js";
import { hashPassword } from "../src/features/account/passwords.js";
import { DocumentStorage } from "../src/features/documents/document-storage.js";
import { systemClock } from "../src/lib/clock.js";
import { createBenchDatabase } from "./bench-database.js";

const count = Number(process.argv[2] ?? 200_000);
const { dir, databaseUrl, close } = await createBenchDatabase();

const pool = new pg.Pool({ connectionString: databaseUrl, max: 5 });
console.log(`Création de ${count.toLocaleString("fr-FR")} demandes…`);
let started = performance.now();
await pool.query(
  `
  INSERT INTO "User" (id, email, "firstName", "lastName", "updatedAt")
  SELECT gen_random_uuid(), 'demandeur' || g || '@example.fr', (ARRAY['Marie','Jean','Fatima','Ahmed','Louise','Paul','Nadia','Karim'])[1 + g % 8],
         (ARRAY['Martin','Bernard','Dubois','Thomas','Robert','Richard','Petit','Durand','Leroy','Moreau'])[1 + g % 10] || g, now()
  FROM generate_series(1, $1::int) AS g`,
  [count],
);
await pool.query(`
  INSERT INTO "Request" (id, "applicantId", number, status, "termsAcceptedAt", "termsVersion", type, "statutCode", "zonageCode",
                         "navigoNumber", "participationCents", "submittedAt", "updatedAt", "completedSteps")
  SELECT gen_random_uuid(), u.id, 'DEM-' || lpad((10000 + n)::text, 10, '0'),
         (ARRAY['SUBMITTED','IN_REVIEW','AWAITING_DOCUMENT','DOCUMENT_RECEIVED','APPROVED','REFUSED','CLOSED'])[1 + n % 7]::"RequestStatus",
         now(), '2026-11', (ARRAY['FIRST','RENEWAL'])[1 + n % 2]::"RequestType", (ARRAY['PA','AH','AC','VG'])[1 + n % 4],
         (ARRAY['Z1_5','Z2_5','Z3_5'])[1 + n % 3], lpad((n * 7919 % 100000000)::text, 8, '0'), 4200,
         timestamp '2024-01-01' + (n % 1000) * interval '1 day' + (n % 86400) * interval '1 second', now(), '{}'
  FROM (SELECT id, row_number() OVER () AS n FROM "User") AS u`);
await pool.query(`SELECT setval('request_number_seq', $1::bigint)`, [10_000 + count]);
// The steady state of a live database, where autovacuum keeps the visibility map current.
await pool.query("VACUUM ANALYZE");
console.log(`  fait en ${((performance.now() - started) / 1000).toFixed(1)} s`);

const db = createDatabase(databaseUrl);
await db.user.create({
  data: {
    email: "bench@cd93.fr",
    firstName: "Banc",
    lastName: "Essai",
    role: "AGENT",
    passwordHash: await hashPassword("Banc-Essai-2026!"),
    emailVerifiedAt: new Date(),
  },
});
const storage = new DocumentStorage(path.join(dir, "uploads"));
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

const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const cases: [string, string][] = [
  ["File, première page", "/agent"],
  ["File, page 2000", "/agent?page=2000"],
  ["Filtre statut + zonage", "/agent?statut=IN_REVIEW&zonage=Z2_5"],
  ["Filtre type + situation + dates", "/agent?type=FIRST&situation=AC&du=01/03/2024&au=30/06/2024"],
  ["Recherche par numéro", `/agent?q=DEM-${String(10_000 + Math.floor(count / 2)).padStart(10, "0")}`],
  ["Recherche par nom", "/agent?q=durand1234"],
  ["Recherche par e-mail", "/agent?q=demandeur4242@"],
  ["Recherche par numéro Navigo", "/agent?q=00007919"],
];
console.log("\nTemps de réponse HTTP (médiane de 5, ms):");
for (const [label, path_] of cases) {
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    started = performance.now();
    const answer = await agent.get(path_);
    if (answer.status !== 200) throw new Error(`${path_} → ${answer.status}`);
    times.push(performance.now() - started);
  }
  console.log(`  ${label.padEnd(34)} ${median(times).toFixed(0).padStart(6)}`);
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
      for (const byte of chunk) if (byte === 10) lines += 1;
    });
    res.on("end", () => done(null, null));
  });
clearInterval(sampler);
console.log(
  `\nExport CSV de tout: ${(lines - 1).toLocaleString("fr-FR")} lignes, ${(bytes / 1e6).toFixed(1)} Mo en ${((performance.now() - started) / 1000).toFixed(1)} s`,
);
console.log(`  mémoire (RSS) avant ${(baseRss / 1e6).toFixed(0)} Mo, pic ${(peakRss / 1e6).toFixed(0)} Mo`);

await db.$disconnect();
await pool.end();
await close();
