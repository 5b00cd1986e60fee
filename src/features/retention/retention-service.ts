/**
 * The retention job: what personal data has been kept long enough, and its
 * deletion. `plan(asOf)` lists what would go (ids and counts, read only);
 * `apply(asOf)` sends the warnings and deletes what is due. Run daily by the
 * server on one process at a time (src/server.ts, runExclusively), and by
 * `npm run retention`.
 *
 * The rules (periods in RetentionSettings):
 * - a draft untouched for `draftMonths` is deleted with its documents, after
 *   a warning mail sent `warningDays` before;
 * - the documents of a finished request go `documentMonths` after the
 *   decision; the request and its history stay;
 * - an applicant's account without activity for `accountMonths` is erased
 *   (erasure.ts), after a warning mail; never while a request is processed.
 *
 * Nothing goes without its warning: a draft or an account is deleted only
 * once past its deadline *and* at least `warningDays` after the warning for
 * that very deadline (recorded in RetentionNotice, which also keeps the
 * warning from being sent twice). Any activity moves the deadline, and the
 * old warning no longer counts. Each deletion is written to the audit log
 * with counts and ids. Rows are deleted before files (a crash in between
 * leaves only files without rows, which the orphan sweeper removes).
 */
import type { AppContext } from "../../context.js";
import { formatDate } from "../../views/format.js";
import { logger } from "../../logger.js";
import { accountDeletedMail, accountDeletionWarningMail, draftDeletionWarningMail, mailLinks } from "../../mail/messages.js";
import { queueMail } from "../../mail/outbox.js";
import { audit } from "../audit/audit-log.js";
import { eraseAccounts } from "./erasure.js";
import { periodText, type RetentionSettings } from "./retention-config.js";
import { accountCandidates, draftCandidates, finishedRequestsWithDocuments, subjectPages, utc, type Candidate } from "./retention-queries.js";
import { pathTo, paths } from "../../paths.js";

export interface RetentionPlan {
  asOf: Date;
  drafts: { warn: string[]; waiting: string[]; delete: string[] };
  documents: { requests: string[]; files: number };
  accounts: { warn: string[]; waiting: string[]; delete: string[] };
}

export interface RetentionResult {
  draftWarnings: number;
  draftsDeleted: number;
  documentsDeleted: number;
  requestsCleared: number;
  accountWarnings: number;
  accountsDeleted: number;
}

/** Rows handled per transaction: short locks, bounded memory. */
const BATCH = 500;
/** Warnings per transaction: each is a mail rendered and queued. */
const WARNING_BATCH = 100;
/** Accounts erased per transaction (each queues a mail). */
const ACCOUNT_BATCH = 100;
/** A batch of a catch-up run (the first run over years of data) can take longer than Prisma's default 5 s on a loaded server. */
const TRANSACTION = { timeout: 60_000, maxWait: 10_000 };

const DAY_MS = 24 * 60 * 60 * 1000;

function chunks<T>(items: T[], size = BATCH): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < items.length; start += size) result.push(items.slice(start, start + size));
  return result;
}

/** Sorts a page of candidates into the plan's lists. */
function add(lists: { warn: string[]; waiting: string[]; delete: string[] }, candidates: Candidate[]): void {
  for (const candidate of candidates) {
    if (!candidate.warned) lists.warn.push(candidate.id);
    else if (!candidate.due) lists.waiting.push(candidate.id);
    else lists.delete.push(candidate.id);
  }
}

const dueIds = (candidates: Candidate[]) => candidates.filter((candidate) => candidate.due).map((candidate) => candidate.id);

export class RetentionService {
  constructor(
    private readonly ctx: Pick<AppContext, "db" | "clock" | "publicUrl" | "storage">,
    readonly settings: RetentionSettings,
  ) {}

  async plan(asOf: Date = this.ctx.clock.now()): Promise<RetentionPlan> {
    const { db } = this.ctx;
    const plan: RetentionPlan = {
      asOf,
      drafts: { warn: [], waiting: [], delete: [] },
      documents: { requests: [], files: 0 },
      accounts: { warn: [], waiting: [], delete: [] },
    };
    for await (const page of subjectPages(db, "drafts")) add(plan.drafts, await draftCandidates(db, this.settings, asOf, page));
    for await (const page of subjectPages(db, "finished")) {
      for (const row of await finishedRequestsWithDocuments(db, this.settings, asOf, page)) {
        plan.documents.requests.push(row.id);
        plan.documents.files += row.documents;
      }
    }
    for await (const page of subjectPages(db, "accounts")) add(plan.accounts, await accountCandidates(db, this.settings, asOf, page));
    return plan;
  }

  /** Page by page (a page of ids read, then acted on): memory and each statement stay bounded whatever the size of the tables. */
  async apply(asOf: Date = this.ctx.clock.now()): Promise<RetentionResult> {
    const { db } = this.ctx;
    const result: RetentionResult = { draftWarnings: 0, draftsDeleted: 0, documentsDeleted: 0, requestsCleared: 0, accountWarnings: 0, accountsDeleted: 0 };
    for await (const page of subjectPages(db, "drafts")) {
      const drafts = await draftCandidates(db, this.settings, asOf, page);
      result.draftWarnings += await this.warn("DRAFT", drafts, asOf);
      result.draftsDeleted += await this.deleteDrafts(dueIds(drafts), asOf);
    }
    for await (const page of subjectPages(db, "finished")) {
      const requests = await finishedRequestsWithDocuments(db, this.settings, asOf, page);
      result.documentsDeleted += await this.deleteDocuments(requests.map((request) => request.id));
      result.requestsCleared += requests.length;
    }
    for await (const page of subjectPages(db, "accounts")) {
      const accounts = await accountCandidates(db, this.settings, asOf, page);
      result.accountWarnings += await this.warn("ACCOUNT", accounts, asOf);
      result.accountsDeleted += await this.deleteAccounts(dueIds(accounts), asOf);
    }
    logger.info({ retention: result }, "conservation des données : passage terminé");
    return result;
  }

  /** Records each warning (once per subject and deadline) and queues its mail in the same transaction. */
  private async warn(kind: "DRAFT" | "ACCOUNT", candidates: Candidate[], asOf: Date): Promise<number> {
    const links = mailLinks(this.ctx.publicUrl);
    let sent = 0;
    for (const batch of chunks(
      candidates.filter((candidate) => !candidate.warned),
      WARNING_BATCH,
    )) {
      sent += await this.ctx.db.$transaction(async (tx) => {
        const recorded = await tx.$queryRaw<{ subjectId: string }[]>`
          INSERT INTO "RetentionNotice" (id, kind, "subjectId", deadline, "sentAt")
          SELECT gen_random_uuid(), ${kind}::"RetentionNoticeKind", subject, deadline::timestamp(3), ${utc(asOf)}
          FROM unnest(${batch.map((candidate) => candidate.id)}::uuid[], ${batch.map((candidate) => candidate.deadline)}::text[]) AS t(subject, deadline)
          ON CONFLICT ("kind", "subjectId", "deadline") DO NOTHING
          RETURNING "subjectId"`;
        const fresh = new Set(recorded.map((row) => row.subjectId));
        for (const candidate of batch.filter((item) => fresh.has(item.id))) {
          // Never before the deadline, and never less than the warning period after this mail.
          const deadline = new Date(`${candidate.deadline}Z`);
          const day = formatDate(new Date(Math.max(deadline.getTime(), asOf.getTime() + this.settings.warningDays * DAY_MS)));
          const mail =
            kind === "DRAFT"
              ? draftDeletionWarningMail(candidate.firstName, day, periodText(this.settings.draftMonths - 1), `${this.ctx.publicUrl}${pathTo(paths.request)}`)
              : accountDeletionWarningMail(candidate.firstName, day, periodText(this.settings.accountMonths - 1), links.login);
          await queueMail(tx, candidate.email, mail);
        }
        return fresh.size;
      }, TRANSACTION);
    }
    return sent;
  }

  private async deleteDrafts(ids: string[], asOf: Date): Promise<number> {
    let deleted = 0;
    for (const batch of chunks(ids)) {
      const storedNames = await this.ctx.db.$transaction(async (tx) => {
        // Locked, then checked again: a draft saved since the plan has a new deadline and stays.
        await tx.$queryRaw`SELECT id FROM "Request" WHERE id = ANY(${batch}::uuid[]) AND status = 'DRAFT' ORDER BY id FOR UPDATE`;
        const due = (await draftCandidates(tx, this.settings, asOf, batch)).filter((candidate) => candidate.due).map((candidate) => candidate.id);
        if (due.length === 0) return [];
        const documents = await tx.requestDocument.findMany({ where: { requestId: { in: due } }, select: { storedName: true } });
        await tx.retentionNotice.deleteMany({ where: { kind: "DRAFT", subjectId: { in: due } } });
        await tx.request.deleteMany({ where: { id: { in: due }, status: "DRAFT" } });
        await audit(tx, { actorId: null, action: "RETENTION_DRAFTS_DELETED", details: { count: due.length, documents: documents.length, requestIds: due } });
        deleted += due.length;
        return documents.map((document) => document.storedName);
      }, TRANSACTION);
      await this.removeFiles(storedNames);
    }
    return deleted;
  }

  private async deleteDocuments(requestIds: string[]): Promise<number> {
    let documentsDeleted = 0;
    for (const batch of chunks(requestIds)) {
      const storedNames = await this.ctx.db.$transaction(async (tx) => {
        // A finished request never changes status again: its decision date cannot move.
        const removed = await tx.$queryRaw<{ storedName: string }[]>`
          DELETE FROM "RequestDocument" WHERE "requestId" = ANY(${batch}::uuid[]) RETURNING "storedName"`;
        await audit(tx, {
          actorId: null,
          action: "RETENTION_DOCUMENTS_DELETED",
          details: { requests: batch.length, documents: removed.length, requestIds: batch },
        });
        return removed.map((row) => row.storedName);
      }, TRANSACTION);
      documentsDeleted += storedNames.length;
      await this.removeFiles(storedNames);
    }
    return documentsDeleted;
  }

  private async deleteAccounts(ids: string[], asOf: Date): Promise<number> {
    let deleted = 0;
    for (const batch of chunks(ids, ACCOUNT_BATCH)) {
      const storedNames = await this.ctx.db.$transaction(async (tx) => {
        // Locked, then checked again: a login since the plan moved the deadline, and the account stays.
        await tx.$queryRaw`SELECT id FROM "User" WHERE id = ANY(${batch}::uuid[]) ORDER BY id FOR UPDATE`;
        const due = dueIds(await accountCandidates(tx, this.settings, asOf, batch));
        if (due.length === 0) return [];
        const result = await eraseAccounts(tx, due, asOf);
        if (result.erased.length === 0) return [];
        await audit(tx, {
          actorId: null,
          action: "RETENTION_ACCOUNTS_DELETED",
          details: {
            count: result.erased.length,
            requests: result.anonymised,
            drafts: result.drafts,
            documents: result.storedNames.length,
            accountIds: result.erased.map((user) => user.id),
          },
        });
        for (const user of result.erased) await queueMail(tx, user.email, accountDeletedMail(user.firstName));
        deleted += result.erased.length;
        return result.storedNames;
      }, TRANSACTION);
      await this.removeFiles(storedNames);
    }
    return deleted;
  }

  /** Files after their rows are committed; one that fails stays for the orphan sweeper, and the run goes on. */
  private async removeFiles(storedNames: string[]): Promise<void> {
    for (const storedName of storedNames) {
      await this.ctx.storage.remove(storedName).catch((error: unknown) => logger.warn({ err: error }, "conservation : un fichier n'a pas pu être supprimé"));
    }
  }
}
