/** Applicants, drafts, finished requests and their files made directly, for the retention and account-data tests. */
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { parseConfig } from "../../src/config.js";
import { RetentionService } from "../../src/features/retention/retention-service.js";
import type { RequestStatus } from "../../src/generated/prisma/client.js";
import { pdfFile } from "./files.js";
import { seedRequest } from "./back-office.js";
import { PUBLIC_URL, type TestContext } from "./test-app.js";

export const DAY_MS = 24 * 60 * 60 * 1000;

/** The date `months` calendar months after `date` (PostgreSQL's month arithmetic, for dates that are not a month's end). */
export function addMonths(date: Date, months: number): Date {
  const result = new Date(date);
  result.setUTCMonth(result.getUTCMonth() + months);
  return result;
}

/** Moves the test clock to `date` (never back). */
export function setClock(ctx: TestContext, date: Date): void {
  ctx.clock.advance(date.getTime() - ctx.clock.now().getTime());
}

export function retentionService(ctx: TestContext, env: Record<string, string> = {}): RetentionService {
  const config = parseConfig({ NODE_ENV: "test", ...env });
  return new RetentionService({ db: ctx.db, clock: ctx.clock, publicUrl: PUBLIC_URL, storage: ctx.storage }, config.retention);
}

/** A document of the request, its file stored through DocumentStorage (as an upload would). */
export async function storeDocument(ctx: TestContext, requestId: string, content = pdfFile("Justificatif"), originalName = "avis-impot.pdf") {
  const temp = path.join(ctx.uploadsDir, `incoming-${Math.random().toString(16).slice(2)}`);
  await writeFile(temp, content);
  const storedName = await ctx.storage.keep(temp);
  return ctx.db.requestDocument.create({
    data: { requestId, section: "TAX_NOTICE", originalName, storedName, mimeType: "application/pdf", sizeBytes: content.length },
  });
}

/** A request of status `status` (a final one decided at `decidedAt`), its applicant, one document. */
export async function seedFinished(ctx: TestContext, status: RequestStatus, decidedAt: Date, options: { email?: string; lastName?: string } = {}) {
  const request = await seedRequest(ctx.db, {
    status,
    email: options.email,
    lastName: options.lastName,
    extra: { directDebit: true, ibanLast4: "0189", bic: "AGRIFRPP" },
  });
  await ctx.db.statusChange.create({ data: { requestId: request.id, fromStatus: "IN_REVIEW", toStatus: status, createdAt: decidedAt, message: "Décision" } });
  await ctx.db.$executeRaw`UPDATE "Request" SET "updatedAt" = ${decidedAt} WHERE id = ${request.id}::uuid`;
  const document = await storeDocument(ctx, request.id);
  return { request, document };
}

/** An applicant (with a profile) whose only request is a draft last touched at `touchedAt`, with one document. */
export async function seedDraft(ctx: TestContext, touchedAt: Date, email: string) {
  const seeded = await seedRequest(ctx.db, { status: "DRAFT", email, extra: { number: null, submittedAt: null } });
  const document = await storeDocument(ctx, seeded.id);
  await ctx.db.$executeRaw`UPDATE "RequestDocument" SET "uploadedAt" = ${touchedAt} WHERE id = ${document.id}::uuid`;
  await ctx.db.$executeRaw`UPDATE "Request" SET "updatedAt" = ${touchedAt} WHERE id = ${seeded.id}::uuid`;
  return { draft: seeded, document };
}

/** Sets every date of activity of the applicant's account to `at`. */
export async function setActivity(ctx: TestContext, userId: string, at: Date): Promise<void> {
  await ctx.db.$executeRaw`UPDATE "User" SET "createdAt" = ${at}, "updatedAt" = ${at}, "lastLoginAt" = ${at} WHERE id = ${userId}::uuid`;
  await ctx.db.$executeRaw`UPDATE "Profile" SET "updatedAt" = ${at} WHERE "userId" = ${userId}::uuid`;
}
