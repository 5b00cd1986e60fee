/**
 * Invitations made at a counter: an agent enters the person's name and
 * address; the person receives a link (and may be handed the code on paper)
 * that opens the account creation with those fields filled. Codes are short
 * enough to type, expire, and work once. Only their hash is stored.
 */
import type { AppContext } from "../../context.js";
import { Prisma } from "../../generated/prisma/client.js";
import { hashToken } from "../../lib/tokens.js";
import { invitationMail, mailLinks } from "../../mail/messages.js";
import { queueMail } from "../../mail/outbox.js";
import { normalizeEmail, type SessionUser } from "../account/account-service.js";
import { hashPassword } from "../account/passwords.js";
import { audit } from "../audit/audit-log.js";
import { generateInvitationCode } from "./invitation-code.js";

export const INVITATION_LIFETIME_MS = 14 * 24 * 60 * 60 * 1000;
export type InvitationCheck =
  | { status: "valid"; invitation: { id: string; firstName: string; lastName: string; email: string }; accountExists: boolean }
  | { status: "used" | "expired" | "unknown" };

export class InvitationService {
  constructor(private readonly context: Pick<AppContext, "db" | "clock" | "publicUrl">) {}

  /**
   * An invitation is only for an address that has no account at all: one with
   * no password yet (an applicant waiting for the link, an agent created by an
   * administrator) is activated by the link mailed to it, never by a code an
   * agent can read. Null when the address already has an account.
   */
  async create(input: { firstName: string; lastName: string; email: string; agentId: string }): Promise<{ code: string } | null> {
    const { db, clock, publicUrl } = this.context;
    const code = generateInvitationCode();
    const email = normalizeEmail(input.email);
    return db.$transaction(async (tx) => {
      if (await tx.user.findUnique({ where: { email }, select: { id: true } })) return null;
      const invitation = await tx.invitation.create({
        data: {
          codeHash: hashToken(code),
          firstName: input.firstName,
          lastName: input.lastName,
          email,
          createdById: input.agentId,
          expiresAt: new Date(clock.now().getTime() + INVITATION_LIFETIME_MS),
        },
      });
      await queueMail(tx, email, invitationMail(input.firstName, code, mailLinks(publicUrl).invitation(code)));
      await audit(tx, { actorId: input.agentId, action: "INVITATION_CREATED", details: { invitationId: invitation.id } });
      return { code };
    });
  }

  async check(code: string | null): Promise<InvitationCheck> {
    const { db, clock } = this.context;
    if (!code) return { status: "unknown" };
    const invitation = await db.invitation.findUnique({ where: { codeHash: hashToken(code) } });
    if (!invitation) return { status: "unknown" };
    if (invitation.usedAt) return { status: "used" };
    if (invitation.expiresAt <= clock.now()) return { status: "expired" };
    const existing = await db.user.findUnique({ where: { email: invitation.email }, select: { id: true } });
    return { status: "valid", invitation, accountExists: existing !== null };
  }

  /**
   * Creates the account from the invitation, active at once: the mail proved
   * the address. Null when the code no longer works or the address already
   * has an account (whatever its state: an existing account is never touched).
   */
  async accept(input: { code: string; firstName: string; lastName: string; password: string }): Promise<SessionUser | null> {
    const { db, clock } = this.context;
    const passwordHash = await hashPassword(input.password);
    try {
      return await db.$transaction(async (tx) => {
        const invitation = await tx.invitation.findUnique({ where: { codeHash: hashToken(input.code) } });
        if (!invitation) return null;
        if (await tx.user.findUnique({ where: { email: invitation.email }, select: { id: true } })) return null;
        const claimed = await tx.invitation.updateMany({
          where: { id: invitation.id, usedAt: null, expiresAt: { gt: clock.now() } },
          data: { usedAt: clock.now() },
        });
        if (claimed.count !== 1) return null;
        const now = clock.now();
        // Created, never updated: an account made meanwhile by another request fails on the unique address.
        const user = await tx.user.create({
          data: { email: invitation.email, firstName: input.firstName, lastName: input.lastName, passwordHash, emailVerifiedAt: now, passwordChangedAt: now },
        });
        return { id: user.id, email: user.email, firstName: user.firstName, lastName: user.lastName, role: user.role };
      });
    } catch (error) {
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") return null;
      throw error;
    }
  }
}
