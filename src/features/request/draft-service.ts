/**
 * The applicant's draft: starting it, loading what the wizard needs, saving a
 * step, and submitting it. The only layer of the wizard that touches the
 * database; built once (createServices) and handed to the routes.
 */
import type { Request } from "express";
import { z } from "zod";
import type { AppContext } from "../../context.js";
import type { Queryable, Transaction } from "../../db/prisma.js";
import { Prisma, type Profile, type RequestStatus } from "../../generated/prisma/client.js";
import { referenceData } from "../../db/reference-data.js";
import { queueMail } from "../../mail/outbox.js";
import { mailLinks, requestSubmittedMail } from "../../mail/messages.js";
import { OPEN_STATUSES } from "../status/request-status.js";
import { participationFor } from "../../domain/participation.js";
import { changeStatus } from "../status/status-service.js";
import { deleteDocumentsOutside } from "../documents/inapplicable-documents.js";
import { isProfileComplete } from "../profile/profile-service.js";
import { carryKeptInput, type KeptStepInput } from "./expired-session.js";
import { readPendingInput } from "./pending-input.js";
import { firstStepBlockingSubmission, stepStates } from "./registry.js";
import { sectionsFor } from "./steps/documents-step.js";
import type { Applicant, Draft, StepContext, StepDependencies } from "./wizard-types.js";

/** A draft with its files and its « Je ne peux pas fournir ce document » declarations. */
const DRAFT_INCLUDE = { documents: { orderBy: { uploadedAt: "asc" } }, missingDocuments: true } as const;

/** The version of the terms of use the applicant accepts (stored with the time). */
export const TERMS_VERSION = "2026-11";

export function formatRequestNumber(sequenceValue: bigint | number): string {
  return `DEM-${String(sequenceValue).padStart(10, "0")}`;
}

export type SubmitResult =
  | { kind: "submitted"; number: string }
  | { kind: "incomplete"; slug: string }
  | { kind: "not-found" }
  /** Another request of the applicant is still open: one at a time. */
  | { kind: "open-request" };

export type OpenRequest = NonNullable<Awaited<ReturnType<DraftService["findOpenRequest"]>>>;

export interface ApplicantState {
  profileComplete: boolean;
  open: OpenRequest | null;
  /** Null when the applicant has no draft. */
  stepCtx: StepContext | null;
}

/** The columns saveStep reads under its lock, checked as they come back from raw SQL. */
const lockedDraftSchema = z.object({ completedSteps: z.array(z.string()), pendingInput: z.unknown() });
const lockedRequestSchema = z.object({ status: z.string(), number: z.string().nullable() });
const sequenceSchema = z.object({ nextval: z.bigint() });

/**
 * Serialises, for one applicant, what decides how many requests they have
 * (starting a draft, submitting one): each takes this lock first. NO KEY
 * UPDATE, so that rows referring to the person (their requests) can still be
 * written meanwhile.
 */
async function lockApplicant(tx: Transaction, userId: string): Promise<void> {
  await tx.$queryRaw`SELECT id FROM "User" WHERE id = ${userId}::uuid FOR NO KEY UPDATE`;
}

/**
 * The account with its profile and its requests of these statuses, each with
 * its files and declarations: one query (the relations are joined).
 */
function readApplicant(db: Queryable, userId: string, statuses: RequestStatus[]) {
  return db.user.findUnique({
    where: { id: userId },
    select: {
      firstName: true,
      lastName: true,
      email: true,
      profile: true,
      requests: { where: { status: { in: statuses } }, include: DRAFT_INCLUDE },
    },
  });
}

type ApplicantRow = NonNullable<Awaited<ReturnType<typeof readApplicant>>>;

export class DraftService {
  constructor(private readonly ctx: AppContext) {}

  /** What the steps may use beyond their data. */
  get stepDependencies(): StepDependencies {
    return { cipher: this.ctx.cipher };
  }

  /** At login, the input kept over an expired session goes to the new session if the draft is the person's own. */
  carryKeptInput(req: Request, kept: KeptStepInput | undefined, userId: string): Promise<void> {
    return carryKeptInput(this.ctx.db, req, kept, userId);
  }

  /** The applicant's request waiting for a final answer, if any (there is at most one). */
  async findOpenRequest(userId: string, db: Queryable = this.ctx.db) {
    return db.request.findFirst({
      where: { applicantId: userId, status: { in: [...OPEN_STATUSES] } },
      select: { id: true, number: true, status: true, submittedAt: true },
    });
  }

  /** The number of the applicant's request that was this draft, once submitted; null otherwise. */
  async submittedNumber(userId: string, draftId: string): Promise<string | null> {
    const submitted = await this.ctx.db.request.findFirst({
      where: { id: draftId, applicantId: userId, number: { not: null } },
      select: { number: true },
    });
    return submitted?.number ?? null;
  }

  /**
   * What the wizard's guards and its step need, read together: whether the
   * profile is complete, the open request, and the draft with its documents
   * (one query: the profile and the requests joined to the account), then the
   * reference data only when there is a draft.
   */
  async loadApplicantState(userId: string): Promise<ApplicantState> {
    const user = await readApplicant(this.ctx.db, userId, [...OPEN_STATUSES, "DRAFT"]);
    const openRequest = user?.requests.find((request) => request.status !== "DRAFT");
    const draft = user?.requests.find((request) => request.status === "DRAFT");
    return {
      profileComplete: isProfileComplete(user?.profile ?? null),
      open: openRequest ? { id: openRequest.id, number: openRequest.number, status: openRequest.status, submittedAt: openRequest.submittedAt } : null,
      stepCtx: user && draft ? await this.stepContextOf(this.ctx.db, user, draft) : null,
    };
  }

  /** Everything the wizard needs about the applicant's draft, or null when there is none (the same reads as loadApplicantState). */
  async loadStepContext(userId: string, db: Queryable = this.ctx.db): Promise<StepContext | null> {
    const user = await readApplicant(db, userId, ["DRAFT"]);
    const draft = user?.requests[0];
    return user && draft ? this.stepContextOf(db, user, draft) : null;
  }

  /** The draft with the reference data its answers refer to and what the account and profile say of the applicant. */
  private async stepContextOf(db: Queryable, user: ApplicantRow, draft: Draft): Promise<StepContext> {
    const { statuts, zonages } = await referenceData(db);
    return {
      draft,
      statuts,
      zonages,
      birthDate: user.profile?.birthDate ?? null,
      postalCode: user.profile?.postalCode ?? null,
      applicant: applicantOf(user, user.profile),
      today: this.ctx.clock.now(),
    };
  }

  /**
   * Accepting the terms of use starts the draft; a second one is never created
   * (unique index), nor one while a request is open (one at a time).
   */
  async startDraft(userId: string): Promise<void> {
    try {
      await this.ctx.db.$transaction(async (tx) => {
        await lockApplicant(tx, userId);
        if (await this.findOpenRequest(userId, tx)) return;
        if (await tx.request.findFirst({ where: { applicantId: userId, status: "DRAFT" }, select: { id: true } })) return;
        await tx.request.create({ data: { applicantId: userId, termsAcceptedAt: this.ctx.clock.now(), termsVersion: TERMS_VERSION } });
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
   * Returns the step context with the saved draft; null when the draft was
   * submitted meanwhile (another tab, a double click).
   */
  async saveStep(
    stepCtx: StepContext,
    input: { slug: string; data: Prisma.RequestUpdateInput; done: boolean; pending: Record<string, string> | null },
  ): Promise<StepContext | null> {
    return this.ctx.db.$transaction(async (tx) => {
      const rows = await tx.$queryRaw<unknown[]>`
        SELECT "completedSteps", "pendingInput" FROM "Request" WHERE id = ${stepCtx.draft.id}::uuid AND status = 'DRAFT' FOR UPDATE`;
      if (rows.length === 0) return null;
      const current = lockedDraftSchema.parse(rows[0]);
      const completed = new Set(current.completedSteps);
      if (input.done) completed.add(input.slug);
      else if (input.pending === null) completed.delete(input.slug);
      const pending = readPendingInput(current.pendingInput);
      if (input.pending) pending[input.slug] = input.pending;
      else delete pending[input.slug];
      // The saved draft comes back with the update: the step's next page needs no other read.
      const draft = await tx.request.update({
        where: { id: stepCtx.draft.id },
        data: { ...input.data, completedSteps: [...completed], pendingInput: pending },
        include: DRAFT_INCLUDE,
      });
      return { ...stepCtx, draft };
    });
  }

  /**
   * « Envoyer ». Idempotent: the draft's row is locked, so a double click or a
   * replayed POST finds it already submitted and gets the same number back.
   * The actor is who pressed it: the applicant, or their aidant (the history says so).
   */
  async submitDraft(userId: string, requestId: string, actorId = userId): Promise<SubmitResult> {
    const { ctx } = this;
    const dropped: string[] = [];
    const result = await ctx.db.$transaction(async (tx): Promise<SubmitResult> => {
      await lockApplicant(tx, userId);
      const [row] = await tx.$queryRaw<unknown[]>`
        SELECT status, number FROM "Request" WHERE id = ${requestId}::uuid AND "applicantId" = ${userId}::uuid FOR UPDATE`;
      if (!row) return { kind: "not-found" };
      const locked = lockedRequestSchema.parse(row);
      if (locked.status !== "DRAFT") return locked.number ? { kind: "submitted", number: locked.number } : { kind: "not-found" };
      if (await this.findOpenRequest(userId, tx)) return { kind: "open-request" };

      const stepCtx = await this.loadStepContext(userId, tx);
      if (!stepCtx) return { kind: "not-found" };
      const pending = firstStepBlockingSubmission(stepStates(stepCtx));
      if (pending) return { kind: "incomplete", slug: pending.step.slug };
      const applicable = new Set(sectionsFor(stepCtx).map((section) => section.code));
      dropped.push(...(await deleteDocumentsOutside(tx, stepCtx.draft.documents, applicable)));
      // A declaration « Je ne peux pas fournir ce document » for a section the answers no longer ask for goes too.
      await tx.missingDocument.deleteMany({ where: { requestId, section: { notIn: [...applicable] } } });

      const [sequence] = await tx.$queryRaw<unknown[]>`SELECT nextval('request_number_seq')`;
      const number = formatRequestNumber(sequenceSchema.parse(sequence).nextval);
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
      await changeStatus(tx, { requestId, to: "SUBMITTED", actor: "applicant", actorId, publicUrl: ctx.publicUrl, skipApplicantMail: true });
      await queueMail(tx, user.email, requestSubmittedMail(user.firstName, number, mailLinks(ctx.publicUrl).myRequest(number)));
      return { kind: "submitted", number };
    });
    await Promise.all(dropped.map((storedName) => ctx.storage.remove(storedName)));
    return result;
  }
}

/** The account's name and address, and what « Mes informations personnelles » says of the person. */
function applicantOf(user: { firstName: string; lastName: string; email: string }, profile: Profile | null): Applicant {
  return {
    firstName: user.firstName,
    lastName: user.lastName,
    email: user.email,
    birthDate: profile?.birthDate ?? null,
    street: profile?.street ?? null,
    addressLine2: profile?.addressLine2 ?? null,
    addressLine3: profile?.addressLine3 ?? null,
    postalCode: profile?.postalCode ?? null,
    city: profile?.city ?? null,
  };
}
