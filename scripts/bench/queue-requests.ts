/**
 * The benchmarks' queue: `count` applicants with one sent request each,
 * spread over every status, type, situation and zonage, sent over 1,000 days
 * from 1 January 2024, and their histories. Used by bench:queue,
 * bench:statistics and statistics-at-scale.test.ts.
 */
import type pg from "pg";

/**
 * `assignedAgentId`: one request in ten is this agent's (« Mes demandes »), the
 * rest nobody's. Set in the INSERT rather than by an UPDATE afterwards, which
 * would move a tenth of the rows in the table and slow every page that reads them.
 */
export async function seedQueueRequests(pool: pg.Pool, count: number, assignedAgentId: string | null = null): Promise<void> {
  await pool.query(
    `
  INSERT INTO "User" (id, email, "firstName", "lastName", "updatedAt")
  SELECT gen_random_uuid(), 'demandeur' || g || '@example.fr', (ARRAY['Marie','Jean','Fatima','Ahmed','Louise','Paul','Nadia','Karim'])[1 + g % 8],
         (ARRAY['Martin','Bernard','Dubois','Thomas','Robert','Richard','Petit','Durand','Leroy','Moreau'])[1 + g % 10] || g, now()
  FROM generate_series(1, $1::int) AS g`,
    [count],
  );
  await pool.query(
    `
  INSERT INTO "Request" (id, "applicantId", number, status, "termsAcceptedAt", "termsVersion", type, "statutCode", "zonageCode",
                         "navigoNumber", "participationCents", "submittedAt", "updatedAt", "completedSteps", "assignedAgentId", "assignedAt")
  SELECT gen_random_uuid(), u.id, 'DEM-' || lpad((10000 + n)::text, 10, '0'),
         (ARRAY['SUBMITTED','IN_REVIEW','AWAITING_DOCUMENT','DOCUMENT_RECEIVED','APPROVED','REFUSED','CLOSED'])[1 + n % 7]::"RequestStatus",
         now(), '2026-11', (ARRAY['FIRST','RENEWAL'])[1 + n % 2]::"RequestType", (ARRAY['PA','AH','AC','VG'])[1 + n % 4],
         (ARRAY['Z1_5','Z2_5','Z3_5'])[1 + n % 3], lpad((n * 7919 % 100000000)::text, 8, '0'), 4200,
         timestamp '2024-01-01' + (n % 1000) * interval '1 day' + (n % 86400) * interval '1 second', now(), '{}',
         CASE WHEN n % 10 = 7 THEN $1::uuid END, CASE WHEN n % 10 = 7 AND $1::uuid IS NOT NULL THEN now() END
  FROM (SELECT id, row_number() OVER () AS n FROM "User" WHERE email LIKE 'demandeur%') AS u`,
    [assignedAgentId],
  );
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
