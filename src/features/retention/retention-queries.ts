/**
 * The retention rules as SQL: which drafts, documents and accounts are due
 * for a warning or a deletion at a date. Computed by PostgreSQL (month
 * arithmetic included), so that a run over 100,000 requests is one query per
 * rule, and a deadline read twice is the same timestamp to the millisecond
 * (the warning recorded for it is found again by equality).
 *
 * Times are Prisma's: `timestamp(3)` columns holding UTC. A date given to a
 * query is sent as ISO text and read back in UTC; a deadline comes back as
 * text in the same shape, to be written into RetentionNotice unchanged.
 */
import type { Queryable } from "../../db/prisma.js";
import { Prisma } from "../../generated/prisma/client.js";
import { FINISHED_STATUSES, OPEN_STATUSES } from "../status/request-status.js";
import type { RetentionSettings } from "./retention-config.js";

/** A draft or an account close to its deadline. */
export interface Candidate {
  id: string;
  email: string;
  firstName: string;
  /** The deadline, UTC, as `YYYY-MM-DDTHH:MI:SS.mmm` (no zone). */
  deadline: string;
  /** A warning was recorded for this very deadline. */
  warned: boolean;
  /** Warned long enough ago and past its deadline: it goes now. */
  due: boolean;
}

const DEADLINE_TEXT = `'YYYY-MM-DD"T"HH24:MI:SS.MS'`;

/** A JS date as the UTC `timestamp` SQL compares with Prisma's columns. */
export function utc(date: Date): Prisma.Sql {
  return Prisma.sql`(${date.toISOString()}::timestamptz AT TIME ZONE 'UTC')`;
}

const statusList = (statuses: readonly string[]) => Prisma.join(statuses.map((status) => Prisma.sql`${status}::"RequestStatus"`));

/** When a draft was last touched: its own changes, or a document added to it. */
const draftTouched = Prisma.sql`GREATEST(r."updatedAt", (SELECT max(d."uploadedAt") FROM "RequestDocument" d WHERE d."requestId" = r.id))`;

/**
 * When an applicant last showed activity: the account's creation or last
 * change (name, e-mail, password), the last login, the last change of the
 * profile, or the last change of one of their requests (by them, or a
 * decision of the Département, which gives the person a new reason to come back).
 */
const accountActivity = Prisma.sql`GREATEST(u."createdAt", u."updatedAt", u."lastLoginAt", (SELECT p."updatedAt" FROM "Profile" p WHERE p."userId" = u.id), (SELECT max(r."updatedAt") FROM "Request" r WHERE r."applicantId" = u.id))`;

function candidates(db: Queryable, kind: "DRAFT" | "ACCOUNT", subjects: Prisma.Sql, months: number, warningDays: number, asOf: Date) {
  return db.$queryRaw<Candidate[]>`
    WITH s AS (${subjects}),
    d AS (SELECT s.id, s.email, s."firstName", s.touched + make_interval(months => ${months}::int) AS deadline FROM s)
    SELECT d.id, d.email, d."firstName", to_char(d.deadline, ${Prisma.raw(DEADLINE_TEXT)}) AS deadline,
      (n."sentAt" IS NOT NULL) AS warned,
      (n."sentAt" IS NOT NULL AND d.deadline <= ${utc(asOf)} AND n."sentAt" + make_interval(days => ${warningDays}::int) <= ${utc(asOf)}) AS due
    FROM d LEFT JOIN "RetentionNotice" n ON n.kind = ${kind}::"RetentionNoticeKind" AND n."subjectId" = d.id AND n.deadline = d.deadline
    WHERE d.deadline - make_interval(days => ${warningDays}::int) <= ${utc(asOf)}
    ORDER BY d.deadline, d.id`;
}

/**
 * The rules read one page of subjects at a time (their ids, from
 * `subjectPages`), so that each query stays short whatever the size of the
 * tables: the portal's queries time out after a few seconds, and a
 * catch-up run over years of data must not be one long statement.
 */
export const PAGE_SIZE = 5_000;

const SUBJECTS = {
  drafts: Prisma.sql`SELECT id FROM "Request" WHERE status = 'DRAFT'`,
  finished: Prisma.sql`SELECT id FROM "Request" WHERE status IN (${statusList(FINISHED_STATUSES)})`,
  accounts: Prisma.sql`SELECT id FROM "User" WHERE role = 'APPLICANT' AND "deletedAt" IS NULL`,
};

/** The ids of every draft, finished request or applicant's account, a page at a time, in id order. */
export async function* subjectPages(db: Queryable, subjects: keyof typeof SUBJECTS): AsyncGenerator<string[]> {
  let after = "00000000-0000-0000-0000-000000000000";
  for (;;) {
    const rows = await db.$queryRaw<{ id: string }[]>`${SUBJECTS[subjects]} AND id > ${after}::uuid ORDER BY id LIMIT ${PAGE_SIZE}`;
    if (rows.length === 0) return;
    yield rows.map((row) => row.id);
    after = rows[rows.length - 1]!.id;
  }
}

/** Drafts among `ids` whose deadline is within the warning period (or past). */
export function draftCandidates(db: Queryable, settings: RetentionSettings, asOf: Date, ids: string[]): Promise<Candidate[]> {
  const subjects = Prisma.sql`SELECT r.id, u.email, u."firstName", ${draftTouched} AS touched
    FROM "Request" r JOIN "User" u ON u.id = r."applicantId" WHERE r.id = ANY(${ids}::uuid[]) AND r.status = 'DRAFT'`;
  return candidates(db, "DRAFT", subjects, settings.draftMonths, settings.warningDays, asOf);
}

/** Applicants' accounts among `ids` whose deadline is within the warning period (or past); never one with a request being processed. */
export function accountCandidates(db: Queryable, settings: RetentionSettings, asOf: Date, ids: string[]): Promise<Candidate[]> {
  const subjects = Prisma.sql`SELECT u.id, u.email, u."firstName", ${accountActivity} AS touched
    FROM "User" u WHERE u.id = ANY(${ids}::uuid[]) AND u.role = 'APPLICANT' AND u."deletedAt" IS NULL
      AND NOT EXISTS (SELECT 1 FROM "Request" r WHERE r."applicantId" = u.id AND r.status IN (${statusList(OPEN_STATUSES)}))`;
  return candidates(db, "ACCOUNT", subjects, settings.accountMonths, settings.warningDays, asOf);
}

/**
 * Finished requests that still hold documents, decided long enough ago. The
 * decision is the change to the final status; a request without that change
 * in its history (data older than the history) counts from its last change.
 */
export function finishedRequestsWithDocuments(
  db: Queryable,
  settings: RetentionSettings,
  asOf: Date,
  ids: string[],
): Promise<{ id: string; documents: number }[]> {
  return db.$queryRaw<{ id: string; documents: number }[]>`
    SELECT r.id, count(d.id)::int AS documents
    FROM "Request" r JOIN "RequestDocument" d ON d."requestId" = r.id
    WHERE r.id = ANY(${ids}::uuid[]) AND r.status IN (${statusList(FINISHED_STATUSES)})
      AND COALESCE((SELECT max(c."createdAt") FROM "StatusChange" c WHERE c."requestId" = r.id AND c."toStatus" = r.status), r."updatedAt")
          + make_interval(months => ${settings.documentMonths}::int) <= ${utc(asOf)}
    GROUP BY r.id
    ORDER BY r.id`;
}
