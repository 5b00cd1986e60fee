/**
 * The data the pages are measured on, written in SQL before the portal
 * starts: an agent; Marie, an applicant with a request under review and two
 * finished ones (the request the agent opens is hers); Jean, an applicant
 * with a complete profile whose draft is then started through the forms
 * (see bench-http.ts); and a queue of submitted requests from other people,
 * so that the back office's pages count and sort a realistic table.
 */
import argon2 from "argon2";
import type pg from "pg";
import { withClient } from "./database.js";

export const PASSWORD = "Banc-Essai-Améthyste-93!";
export const AGENT_EMAIL = "agent.banc@seinesaintdenis.fr";
export const APPLICANT_EMAIL = "marie.dupont@example.fr";
export const DRAFTER_EMAIL = "jean.moreau@example.fr";

export interface Seeded {
  /** Marie's request under review: the page the agent opens. */
  reviewedNumber: string;
  queueSize: number;
}

const ELIGIBILITY = { statutCode: "PA", residentOneYear: true, taxable: false, retired: true, otherTransportAid: false };

/** The profile as the wizard snapshots it at submission (the user row with its profile, no password). */
const SNAPSHOT_SQL = `jsonb_build_object(
  'id', u.id, 'email', u.email, 'firstName', u."firstName", 'lastName', u."lastName", 'role', u.role,
  'profile', jsonb_build_object('civility', p.civility, 'familySituation', p."familySituation", 'birthName', p."birthName",
    'birthDate', to_char(p."birthDate", 'YYYY-MM-DD"T00:00:00.000Z"'), 'street', p.street, 'postalCode', p."postalCode",
    'city', p.city, 'mobilePhone', p."mobilePhone", 'protectionMeasure', p."protectionMeasure"))`;

async function createApplicant(client: pg.Client, passwordHash: string, email: string, firstName: string, lastName: string, street: string): Promise<string> {
  const { rows } = await client.query<{ id: string }>(
    `INSERT INTO "User" (id, email, "firstName", "lastName", role, "passwordHash", "emailVerifiedAt", "updatedAt")
     VALUES (gen_random_uuid(), $1, $2, $3, 'APPLICANT', $4, now(), now()) RETURNING id`,
    [email, firstName, lastName, passwordHash],
  );
  const id = rows[0]!.id;
  await client.query(
    `INSERT INTO "Profile" ("userId", civility, "familySituation", "birthName", "birthDate", street, "postalCode", city, "mobilePhone", "protectionMeasure", "updatedAt")
     VALUES ($1, 'MADAME', 'Veuf/Veuve', $2, DATE '1948-03-12', $3, '93000', 'Bobigny', '06.12.34.56.78', false, now())`,
    [id, lastName, street],
  );
  return id;
}

/** One of Marie's requests, submitted `submittedAt`, with its history up to `status`. */
async function createRequest(
  client: pg.Client,
  applicantId: string,
  agentId: string,
  status: "IN_REVIEW" | "APPROVED" | "CLOSED",
  submittedAt: string,
  type: "FIRST" | "RENEWAL",
): Promise<string> {
  const { rows } = await client.query<{ id: string; number: string }>(
    `INSERT INTO "Request" (id, "applicantId", number, status, "termsAcceptedAt", "termsVersion", type, eligibility, "statutCode", "zonageCode",
                            "navigoNumber", "participationCents", "referenceTaxIncome", "taxShares", "directDebit", "submittedAt",
                            "validFrom", "validUntil", "profileSnapshot", "completedSteps", "updatedAt")
     SELECT gen_random_uuid(), u.id, 'DEM-' || lpad(nextval('request_number_seq')::text, 10, '0'), $2::"RequestStatus", $3::timestamptz, '2026-11',
            $4::"RequestType", $5::jsonb, 'PA', 'Z2_5', '12345678', 3000, 9850, 1.5, false, $3::timestamptz,
            CASE WHEN $2 = 'IN_REVIEW' THEN NULL ELSE ($3::timestamptz + interval '1 month')::date END,
            CASE WHEN $2 = 'IN_REVIEW' THEN NULL ELSE ($3::timestamptz + interval '13 months')::date END,
            ${SNAPSHOT_SQL}, '{}', now()
     FROM "User" u JOIN "Profile" p ON p."userId" = u.id WHERE u.id = $1
     RETURNING id, number`,
    [applicantId, status, submittedAt, type, JSON.stringify(ELIGIBILITY)],
  );
  const { id, number } = rows[0]!;
  const history: [string | null, string, string | null, string | null][] = [
    [null, "SUBMITTED", applicantId, null],
    ["SUBMITTED", "IN_REVIEW", agentId, null],
  ];
  if (status !== "IN_REVIEW") history.push(["IN_REVIEW", "APPROVED", agentId, "Votre forfait Améthyste est accordé."]);
  if (status === "CLOSED") history.push(["APPROVED", "CLOSED", agentId, null]);
  for (const [index, [from, to, actor, message]] of history.entries()) {
    await client.query(
      `INSERT INTO "StatusChange" (id, "requestId", "fromStatus", "toStatus", "actorId", message, "createdAt")
       VALUES (gen_random_uuid(), $1, $2::"RequestStatus", $3::"RequestStatus", $4, $5, $6::timestamptz + $7 * interval '3 days')`,
      [id, from, to, actor, message, submittedAt, index],
    );
  }
  return number;
}

/** Submitted requests of `count` other applicants, spread over statuses, types, situations, zones and two years. */
async function createQueue(client: pg.Client, count: number): Promise<void> {
  await client.query(
    `INSERT INTO "User" (id, email, "firstName", "lastName", "updatedAt")
     SELECT gen_random_uuid(), 'demandeur' || g || '@example.fr', (ARRAY['Marie','Jean','Fatima','Ahmed','Louise','Paul','Nadia','Karim'])[1 + g % 8],
            (ARRAY['Martin','Bernard','Dubois','Thomas','Robert','Richard','Petit','Durand','Leroy','Moreau'])[1 + g % 10] || g, now()
     FROM generate_series(1, $1::int) AS g`,
    [count],
  );
  await client.query(
    `INSERT INTO "Profile" ("userId", civility, "familySituation", "birthName", "birthDate", street, "postalCode", city, "protectionMeasure", "updatedAt")
     SELECT id, 'MONSIEUR', 'Marié(e)', "lastName", DATE '1950-01-01', '1 rue de la République', '93200', 'Saint-Denis', false, now()
     FROM "User" WHERE email LIKE 'demandeur%@example.fr'`,
  );
  await client.query(
    `INSERT INTO "Request" (id, "applicantId", number, status, "termsAcceptedAt", "termsVersion", type, eligibility, "statutCode", "zonageCode",
                            "navigoNumber", "participationCents", "submittedAt", "profileSnapshot", "completedSteps", "updatedAt")
     SELECT gen_random_uuid(), u.id, 'DEM-' || lpad(nextval('request_number_seq')::text, 10, '0'),
            (ARRAY['SUBMITTED','IN_REVIEW','AWAITING_DOCUMENT','DOCUMENT_RECEIVED','APPROVED','REFUSED','CLOSED'])[1 + n % 7]::"RequestStatus",
            now(), '2026-11', (ARRAY['FIRST','RENEWAL'])[1 + n % 2]::"RequestType", $1::jsonb, (ARRAY['PA','AH','AC','VG'])[1 + n % 4],
            (ARRAY['Z1_5','Z2_5','Z3_5'])[1 + n % 3], lpad((n * 7919 % 100000000)::text, 8, '0'), 4200,
            timestamp '2025-01-01' + (n % 700) * interval '1 day' + (n % 86400) * interval '1 second', ${SNAPSHOT_SQL}, '{}', now()
     FROM (SELECT u.*, row_number() OVER (ORDER BY u.email) AS n FROM "User" u WHERE u.email LIKE 'demandeur%@example.fr') AS u
     JOIN "Profile" p ON p."userId" = u.id`,
    [JSON.stringify(ELIGIBILITY)],
  );
}

export async function seed(databaseUrl: string, queueSize: number): Promise<Seeded> {
  // One hash for every account: argon2 is slow on purpose.
  const passwordHash = await argon2.hash(PASSWORD, { type: argon2.argon2id });
  return withClient(databaseUrl, async (client) => {
    const { rows } = await client.query<{ id: string }>(
      `INSERT INTO "User" (id, email, "firstName", "lastName", role, "passwordHash", "emailVerifiedAt", "updatedAt")
       VALUES (gen_random_uuid(), $1, 'Anne', 'Agent', 'AGENT', $2, now(), now()) RETURNING id`,
      [AGENT_EMAIL, passwordHash],
    );
    const agentId = rows[0]!.id;
    const marie = await createApplicant(client, passwordHash, APPLICANT_EMAIL, "Marie", "Dupont", "12 avenue Paul Vaillant-Couturier");
    await createRequest(client, marie, agentId, "CLOSED", "2024-09-02T10:00:00Z", "FIRST");
    await createRequest(client, marie, agentId, "APPROVED", "2025-09-15T10:00:00Z", "RENEWAL");
    const reviewedNumber = await createRequest(client, marie, agentId, "IN_REVIEW", "2026-10-20T10:00:00Z", "RENEWAL");
    await createApplicant(client, passwordHash, DRAFTER_EMAIL, "Jean", "Moreau", "3 rue Hector Berlioz");
    await createQueue(client, queueSize);
    // The steady state of a live database, where autovacuum keeps statistics and the visibility map current.
    await client.query("VACUUM ANALYZE");
    return { reviewedNumber, queueSize };
  });
}
