/**
 * The applicant's draft: starting it, loading what the wizard needs, saving a
 * step, and submitting it. The only layer of the wizard that touches the
 * database.
 */
import type { Database } from "../../db/prisma.js";
import { Prisma } from "../../generated/prisma/client.js";
import type { FieldCipher } from "../../lib/encryption.js";
import type { Clock } from "../../lib/clock.js";
import { referenceData } from "../../db/reference-data.js";
import { queueMail } from "../../mail/outbox.js";
import { mailLinks, requestSubmittedMail } from "../../mail/messages.js";
import { changeStatus } from "../my-requests/status-service.js";
import { deleteInapplicableDocuments } from "../documents/inapplicable-documents.js";
import type { DocumentStorage } from "../documents/document-storage.js";
import { isProfileComplete } from "../profile/profile-service.js";
import { findOpenRequest } from "../my-requests/my-requests-service.js";
import { participationFor } from "../../domain/participation.js";
import { stepStates } from "./registry.js";
import type { StepContext } from "./wizard-types.js";

/** The version of the terms of use the applicant accepts (stored with the time). */
export const TERMS_VERSION = "2026-11";

export interface RequestContext {
  db: Database;
  clock: Clock;
  cipher: FieldCipher;
  publicUrl: string;
  /** The documents' files (a submission removes those of sections that no longer apply). */
  storage: DocumentStorage;
}

export async function applicantProfile(db: Database, userId: string) {
  return db.profile.findUnique({ where: { userId } });
}

export async function canStartRequest(db: Database, userId: string): Promise<boolean> {
  return isProfileComplete(await applicantProfile(db, userId));
}

/** Everything the wizard needs about the applicant's draft, or null when there is none. */
export async function loadStepContext(ctx: RequestContext, userId: string): Promise<StepContext | null> {
  const draft = await ctx.db.request.findFirst({
    where: { applicantId: userId, status: "DRAFT" },
    include: { documents: { orderBy: { uploadedAt: "asc" } } },
  });
  if (!draft) return null;
  const [{ statuts, zonages }, profile] = await Promise.all([referenceData(ctx.db), applicantProfile(ctx.db, userId)]);
  return {
    draft,
    statuts,
    zonages,
    birthDate: profile?.birthDate ?? null,
    postalCode: profile?.postalCode ?? null,
    today: ctx.clock.now(),
    cipher: ctx.cipher,
  };
}

type Tx = Parameters<Parameters<Database["$transaction"]>[0]>[0];

/**
 * Serialises, for one applicant, what decides how many requests they have
 * (starting a draft, submitting one): each takes this lock first. NO KEY
 * UPDATE, so that rows referring to the person (their requests) can still be
 * written meanwhile.
 */
async function lockApplicant(tx: Tx, userId: string): Promise<void> {
  await tx.$queryRaw`SELECT id FROM "User" WHERE id = ${userId}::uuid FOR NO KEY UPDATE`;
}

/**
 * Accepting the terms of use starts the draft; a second one is never created
 * (unique index), nor one while a request is open (one at a time).
 */
export async function startDraft(ctx: RequestContext, userId: string): Promise<void> {
  try {
    await ctx.db.$transaction(async (tx) => {
      await lockApplicant(tx, userId);
      if (await findOpenRequest(tx as unknown as Database, userId)) return;
      if (await tx.request.findFirst({ where: { applicantId: userId, status: "DRAFT" }, select: { id: true } })) return;
      await tx.request.create({ data: { applicantId: userId, termsAcceptedAt: ctx.clock.now(), termsVersion: TERMS_VERSION } });
    });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") return;
    throw error;
  }
}

/**
 * Saves a step: its answers, whether it is done, and what was typed but not
 * yet valid (kept so that « Précédent » loses nothing). The completed steps
 * and the typed input are read again under a row lock, so two steps saved at
 * the same moment (two tabs) both keep their mark and their input.
 * False when the draft was submitted meanwhile (another tab, a double click).
 */
export async function saveStep(
  ctx: RequestContext,
  stepCtx: StepContext,
  input: { slug: string; data: Prisma.RequestUpdateInput; done: boolean; pending: Record<string, string> | null },
): Promise<boolean> {
  return ctx.db.$transaction(async (tx) => {
    const [current] = await tx.$queryRaw<{ completedSteps: string[]; pendingInput: Record<string, unknown> | null }[]>`
      SELECT "completedSteps", "pendingInput" FROM "Request" WHERE id = ${stepCtx.draft.id}::uuid AND status = 'DRAFT' FOR UPDATE`;
    if (!current) return false;
    const completed = new Set(current.completedSteps);
    if (input.done) completed.add(input.slug);
    else if (input.pending === null) completed.delete(input.slug);
    const pending = { ...(current.pendingInput ?? {}) };
    if (input.pending) pending[input.slug] = input.pending;
    else delete pending[input.slug];
    await tx.request.update({
      where: { id: stepCtx.draft.id },
      data: { ...input.data, completedSteps: [...completed], pendingInput: pending as Prisma.InputJsonValue },
    });
    return true;
  });
}

export function formatRequestNumber(sequenceValue: bigint | number): string {
  return `DEM-${String(sequenceValue).padStart(10, "0")}`;
}

export type SubmitResult =
  | { kind: "submitted"; number: string }
  | { kind: "incomplete"; slug: string }
  | { kind: "not-found" }
  /** Another request of the applicant is still open: one at a time. */
  | { kind: "open-request" };

/**
 * « Envoyer ». Idempotent: the draft's row is locked, so a double click or a
 * replayed POST finds it already submitted and gets the same number back.
 */
export async function submitDraft(ctx: RequestContext, userId: string, requestId: string): Promise<SubmitResult> {
  const dropped: string[] = [];
  const result = await ctx.db.$transaction(async (tx): Promise<SubmitResult> => {
    await lockApplicant(tx, userId);
    const [locked] = await tx.$queryRaw<{ status: string; number: string | null }[]>`
      SELECT status, number FROM "Request" WHERE id = ${requestId}::uuid AND "applicantId" = ${userId}::uuid FOR UPDATE`;
    if (!locked) return { kind: "not-found" } as const;
    if (locked.status !== "DRAFT") return { kind: "submitted", number: locked.number! } as const;
    if (await findOpenRequest(tx as unknown as Database, userId)) return { kind: "open-request" } as const;

    const stepCtx = await loadStepContext({ ...ctx, db: tx as unknown as Database }, userId);
    if (!stepCtx) return { kind: "not-found" } as const;
    const pending = stepStates(stepCtx).filter((state) => state.step.slug !== "avis").find((state) => !state.complete);
    if (pending) return { kind: "incomplete", slug: pending.step.slug } as const;
    dropped.push(...(await deleteInapplicableDocuments(tx, stepCtx)));

    const [{ nextval }] = (await tx.$queryRaw<{ nextval: bigint }[]>`SELECT nextval('request_number_seq')`) as [{ nextval: bigint }];
    const number = formatRequestNumber(nextval);
    const user = await tx.user.findUniqueOrThrow({ where: { id: userId }, include: { profile: true } });
    const { passwordHash: _hash, ...person } = user;
    await tx.request.update({
      where: { id: requestId },
      data: {
        number,
        submittedAt: ctx.clock.now(),
        participationCents: participationFor(stepCtx.zonages, stepCtx.draft.zonageCode),
        profileSnapshot: JSON.parse(JSON.stringify(person)) as Prisma.InputJsonValue,
        pendingInput: Prisma.DbNull,
      },
    });
    await changeStatus(tx, { requestId, to: "SUBMITTED", actor: "applicant", actorId: userId, publicUrl: ctx.publicUrl, skipApplicantMail: true });
    await queueMail(tx, user.email, requestSubmittedMail(user.firstName, number, mailLinks(ctx.publicUrl).myRequest(number)));
    return { kind: "submitted", number } as const;
  });
  await Promise.all(dropped.map((storedName) => ctx.storage.remove(storedName)));
  return result;
}
