/**
 * Benchmark of a retention run (src/features/retention/): N requests
 * (default 100 000), each with its applicant, spread over the last five
 * years: 60 % finished with one stored file each, 20 % drafts with one file,
 * 20 % being processed. Times `plan`, then the first `apply` (warnings, and
 * the documents past their period), then a second `apply` 31 days later
 * (the drafts and accounts warned by the first are deleted), and samples the
 * process's memory.
 *
 *   npm run bench:retention              # 100 000 requests on a throw-away embedded PostgreSQL
 *   npm run bench:retention -- 20000     # another count
 *
 * Speed is measured here, never by a timed test.
 */
import { writeFile } from "node:fs/promises";
import path from "node:path";
import pg from "pg";
import { parseConfig } from "../src/config.js";
import { closeDatabase, createDatabase } from "../src/db/prisma.js";
import { LocalDocumentStorage } from "../src/features/documents/local-storage.js";
import { RetentionService } from "../src/features/retention/retention-service.js";
import type { Clock } from "../src/lib/clock.js";
import { logger } from "../src/logger.js";
import { createBenchDatabase } from "./bench-database.js";

logger.level = "warn";
const count = Number(process.argv[2] ?? 100_000);
const { dir, databaseUrl, close } = await createBenchDatabase();
const storage = new LocalDocumentStorage(path.join(dir, "uploads"));
await storage.init();
const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });

console.log(`Création de ${count.toLocaleString("fr-FR")} demandes et de leurs demandeurs…`);
const seedStarted = performance.now();
await pool.query(
  `WITH g AS (SELECT i, (now() AT TIME ZONE 'UTC') - random() * interval '5 years' AS t FROM generate_series(1, $1::int) AS i)
   INSERT INTO "User" (id, email, "firstName", "lastName", "updatedAt", "createdAt", "lastLoginAt")
   SELECT gen_random_uuid(), 'banc' || i || '@example.fr', 'Banc', 'Essai' || i, t, t, t FROM g`,
  [count],
);
await pool.query(
  `INSERT INTO "Request" (id, "applicantId", number, status, "termsAcceptedAt", "termsVersion", "updatedAt", "createdAt", "completedSteps", "submittedAt")
   SELECT gen_random_uuid(), u.id,
     CASE WHEN s.status = 'DRAFT' THEN NULL ELSE 'DEM-' || lpad(row_number() OVER ()::text, 10, '0') END,
     s.status::"RequestStatus", u."updatedAt", '2026-11', u."updatedAt", u."updatedAt", '{}',
     CASE WHEN s.status = 'DRAFT' THEN NULL ELSE u."updatedAt" END
   FROM "User" u, LATERAL (SELECT CASE
       WHEN r < 0.2 THEN 'APPROVED' WHEN r < 0.4 THEN 'REFUSED' WHEN r < 0.6 THEN 'CLOSED'
       WHEN r < 0.8 THEN 'DRAFT' WHEN r < 0.9 THEN 'SUBMITTED' ELSE 'IN_REVIEW' END AS status
     FROM (SELECT random() + 0 * length(u.id::text) AS r) AS pick) AS s`,
);
await pool.query(
  `INSERT INTO "StatusChange" (id, "requestId", "fromStatus", "toStatus", "createdAt")
   SELECT gen_random_uuid(), id, 'IN_REVIEW', status, "updatedAt" FROM "Request" WHERE status IN ('APPROVED', 'REFUSED', 'CLOSED')`,
);
const documents = await pool.query<{ storedName: string }>(
  `INSERT INTO "RequestDocument" (id, "requestId", section, "originalName", "storedName", "mimeType", "sizeBytes", "uploadedAt")
   SELECT gen_random_uuid(), id, 'IDENTITY', 'piece.pdf', md5(random()::text) || substr(md5(random()::text), 1, 16), 'application/pdf', 8, "updatedAt"
   FROM "Request" WHERE status IN ('APPROVED', 'REFUSED', 'CLOSED', 'DRAFT')
   RETURNING "storedName"`,
);
const names = documents.rows.map((row) => row.storedName);
for (let start = 0; start < names.length; start += 1000) {
  await Promise.all(names.slice(start, start + 1000).map((name) => writeFile(path.join(storage.dir, name), "%PDF-1.4")));
}
await pool.query("VACUUM ANALYZE");
await pool.end();
console.log(`  fait en ${((performance.now() - seedStarted) / 1000).toFixed(1)} s (${names.length.toLocaleString("fr-FR")} fichiers)`);

const db = createDatabase(databaseUrl);
let offsetMs = 0;
const clock: Clock = { now: () => new Date(Date.now() + offsetMs) };
const retention = new RetentionService({ db, clock, publicUrl: "http://localhost", storage }, parseConfig({}).retention);
const baseRss = process.memoryUsage().rss;
let peakRss = baseRss;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);

async function timed<T>(label: string, work: () => Promise<T>, describe: (result: T) => string): Promise<void> {
  const started = performance.now();
  const result = await work();
  console.log(`${label} : ${((performance.now() - started) / 1000).toFixed(1)} s — ${describe(result)}`);
}

await timed(
  "plan",
  () => retention.plan(),
  (plan) =>
    `brouillons ${plan.drafts.warn.length} à prévenir, justificatifs ${plan.documents.files} à supprimer, comptes ${plan.accounts.warn.length} à prévenir`,
);
await timed(
  "apply (1er passage)",
  () => retention.apply(),
  (result) =>
    `${result.draftWarnings} avertissements de brouillon, ${result.documentsDeleted} justificatifs supprimés, ${result.accountWarnings} avertissements de compte`,
);
offsetMs = 31 * 24 * 60 * 60 * 1000;
await timed(
  "apply (31 jours plus tard)",
  () => retention.apply(),
  (result) => `${result.draftsDeleted} brouillons supprimés, ${result.accountsDeleted} comptes supprimés, ${result.documentsDeleted} justificatifs supprimés`,
);
clearInterval(sampler);
console.log(`  mémoire (RSS) avant ${(baseRss / 1e6).toFixed(0)} Mo, pic ${(peakRss / 1e6).toFixed(0)} Mo`);

await closeDatabase(db);
await close();
