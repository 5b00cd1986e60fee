/**
 * The SQL behind « Statistiques ». Definitions, as the page states them:
 * - a request is *received* when it is sent (Request.submittedAt);
 * - it is *decided* at its status change to APPROVED or REFUSED (both final
 *   in the state machine, so there is one); CLOSED (« Classée sans
 *   suite »: withdrawn, or closed by an agent) is not a decision;
 * - the period is the current month in Paris and the 11 before it, up to now;
 * - durations run from submittedAt to that decision, in days (with their
 *   fraction), over the requests decided in the period;
 * - a request *waited for a document* if it ever had a status change to
 *   AWAITING_DOCUMENT.
 * Columns are `timestamp` holding UTC (Prisma's DateTime): Paris months are
 * computed from `column AT TIME ZONE 'UTC' AT TIME ZONE 'Europe/Paris'`, and
 * bounds are passed as UTC timestamps so that the indexes apply.
 */
import { Prisma } from "../../generated/prisma/client.js";
import type { Database } from "../../db/prisma.js";

/** One month of the period: « 2026-11 » and its figures. */
export interface MonthFigures {
  month: string;
  received: number;
  decided: number;
}

export interface DurationFigures {
  /** Requests decided in the period. */
  decided: number;
  /** Days from deposit to decision; null without any decision. */
  medianDays: number | null;
  p90Days: number | null;
  /** Of the decided requests, those that waited for a document at least once. */
  waited: number;
}

/** The first instant of the period (UTC), and `now`, as a SQL fragment's parameters. */
function periodStart(now: Date): Prisma.Sql {
  // The first day of the month 11 months before this Paris month, at midnight in Paris, as a UTC timestamp.
  return Prisma.sql`((date_trunc('month', ${now.toISOString()}::timestamptz AT TIME ZONE 'Europe/Paris') - interval '11 months') AT TIME ZONE 'Europe/Paris' AT TIME ZONE 'UTC')`;
}

function utc(now: Date): Prisma.Sql {
  return Prisma.sql`(${now.toISOString()}::timestamptz AT TIME ZONE 'UTC')`;
}

/**
 * Each request decided in the period, at its decision. APPROVED and REFUSED
 * are final in the state machine (status/request-status.ts), so a request has
 * one; grouping by request still counts it once if a history held two. No
 * look before the period for an earlier one: that would read every decision
 * ever made (bench:statistics), for a case the state machine rules out.
 */
function decisionsInPeriod(now: Date): Prisma.Sql {
  return Prisma.sql`
    SELECT sc."requestId", min(sc."createdAt") AS "decidedAt"
    FROM "StatusChange" sc
    WHERE sc."toStatus" IN ('APPROVED', 'REFUSED') AND sc."createdAt" >= ${periodStart(now)} AND sc."createdAt" <= ${utc(now)}
    GROUP BY sc."requestId"`;
}

/** The 12 Paris months of the period, oldest first, months without any request included. */
export async function monthFigures(db: Database, now: Date): Promise<MonthFigures[]> {
  return db.$queryRaw<MonthFigures[]>(monthFiguresSql(now));
}

/** The query of monthFigures (bench:statistics explains it). */
export function monthFiguresSql(now: Date): Prisma.Sql {
  return Prisma.sql`
    WITH months AS (
      SELECT to_char(m, 'YYYY-MM') AS month
      FROM generate_series(date_trunc('month', ${now.toISOString()}::timestamptz AT TIME ZONE 'Europe/Paris') - interval '11 months',
                           date_trunc('month', ${now.toISOString()}::timestamptz AT TIME ZONE 'Europe/Paris'), interval '1 month') AS m
    ),
    received AS (
      SELECT to_char("submittedAt" AT TIME ZONE 'UTC' AT TIME ZONE 'Europe/Paris', 'YYYY-MM') AS month, count(*)::int AS n
      FROM "Request"
      WHERE "submittedAt" >= ${periodStart(now)} AND "submittedAt" <= ${utc(now)}
      GROUP BY 1
    ),
    decided AS (
      SELECT to_char(d."decidedAt" AT TIME ZONE 'UTC' AT TIME ZONE 'Europe/Paris', 'YYYY-MM') AS month, count(*)::int AS n
      FROM (${decisionsInPeriod(now)}) d
      GROUP BY 1
    )
    SELECT months.month, coalesce(received.n, 0) AS received, coalesce(decided.n, 0) AS decided
    FROM months LEFT JOIN received USING (month) LEFT JOIN decided USING (month)
    ORDER BY months.month`;
}

/** Median and 90th percentile of deposit → decision, and how many of those requests waited for a document. */
export async function durationFigures(db: Database, now: Date): Promise<DurationFigures> {
  const rows = await db.$queryRaw<DurationFigures[]>(durationFiguresSql(now));
  return rows[0]!;
}

/** The query of durationFigures (bench:statistics explains it). */
export function durationFiguresSql(now: Date): Prisma.Sql {
  return Prisma.sql`
    WITH decided AS (
      SELECT extract(epoch FROM d."decidedAt" - r."submittedAt") / 86400 AS days,
             -- IN, not EXISTS: PostgreSQL may then hash the set once instead of probing it for each decision.
             d."requestId" IN (SELECT w."requestId" FROM "StatusChange" w WHERE w."toStatus" = 'AWAITING_DOCUMENT') AS waited
      FROM (${decisionsInPeriod(now)}) d
      JOIN "Request" r ON r.id = d."requestId"
      WHERE r."submittedAt" IS NOT NULL
    )
    SELECT count(*)::int AS decided,
           (percentile_cont(0.5) WITHIN GROUP (ORDER BY days))::float8 AS "medianDays",
           (percentile_cont(0.9) WITHIN GROUP (ORDER BY days))::float8 AS "p90Days",
           (count(*) FILTER (WHERE waited))::int AS waited
    FROM decided`;
}
