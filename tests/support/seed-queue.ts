/**
 * Many submitted requests in one go, for the queue's scale test and
 * `npm run bench:queue`: one applicant each, spread over every status, type,
 * situation and zonage, and over `days` days of deposit from 2024-01-01. Two
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
                            "navigoNumber", "participationCents", "submittedAt", "updatedAt", "completedSteps")
     SELECT gen_random_uuid(), u.id, 'DEM-' || lpad(($2::int + n)::text, 10, '0'),
            (ARRAY['SUBMITTED','IN_REVIEW','AWAITING_DOCUMENT','DOCUMENT_RECEIVED','APPROVED','REFUSED','CLOSED'])[1 + n % 7]::"RequestStatus",
            now(), '2026-11', (ARRAY['FIRST','RENEWAL'])[1 + n % 2]::"RequestType", (ARRAY['PA','AH','AC','VG'])[1 + n % 4],
            (ARRAY['Z1_5','Z2_5','Z3_5'])[1 + n % 3], lpad((n * 7919 % 100000000)::text, 8, '0'), 4200,
            timestamp '2024-01-01' + (n % $3::int) * interval '1 day' + (n % 86400) * interval '1 second', now(), '{}'
     FROM (SELECT id, row_number() OVER () AS n FROM "User" WHERE email LIKE $1::text || '%') AS u`,
    [seed.emailPrefix, seed.firstNumber, seed.days],
  );
}
