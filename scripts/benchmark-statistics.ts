/**
 * Benchmark of « Statistiques » and of the confirmation page's figure: the
 * queue of bench:queue (N sent requests, default 500 000, over 1,000 days from
 * 1 January 2024) with a status history for each (sent, taken up, a document
 * asked for some, decided 10 to 69 days after deposit, or closed), then the
 * plan (EXPLAIN ANALYZE) and the time (median and 95th percentile of
 * BENCH_SAMPLES, 10, after one warm-up) of each statistics query, as the
 * portal sends it.
 *
 *   npm run bench:statistics              # 500 000 requests on the embedded PostgreSQL
 *   npm run bench:statistics -- 50000     # another count
 */
import pg from "pg";
import { endPool, trackConnections } from "../src/db/pool.js";
import { closeDatabase, createDatabase } from "../src/db/prisma.js";
import { durationFiguresSql, monthFiguresSql } from "../src/features/statistics/statistics-queries.js";
import { formatDays } from "../src/features/statistics/statistics-figures.js";
import { StatisticsService } from "../src/features/statistics/statistics-service.js";
import { createBenchDatabase } from "./bench-database.js";
import { seedQueueRequests, seedStatusHistories } from "./bench/queue-requests.js";

const count = Number(process.argv[2] ?? 500_000);
const samples = Number(process.env.BENCH_SAMPLES ?? 10);
/** A duration as the page writes it, or « aucune » when no decision falls in the period (a small run). */
const days = (value: number | null | undefined) => (value == null ? "aucune" : formatDays(value));
const { databaseUrl, close } = await createBenchDatabase();
const pool = trackConnections(new pg.Pool({ connectionString: databaseUrl, max: 3 }));
const db = createDatabase(databaseUrl);

try {
  console.log(`Création de ${count.toLocaleString("fr-FR")} demandes et de leur historique…`);
  let started = performance.now();
  await seedQueueRequests(pool, count);
  await seedStatusHistories(pool);
  await pool.query("VACUUM ANALYZE");
  const { rows } = await pool.query<{ n: string }>(`SELECT count(*) AS n FROM "StatusChange"`);
  console.log(`  fait en ${((performance.now() - started) / 1000).toFixed(1)} s (${Number(rows[0]!.n).toLocaleString("fr-FR")} changements de statut)`);

  const now = new Date();
  const queries: [string, ReturnType<typeof monthFiguresSql>][] = [
    ["Reçues et décidées par mois", monthFiguresSql(now)],
    ["Délais (médiane, 90e centile) et part en attente de pièce", durationFiguresSql(now)],
  ];
  const percentile = (sorted: number[], share: number) => sorted[Math.min(sorted.length - 1, Math.ceil(share * sorted.length) - 1)]!;
  for (const [label, query] of queries) {
    const plan = await pool.query<{ "QUERY PLAN": string }>(`EXPLAIN (ANALYZE, BUFFERS) ${query.text}`, query.values);
    console.log(`\n${label} — plan :\n${plan.rows.map((row) => `  ${row["QUERY PLAN"]}`).join("\n")}`);
    const times: number[] = [];
    for (let i = 0; i <= samples; i++) {
      started = performance.now();
      await db.$queryRaw(query);
      if (i > 0) times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    console.log(`  ${label} : médiane ${percentile(times, 0.5).toFixed(0)} ms, p95 ${percentile(times, 0.95).toFixed(0)} ms (${samples} mesures)`);
  }

  const statistics = new StatisticsService({ db, clock: { now: () => new Date() } });
  started = performance.now();
  const overview = await statistics.overview();
  console.log(`\nPage « Statistiques » (les trois requêtes en parallèle) : ${(performance.now() - started).toFixed(0)} ms au premier affichage`);
  console.log(
    `  ${overview.durations.decided.toLocaleString("fr-FR")} décisions sur la période, médiane ${days(overview.durations.medianDays)}, p90 ${days(overview.durations.p90Days)}`,
  );
  // What the next administrator waits for within the same few minutes.
  started = performance.now();
  await statistics.overview();
  console.log(`  ${(performance.now() - started).toFixed(2)} ms au deuxième affichage`);
  started = performance.now();
  await statistics.processingDelay();
  const first = performance.now() - started;
  started = performance.now();
  await statistics.processingDelay();
  console.log(
    `Délai de la page de confirmation : ${first.toFixed(0)} ms au premier affichage, ${(performance.now() - started).toFixed(2)} ms ensuite (gardé 10 minutes)`,
  );
} finally {
  await closeDatabase(db);
  await endPool(pool);
  await close();
}
