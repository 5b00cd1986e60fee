/**
 * The retention rules with the test clock, real PostgreSQL, the SMTP catcher
 * and files on disk: drafts warned then deleted, documents of a finished
 * request deleted after the period (the request kept), inactive accounts
 * warned then deleted, nothing early, no warning twice, and audit entries
 * that name nobody.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { erasedEmail } from "../../src/features/retention/erasure.js";
import { seedRequest, createStaff } from "../support/back-office.js";
import { addMonths, DAY_MS, retentionService, seedDraft, seedFinished, setActivity, setClock, storeDocument } from "../support/retention.js";
import { createTestContext, type TestContext } from "../support/test-app.js";

let ctx: TestContext;
beforeEach(async () => {
  ctx = await createTestContext();
});
afterEach(async () => ctx.close());

const fileOnDisk = (storedName: string) => existsSync(path.join(ctx.uploadsDir, storedName));

async function auditDetails(action: "RETENTION_DRAFTS_DELETED" | "RETENTION_DOCUMENTS_DELETED" | "RETENTION_ACCOUNTS_DELETED") {
  return (await ctx.db.auditLog.findMany({ where: { action } })).map((entry) => ({ actorId: entry.actorId, details: JSON.stringify(entry.details) }));
}

describe("drafts left untouched", () => {
  it("are warned 30 days before the 12 months, once, and deleted with their files only 30 days after the warning", async () => {
    const start = ctx.clock.now();
    const { draft, document } = await seedDraft(ctx, start, "brouillon@example.fr");
    const { draft: touched } = await seedDraft(ctx, start, "retouche@example.fr");
    const retention = retentionService(ctx);
    const deadline = addMonths(start, 12);

    setClock(ctx, new Date(deadline.getTime() - 31 * DAY_MS));
    expect((await retention.plan()).drafts).toEqual({ warn: [], waiting: [], delete: [] });
    expect((await retention.apply()).draftWarnings).toBe(0);

    setClock(ctx, new Date(deadline.getTime() - 29 * DAY_MS));
    const warnedAt = ctx.clock.now();
    expect((await retention.plan()).drafts.warn.sort()).toEqual([draft.id, touched.id].sort());
    expect((await retention.apply()).draftWarnings).toBe(2);
    // The same day again, and a second server's run: no second mail.
    expect((await retention.apply()).draftWarnings).toBe(0);
    await ctx.deliverMails();
    const warning = await ctx.smtp.waitFor("brouillon@example.fr", "Votre demande en brouillon sera bientôt supprimée");
    expect(warning.text).toContain("http://portail.test/demande");
    expect(ctx.smtp.to("brouillon@example.fr").filter((mail) => mail.subject.includes("brouillon"))).toHaveLength(1);

    // The second person comes back and saves their draft: a new deadline, the old warning no longer counts.
    await ctx.db.$executeRaw`UPDATE "Request" SET "updatedAt" = ${warnedAt} WHERE id = ${touched.id}::uuid`;

    // Past the 12 months, but the warning is less than 30 days old: kept.
    setClock(ctx, new Date(deadline.getTime() + 12 * 60 * 60 * 1000));
    expect((await retention.plan()).drafts).toEqual({ warn: [], waiting: [draft.id], delete: [] });
    expect((await retention.apply()).draftsDeleted).toBe(0);
    expect(await ctx.db.request.count({ where: { id: draft.id } })).toBe(1);

    setClock(ctx, new Date(warnedAt.getTime() + 30 * DAY_MS + 60_000));
    const plan = await retention.plan();
    expect(plan.drafts.delete).toEqual([draft.id]);
    const result = await retention.apply();
    expect(result).toMatchObject({ draftsDeleted: 1, draftWarnings: 0 });
    expect(await ctx.db.request.count({ where: { id: draft.id } })).toBe(0);
    expect(await ctx.db.requestDocument.count({ where: { id: document.id } })).toBe(0);
    expect(fileOnDisk(document.storedName)).toBe(false);
    expect(await ctx.db.request.count({ where: { id: touched.id } })).toBe(1);
    // The account itself is not the draft's: it stays.
    expect(await ctx.db.user.count({ where: { email: "brouillon@example.fr" } })).toBe(1);

    const entries = await auditDetails("RETENTION_DRAFTS_DELETED");
    expect(entries).toHaveLength(1);
    expect(entries[0]!.actorId).toBeNull();
    expect(entries[0]!.details).toContain(draft.id);
    expect(entries[0]!.details).toContain('"count":1');
    expect(entries[0]!.details).not.toMatch(/brouillon@|Jeanne|Martin|Bobigny/);
  }, 60_000);
});

describe("documents of a finished request", () => {
  it("are deleted 24 months after the decision; the request and its history stay; a request being processed keeps its files", async () => {
    const decided = ctx.clock.now();
    const { request, document } = await seedFinished(ctx, "APPROVED", decided);
    const open = await seedRequest(ctx.db, { status: "IN_REVIEW" });
    const openDocument = await storeDocument(ctx, open.id);
    const retention = retentionService(ctx);

    setClock(ctx, new Date(addMonths(decided, 24).getTime() - DAY_MS));
    expect((await retention.plan()).documents).toEqual({ requests: [], files: 0 });
    expect((await retention.apply()).documentsDeleted).toBe(0);
    expect(fileOnDisk(document.storedName)).toBe(true);

    setClock(ctx, new Date(addMonths(decided, 24).getTime() + DAY_MS));
    expect((await retention.plan()).documents).toEqual({ requests: [request.id], files: 1 });
    expect(await retention.apply()).toMatchObject({ documentsDeleted: 1, requestsCleared: 1 });
    expect(fileOnDisk(document.storedName)).toBe(false);
    expect(await ctx.db.requestDocument.count({ where: { requestId: request.id } })).toBe(0);
    const kept = await ctx.db.request.findUniqueOrThrow({ where: { id: request.id }, include: { statusChanges: true } });
    expect(kept.status).toBe("APPROVED");
    expect(kept.statusChanges).toHaveLength(1);
    expect(fileOnDisk(openDocument.storedName)).toBe(true);

    const entries = await auditDetails("RETENTION_DOCUMENTS_DELETED");
    expect(entries).toHaveLength(1);
    expect(entries[0]!.details).toContain('"documents":1');
    expect(entries[0]!.details).toContain(request.id);
    expect(entries[0]!.details).not.toContain(document.originalName);
  }, 60_000);

  it("follows RETENTION_DOCUMENT_MONTHS", async () => {
    const decided = ctx.clock.now();
    const { request } = await seedFinished(ctx, "CLOSED", decided);
    setClock(ctx, new Date(addMonths(decided, 6).getTime() + DAY_MS));
    expect((await retentionService(ctx).plan()).documents.requests).toEqual([]);
    expect((await retentionService(ctx, { RETENTION_DOCUMENT_MONTHS: "6" }).plan()).documents.requests).toEqual([request.id]);
  });
});

describe("accounts without activity", () => {
  it("are warned, then erased 3 years after the last activity: finished requests kept anonymised, mail received; never an agent or a request being processed", async () => {
    const start = ctx.clock.now();
    const { request, document } = await seedFinished(ctx, "REFUSED", start, { email: "inactive@example.fr", lastName: "Dormant" });
    const applicantId = request.applicantId;
    await setActivity(ctx, applicantId, start);
    const withoutRequest = await seedRequest(ctx.db, { email: "sans-demande@example.fr", status: "DRAFT", extra: { number: null, submittedAt: null } });
    await ctx.db.request.delete({ where: { id: withoutRequest.id } });
    await setActivity(ctx, withoutRequest.applicantId, start);
    const processing = await seedRequest(ctx.db, { email: "en-cours@example.fr", status: "IN_REVIEW" });
    await setActivity(ctx, processing.applicantId, start);
    await ctx.db.$executeRaw`UPDATE "Request" SET "updatedAt" = ${start} WHERE id = ${processing.id}::uuid`;
    const agent = await createStaff(ctx.db, "agent-ancien@cd93.fr");
    await setActivity(ctx, agent.id, start);
    const retention = retentionService(ctx);
    const deadline = addMonths(start, 36);

    setClock(ctx, new Date(deadline.getTime() - 31 * DAY_MS));
    expect((await retention.plan()).accounts.warn).toEqual([]);

    setClock(ctx, new Date(deadline.getTime() - 30 * DAY_MS));
    const warned = await retention.plan();
    expect(warned.accounts.warn.sort()).toEqual([applicantId, withoutRequest.applicantId].sort());
    expect((await retention.apply()).accountWarnings).toBe(2);
    expect((await retention.apply()).accountWarnings).toBe(0);
    await ctx.deliverMails();
    const warning = await ctx.smtp.waitFor("inactive@example.fr", "sera bientôt supprimé");
    expect(warning.text).toContain("http://portail.test/connexion");

    setClock(ctx, new Date(deadline.getTime() - DAY_MS));
    expect((await retention.apply()).accountsDeleted).toBe(0);
    expect((await ctx.db.user.findUniqueOrThrow({ where: { id: applicantId } })).email).toBe("inactive@example.fr");

    setClock(ctx, new Date(deadline.getTime() + 60_000));
    expect((await retention.plan()).accounts.delete.sort()).toEqual([applicantId, withoutRequest.applicantId].sort());
    expect((await retention.apply()).accountsDeleted).toBe(2);

    // The account with a finished request: an empty shell under the anonymised request.
    const shell = await ctx.db.user.findUniqueOrThrow({ where: { id: applicantId }, include: { profile: true } });
    expect(shell).toMatchObject({ email: erasedEmail(applicantId), firstName: "Compte", lastName: "supprimé", passwordHash: null, profile: null });
    expect(shell.deletedAt).not.toBeNull();
    const anonymised = await ctx.db.request.findUniqueOrThrow({ where: { id: request.id } });
    expect(anonymised).toMatchObject({ status: "REFUSED", navigoNumber: null, ibanLast4: null, bic: null, profileSnapshot: null });
    expect(fileOnDisk(document.storedName)).toBe(false);
    // The account without a request: gone.
    expect(await ctx.db.user.count({ where: { id: withoutRequest.applicantId } })).toBe(0);
    // Never an agent, never someone whose request is being processed.
    expect(await ctx.db.user.count({ where: { id: agent.id } })).toBe(1);
    expect((await ctx.db.user.findUniqueOrThrow({ where: { id: processing.applicantId } })).deletedAt).toBeNull();

    await ctx.deliverMails();
    await ctx.smtp.waitFor("inactive@example.fr", "a été supprimé");
    const entries = await auditDetails("RETENTION_ACCOUNTS_DELETED");
    // One entry for the batch: the count and the ids.
    expect(entries).toHaveLength(1);
    expect(entries[0]!.details).toContain('"count":2');
    expect(entries[0]!.details).toContain(applicantId);
    expect(entries[0]!.details).toContain(withoutRequest.applicantId);
    expect(entries[0]!.details).not.toMatch(/inactive@|sans-demande@|Dormant|Jeanne|Bobigny/);
  }, 60_000);

  it("a login after the warning moves the deadline: the account stays, and a new warning comes before the new deadline", async () => {
    const start = ctx.clock.now();
    const seeded = await seedRequest(ctx.db, { email: "revenu@example.fr", status: "DRAFT", extra: { number: null, submittedAt: null } });
    await ctx.db.request.delete({ where: { id: seeded.id } });
    await setActivity(ctx, seeded.applicantId, start);
    const retention = retentionService(ctx);
    const deadline = addMonths(start, 36);

    setClock(ctx, new Date(deadline.getTime() - 10 * DAY_MS));
    expect((await retention.apply()).accountWarnings).toBe(1);
    const cameBack = ctx.clock.now();
    await ctx.db.user.update({ where: { id: seeded.applicantId }, data: { lastLoginAt: cameBack } });

    setClock(ctx, new Date(deadline.getTime() + 40 * DAY_MS));
    expect(await retention.apply()).toMatchObject({ accountsDeleted: 0, accountWarnings: 0 });
    expect(await ctx.db.user.count({ where: { id: seeded.applicantId, deletedAt: null } })).toBe(1);

    setClock(ctx, new Date(addMonths(cameBack, 36).getTime() - 29 * DAY_MS));
    expect((await retention.apply()).accountWarnings).toBe(1);
  }, 60_000);
});
