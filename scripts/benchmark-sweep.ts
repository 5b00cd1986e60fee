/**
 * Benchmark of the sweep of orphan uploads: N stored files that documents
 * name (default 100 000) and N/10 orphans, all older than the grace period;
 * times one sweep and samples the process's memory while it runs.
 *
 *   npm run bench:sweep              # 100 000 documents on the embedded PostgreSQL
 *   npm run bench:sweep -- 20000     # another count
 *
 * Speed and memory are measured here, never by a timed test.
 */
import { utimes, writeFile } from "node:fs/promises";
import path from "node:path";
import pg from "pg";
import { closeDatabase, createDatabase } from "../src/db/prisma.js";
import { DocumentStorage } from "../src/features/documents/document-storage.js";
import { LocalDocumentStorage } from "../src/features/documents/local-storage.js";
import { sweepStoredOrphans } from "../src/features/documents/orphan-sweeper.js";
import { systemClock } from "../src/lib/clock.js";
import { createBenchDatabase } from "./bench-database.js";

const count = Number(process.argv[2] ?? 100_000);
const orphanCount = Math.floor(count / 10);
const { dir, databaseUrl, close } = await createBenchDatabase();
const storage = new LocalDocumentStorage(path.join(dir, "uploads"));
await storage.init();

console.log(`Création de ${count.toLocaleString("fr-FR")} justificatifs et ${orphanCount.toLocaleString("fr-FR")} fichiers orphelins…`);
const twoHoursAgo = new Date(Date.now() - 2 * 60 * 60 * 1000);
const names = Array.from({ length: count + orphanCount }, () => DocumentStorage.randomName());
for (let start = 0; start < names.length; start += 1000) {
  await Promise.all(
    names.slice(start, start + 1000).map(async (name) => {
      const file = path.join(storage.dir, name);
      await writeFile(file, "%PDF-1.4");
      await utimes(file, twoHoursAgo, twoHoursAgo);
    }),
  );
}
const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
const user = await pool.query<{ id: string }>(
  `INSERT INTO "User" (id, email, "firstName", "lastName", "updatedAt") VALUES (gen_random_uuid(), 'banc@example.fr', 'Banc', 'Essai', now()) RETURNING id`,
);
const requestRow = await pool.query<{ id: string }>(
  `INSERT INTO "Request" (id, "applicantId", status, "termsAcceptedAt", "termsVersion", "updatedAt", "completedSteps")
   VALUES (gen_random_uuid(), $1, 'DRAFT', now(), '2026-11', now(), '{}') RETURNING id`,
  [user.rows[0]!.id],
);
await pool.query(
  `INSERT INTO "RequestDocument" (id, "requestId", section, "originalName", "storedName", "mimeType", "sizeBytes")
   SELECT gen_random_uuid(), $1, 'IDENTITY', 'piece.pdf', name, 'application/pdf', 8 FROM unnest($2::text[]) AS name`,
  [requestRow.rows[0]!.id, names.slice(0, count)],
);
await pool.query("VACUUM ANALYZE");
await pool.end();

const db = createDatabase(databaseUrl);
const baseRss = process.memoryUsage().rss;
let peakRss = baseRss;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);
const started = performance.now();
const orphans = await sweepStoredOrphans(db, storage, systemClock);
clearInterval(sampler);
console.log(
  `Ménage: ${orphans.toLocaleString("fr-FR")} orphelins supprimés parmi ${names.length.toLocaleString("fr-FR")} fichiers en ${((performance.now() - started) / 1000).toFixed(1)} s`,
);
console.log(`  mémoire (RSS) avant ${(baseRss / 1e6).toFixed(0)} Mo, pic ${(peakRss / 1e6).toFixed(0)} Mo`);
if (orphans !== orphanCount) throw new Error(`attendu ${orphanCount} orphelins, ${orphans} supprimés`);

await closeDatabase(db);
await close();
