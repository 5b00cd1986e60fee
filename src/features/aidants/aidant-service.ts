/**
 * « Mon aidant » and « Personnes que j'aide »: an applicant invites an aidant
 * by mail, the aidant accepts with their own account (or creates one from
 * the link), and either of them ends the access. Tokens are stored hashed
 * and work once. Every grant, end and action for someone goes to the audit
 * log with the aidant as actor and the person helped in its details.
 */
import type { AppContext } from "../../context.js";
import type { Transaction } from "../../db/prisma.js";
import { Prisma } from "../../generated/prisma/client.js";
import { generateToken, hashToken, looksLikeToken } from "../../lib/tokens.js";
import { aidantAcceptedMail, aidantInvitationMail, mailLinks } from "../../mail/messages.js";
import { queueMail } from "../../mail/outbox.js";
import type { ActingFor, AidantAction } from "../../middleware/acting-for.js";
import { normalizeEmail, type SessionUser } from "../account/account-service.js";
import { hashPassword } from "../account/passwords.js";
import { audit } from "../audit/audit-log.js";

export const AIDANT_INVITATION_DAYS = 14;
/** Invitations an applicant may send in 24 hours: enough for mistakes, too few to mail strangers in bulk. */
export const AIDANT_INVITATIONS_PER_DAY = 10;
const DAY_MS = 24 * 60 * 60 * 1000;

export type InvitationCheck =
  | { status: "valid"; invitation: { id: string; email: string; applicantId: string }; applicant: ActingFor; accountExists: boolean }
  | { status: "used" | "expired" | "cancelled" | "unknown" };

export type AcceptOutcome =
  { kind: "accepted"; applicant: ActingFor } | { kind: "self" | "not-applicant" } | { kind: "invalid"; status: Exclude<InvitationCheck["status"], "valid"> };

const fullName = (person: { firstName: string; lastName: string }) => `${person.firstName} ${person.lastName}`;

export class AidantService {
  constructor(private readonly ctx: Pick<AppContext, "db" | "clock" | "publicUrl">) {}

  /** The person acted for, while the access is open and their account active (checked on every request). */
  async findActingFor(aidantId: string, applicantId: string): Promise<ActingFor | null> {
    const access = await this.ctx.db.aidantAccess.findFirst({
      where: { aidantId, applicantId, endedAt: null, applicant: { disabledAt: null } },
      select: { applicant: { select: { id: true, firstName: true, lastName: true } } },
    });
    return access?.applicant ?? null;
  }

  /** What an aidant did for someone: the route and the request number, with the person helped (shown by name in the journal). */
  async recordAction(action: AidantAction): Promise<void> {
    await audit(this.ctx.db, {
      actorId: action.aidantId,
      action: "AIDANT_ACTION",
      details: { userId: action.applicantId, method: action.method, page: action.page, ...(action.number ? { number: action.number } : {}) },
    });
  }

  /** « Mon aidant »: who has access, the invitations still pending, and the aidants named in the person's requests (offered in one click). */
  async overview(applicantId: string) {
    const { db, clock } = this.ctx;
    const [accesses, invitations, named] = await Promise.all([
      db.aidantAccess.findMany({
        where: { applicantId, endedAt: null },
        orderBy: { createdAt: "asc" },
        select: { id: true, createdAt: true, aidant: { select: { firstName: true, lastName: true, email: true } } },
      }),
      db.aidantInvitation.findMany({
        where: { applicantId, usedAt: null, revokedAt: null, expiresAt: { gt: clock.now() } },
        orderBy: { createdAt: "asc" },
        select: { id: true, email: true, expiresAt: true },
      }),
      db.request.findMany({
        where: { applicantId, aidantEmail: { not: null } },
        orderBy: { updatedAt: "desc" },
        select: { aidantName: true, aidantEmail: true },
      }),
    ]);
    const taken = new Set([...accesses.map((access) => access.aidant.email), ...invitations.map((invitation) => invitation.email)]);
    const suggestions = new Map<string, string>();
    for (const request of named) {
      if (request.aidantEmail && !taken.has(request.aidantEmail) && !suggestions.has(request.aidantEmail))
        suggestions.set(request.aidantEmail, request.aidantName ?? "");
    }
    return { accesses, invitations, suggestions: [...suggestions].map(([email, name]) => ({ email, name })) };
  }

  /**
   * Sends the invitation. A newer invitation to the same address replaces
   * the pending one. Refused for the applicant's own address, and beyond
   * AIDANT_INVITATIONS_PER_DAY (counted under the applicant's row lock).
   */
  async invite(applicantId: string, emailInput: string): Promise<"sent" | "own-address" | "too-many"> {
    const { db, clock, publicUrl } = this.ctx;
    const email = normalizeEmail(emailInput);
    const token = generateToken();
    return db.$transaction(async (tx) => {
      await tx.$queryRaw`SELECT id FROM "User" WHERE id = ${applicantId}::uuid FOR NO KEY UPDATE`;
      const applicant = await tx.user.findUniqueOrThrow({ where: { id: applicantId }, select: { email: true, firstName: true, lastName: true } });
      if (applicant.email === email) return "own-address";
      const now = clock.now();
      const recent = await tx.aidantInvitation.count({ where: { applicantId, createdAt: { gt: new Date(now.getTime() - DAY_MS) } } });
      if (recent >= AIDANT_INVITATIONS_PER_DAY) return "too-many";
      await tx.aidantInvitation.updateMany({ where: { applicantId, email, usedAt: null, revokedAt: null }, data: { revokedAt: now } });
      await tx.aidantInvitation.create({
        data: { applicantId, email, tokenHash: hashToken(token), createdAt: now, expiresAt: new Date(now.getTime() + AIDANT_INVITATION_DAYS * DAY_MS) },
      });
      await queueMail(tx, email, aidantInvitationMail(fullName(applicant), mailLinks(publicUrl).aidantInvitation(token), AIDANT_INVITATION_DAYS));
      return "sent";
    });
  }

  /** The applicant cancels an invitation not used yet; false when there is none of theirs to cancel. */
  async cancelInvitation(applicantId: string, invitationId: string): Promise<boolean> {
    const cancelled = await this.ctx.db.aidantInvitation.updateMany({
      where: { id: invitationId, applicantId, usedAt: null, revokedAt: null },
      data: { revokedAt: this.ctx.clock.now() },
    });
    return cancelled.count === 1;
  }

  async checkInvitation(token: unknown): Promise<InvitationCheck> {
    const { db, clock } = this.ctx;
    if (!looksLikeToken(token)) return { status: "unknown" };
    const invitation = await db.aidantInvitation.findUnique({
      where: { tokenHash: hashToken(token) },
      include: { applicant: { select: { id: true, firstName: true, lastName: true, disabledAt: true } } },
    });
    if (!invitation) return { status: "unknown" };
    if (invitation.usedAt) return { status: "used" };
    if (invitation.revokedAt || invitation.applicant.disabledAt) return { status: "cancelled" };
    if (invitation.expiresAt <= clock.now()) return { status: "expired" };
    const existing = await db.user.findUnique({ where: { email: invitation.email }, select: { id: true } });
    const { id, firstName, lastName } = invitation.applicant;
    return { status: "valid", invitation, applicant: { id, firstName, lastName }, accountExists: existing !== null };
  }

  /** The logged-in person accepts: the invitation is claimed once, the access opened, the applicant told. */
  async accept(token: string, aidant: SessionUser): Promise<AcceptOutcome> {
    if (aidant.role !== "APPLICANT") return { kind: "not-applicant" };
    const check = await this.checkInvitation(token);
    if (check.status !== "valid") return { kind: "invalid", status: check.status };
    if (check.applicant.id === aidant.id) return { kind: "self" };
    const granted = await this.ctx.db.$transaction(async (tx) => this.claimAndGrant(tx, token, aidant));
    if (granted) return { kind: "accepted", applicant: granted };
    const now = await this.checkInvitation(token);
    return { kind: "invalid", status: now.status === "valid" ? "used" : now.status };
  }

  /**
   * A person without an account creates one from the link, with the address
   * the link was sent to (the mail proved it), and accepts at once. Null when
   * the link no longer works or the address has an account meanwhile.
   */
  async createAccountAndAccept(
    token: string,
    input: { firstName: string; lastName: string; password: string },
  ): Promise<{ user: SessionUser; applicant: ActingFor } | null> {
    const { db, clock } = this.ctx;
    const passwordHash = await hashPassword(input.password);
    try {
      return await db.$transaction(async (tx) => {
        const invitation = await tx.aidantInvitation.findUnique({ where: { tokenHash: hashToken(token) }, select: { email: true } });
        if (!invitation || (await tx.user.findUnique({ where: { email: invitation.email }, select: { id: true } }))) return null;
        const now = clock.now();
        const created = await tx.user.create({
          data: { email: invitation.email, firstName: input.firstName, lastName: input.lastName, passwordHash, emailVerifiedAt: now, passwordChangedAt: now },
        });
        const user: SessionUser = { id: created.id, email: created.email, firstName: created.firstName, lastName: created.lastName, role: created.role };
        const applicant = await this.claimAndGrant(tx, token, user);
        if (!applicant) throw new InvitationGone();
        return { user, applicant };
      });
    } catch (error) {
      if (error instanceof InvitationGone) return null;
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") return null;
      throw error;
    }
  }

  private async claimAndGrant(tx: Transaction, token: string, aidant: SessionUser): Promise<ActingFor | null> {
    const now = this.ctx.clock.now();
    const invitation = await tx.aidantInvitation.findUnique({
      where: { tokenHash: hashToken(token) },
      include: { applicant: { select: { id: true, email: true, firstName: true, lastName: true, disabledAt: true } } },
    });
    if (!invitation || invitation.applicant.disabledAt || invitation.applicantId === aidant.id) return null;
    const claimed = await tx.aidantInvitation.updateMany({
      where: { id: invitation.id, usedAt: null, revokedAt: null, expiresAt: { gt: now } },
      data: { usedAt: now },
    });
    if (claimed.count !== 1) return null;
    const { applicant } = invitation;
    const open = await tx.aidantAccess.findFirst({ where: { applicantId: applicant.id, aidantId: aidant.id, endedAt: null }, select: { id: true } });
    if (!open) {
      await tx.aidantAccess.create({ data: { applicantId: applicant.id, aidantId: aidant.id, createdAt: now } });
      await audit(tx, { actorId: aidant.id, action: "AIDANT_ACCESS_GRANTED", details: { userId: applicant.id } });
      await queueMail(tx, applicant.email, aidantAcceptedMail(applicant.firstName, fullName(aidant), mailLinks(this.ctx.publicUrl).myAidant));
    }
    return { id: applicant.id, firstName: applicant.firstName, lastName: applicant.lastName };
  }

  /** The applicant ends an aidant's access; false when it is not theirs or already ended. */
  async endByApplicant(applicantId: string, accessId: string): Promise<boolean> {
    return (await this.end({ id: accessId, applicantId }, applicantId)) !== null;
  }

  /** The aidant leaves; the id of the person left, or null when it is not theirs or already ended. */
  leave(aidantId: string, accessId: string): Promise<string | null> {
    return this.end({ id: accessId, aidantId }, aidantId);
  }

  /** Ends an open access; returns the applicant's id, or null when there was none to end. */
  private async end(where: { id: string; applicantId?: string; aidantId?: string }, actorId: string): Promise<string | null> {
    return this.ctx.db.$transaction(async (tx) => {
      const access = await tx.aidantAccess.findFirst({ where: { ...where, endedAt: null }, select: { id: true, applicantId: true, aidantId: true } });
      if (!access) return null;
      const ended = await tx.aidantAccess.updateMany({ where: { id: access.id, endedAt: null }, data: { endedAt: this.ctx.clock.now() } });
      if (ended.count !== 1) return null;
      await audit(tx, { actorId, action: "AIDANT_ACCESS_ENDED", details: { userId: actorId === access.applicantId ? access.aidantId : access.applicantId } });
      return access.applicantId;
    });
  }

  /** The access of an applicant to one of their aidants, for the confirmation page. */
  findAccessOf(applicantId: string, accessId: string) {
    return this.ctx.db.aidantAccess.findFirst({
      where: { id: accessId, applicantId, endedAt: null },
      select: { id: true, createdAt: true, aidant: { select: { firstName: true, lastName: true, email: true } } },
    });
  }

  /** « Personnes que j'aide »: the open accesses of an aidant, by name. */
  peopleHelped(aidantId: string) {
    return this.ctx.db.aidantAccess.findMany({
      where: { aidantId, endedAt: null, applicant: { disabledAt: null } },
      orderBy: { createdAt: "asc" },
      select: { id: true, createdAt: true, applicant: { select: { id: true, firstName: true, lastName: true } } },
    });
  }
}

/** Rolls the account creation back when the invitation was claimed meanwhile. */
class InvitationGone extends Error {}
