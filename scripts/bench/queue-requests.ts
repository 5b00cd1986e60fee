/**
 * The benchmarks' queue: `count` applicants with one sent request each,
 * spread over every status, type, situation and zonage, sent over 1,000 days
 * from 1 January 2024, and their histories. Used by bench:queue,
 * bench:statistics and statistics-at-scale.test.ts.
 */
import type pg from "pg";

/**
 * Many submitted requests in one go, for the queue's and the statistics'
 * scale tests and their benchmarks (bench:queue, bench:statistics): one
 * applicant each, spread over every status, type, situation and zonage, and
 * over `days` days of deposit from 2024-01-01. Two
 * INSERT … SELECT over generate_series: seconds for 500,000 rows, where
 * Prisma would take minutes. The caller runs VACUUM ANALYZE afterwards.
 */
export interface QueueSeed {
  count: number;
  /** The applicants' addresses: `${emailPrefix}${n}@example.fr`, n from 1. */
  emailPrefix: string;
  firstNames: string[];
  /** Each gets the applicant's n after it (« Martin42 »): names searched often, and rarely. */
  lastNames: string[];
  /** The first request's number (DEM-…), then one more each. */
  firstNumber: number;
  days: number;
  /**
   * One request in ten (n % 10 = 7) is this agent's (« Mes demandes »), the
   * rest nobody's. Set in the INSERT rather than by an UPDATE afterwards, which
   * would move a tenth of the rows in the table and skew every page that reads them.
   */
  assignedAgentId?: string;
}

/** A pg Client or Pool: the seeding may take longer than the app's pool allows one query. */
interface Queryable {
  query(text: string, values?: unknown[]): Promise<unknown>;
}

export async function seedQueue(db: Queryable, seed: QueueSeed): Promise<void> {
  await db.query(
    `INSERT INTO "User" (id, email, "firstName", "lastName", "updatedAt")
     SELECT gen_random_uuid(), $2::text || g || '@example.fr', ($3::text[])[1 + g % cardinality($3::text[])],
            ($4::text[])[1 + g % cardinality($4::text[])] || g, now()
     FROM generate_series(1, $1::int) AS g`,
    [seed.count, seed.emailPrefix, seed.firstNames, seed.lastNames],
  );
  await db.query(
    `INSERT INTO "Request" (id, "applicantId", number, status, "termsAcceptedAt", "termsVersion", type, "statutCode", "zonageCode",
                            "navigoNumber", "participationCents", "submittedAt", "updatedAt", "completedSteps", "assignedAgentId", "assignedAt")
     SELECT gen_random_uuid(), u.id, 'DEM-' || lpad(($2::int + n)::text, 10, '0'),
            (ARRAY['SUBMITTED','IN_REVIEW','AWAITING_DOCUMENT','DOCUMENT_RECEIVED','APPROVED','REFUSED','CLOSED'])[1 + n % 7]::"RequestStatus",
            now(), '2026-11', (ARRAY['FIRST','RENEWAL'])[1 + n % 2]::"RequestType", (ARRAY['PA','AH','AC','VG'])[1 + n % 4],
            (ARRAY['Z1_5','Z2_5','Z3_5'])[1 + n % 3], lpad((n * 7919 % 100000000)::text, 8, '0'), 4200,
            timestamp '2024-01-01' + (n % $3::int) * interval '1 day' + (n % 86400) * interval '1 second', now(), '{}',
            CASE WHEN n % 10 = 7 THEN $4::uuid END, CASE WHEN n % 10 = 7 AND $4::uuid IS NOT NULL THEN now() END
     FROM (SELECT id, row_number() OVER () AS n FROM "User" WHERE email LIKE $1::text || '%') AS u`,
    [seed.emailPrefix, seed.firstNumber, seed.days, seed.assignedAgentId ?? null],
  );
}

/** The benchmarks' queue (see the top of this file); `assignedAgentId` as in seedQueue. */
export async function seedQueueRequests(pool: pg.Pool, count: number, assignedAgentId?: string): Promise<void> {
  await seedQueue(pool, {
    count,
    emailPrefix: "demandeur",
    firstNames: ["Marie", "Jean", "Fatima", "Ahmed", "Louise", "Paul", "Nadia", "Karim"],
    lastNames: ["Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau"],
    firstNumber: 10_000,
    days: 1000,
    assignedAgentId,
  });
  await pool.query(`SELECT setval('request_number_seq', $1::bigint)`, [10_000 + count]);
}

/**
 * A status history for each request of the queue, one row per step as
 * changeStatus writes them: sent; taken up; a document asked for (when the
 * status says so, and for one decided request in three, by the last digit of
 * its number) and received; decided 10 to 69 days after deposit, or closed.
 */
export async function seedStatusHistories(pool: pg.Pool): Promise<void> {
  const step = (from: string | null, to: string, after: string, where: string) =>
    pool.query(`
      INSERT INTO "StatusChange" (id, "requestId", "fromStatus", "toStatus", "createdAt")
      SELECT gen_random_uuid(), id, ${from ? `'${from}'` : "NULL"}, '${to}', "submittedAt" + ${after}
      FROM "Request" WHERE ${where}`);
  const waited = `(status IN ('AWAITING_DOCUMENT', 'DOCUMENT_RECEIVED') OR (status IN ('APPROVED', 'REFUSED') AND right(number, 1) IN ('1', '4', '7')))`;
  await step(null, "SUBMITTED", "interval '0'", "true");
  await step("SUBMITTED", "IN_REVIEW", "interval '2 days'", "status NOT IN ('SUBMITTED', 'CLOSED')");
  await step("IN_REVIEW", "AWAITING_DOCUMENT", "interval '5 days'", waited);
  await step("AWAITING_DOCUMENT", "DOCUMENT_RECEIVED", "interval '9 days'", `${waited} AND status <> 'AWAITING_DOCUMENT'`);
  await pool.query(`
    INSERT INTO "StatusChange" (id, "requestId", "fromStatus", "toStatus", "createdAt")
    SELECT gen_random_uuid(), id, 'IN_REVIEW', status, "submittedAt" + (10 + abs(hashtext(number)) % 60) * interval '1 day' + interval '3 hours'
    FROM "Request" WHERE status IN ('APPROVED', 'REFUSED')`);
  await step("SUBMITTED", "CLOSED", "interval '4 days'", "status = 'CLOSED'");
}
