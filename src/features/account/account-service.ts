/**
 * Accounts: registration by e-mail link, login, password reset and change,
 * and the version number that ends an account's sessions. The only layer of
 * the account feature that touches the database: routes call AccountService.
 */
import type { AppContext } from "../../context.js";
import type { Transaction } from "../../db/prisma.js";
import type { Role, TokenPurpose, TokenRevocation } from "../../generated/prisma/enums.js";
import { generateToken, hashToken, looksLikeToken } from "../../lib/tokens.js";
import { queueMail } from "../../mail/outbox.js";
import type { MailContent } from "../../mail/compose.js";
import {
  agentAccountMail,
  alreadyRegisteredMail,
  loginAttemptsMail,
  passwordChangedMail,
  passwordResetMail,
  mailLinks,
  verificationMail,
} from "../../mail/messages.js";
import { hashPassword, verifyPassword } from "./passwords.js";

export const TOKEN_LIFETIME_MS: Record<TokenPurpose, number> = {
  VERIFY_EMAIL: 48 * 60 * 60 * 1000,
  RESET_PASSWORD: 60 * 60 * 1000,
  CHANGE_EMAIL: 48 * 60 * 60 * 1000,
};

/** What the account feature needs of the one context. */
export type AccountContext = Pick<AppContext, "db" | "clock" | "publicUrl">;

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/**
 * Ends the account's links that were not used yet, all kinds or one, and
 * records why: their page then says « remplacé » or « annulé » rather than
 * « déjà servi ».
 */
export async function revokePendingTokens(
  tx: Transaction,
  ctx: Pick<AccountContext, "clock">,
  userId: string,
  because: TokenRevocation,
  purpose?: TokenPurpose,
): Promise<void> {
  await tx.accountToken.updateMany({
    where: { userId, usedAt: null, revokedAt: null, ...(purpose ? { purpose } : {}) },
    data: { revokedAt: ctx.clock.now(), revokedBecause: because },
  });
}

/** The mail that carries the link choosing the first password: staff accounts were created by an administrator. */
function activationMail(user: { firstName: string; role: Role }, link: string): MailContent {
  return user.role === "APPLICANT" ? verificationMail(user.firstName, link) : agentAccountMail(user.firstName, link);
}

/**
 * A new single-use link token of this kind for the account (the older ones
 * stop working). Only its hash is stored; the token itself goes in the mail.
 */
export async function issueToken(
  tx: Transaction,
  ctx: Pick<AccountContext, "clock">,
  userId: string,
  purpose: TokenPurpose,
  newEmail?: string,
): Promise<string> {
  const token = generateToken();
  // A new link replaces the older ones of the same kind.
  await revokePendingTokens(tx, ctx, userId, "REPLACED", purpose);
  await tx.accountToken.create({
    data: {
      userId,
      purpose,
      newEmail: newEmail ?? null,
      tokenHash: hashToken(token),
      expiresAt: new Date(ctx.clock.now().getTime() + TOKEN_LIFETIME_MS[purpose]),
    },
  });
  return token;
}

/**
 * Ends every session of the account: each session holds the version its
 * login saw (src/middleware/auth.ts), and a session whose version is not the
 * account's any more is logged out at its next request. Returns the new
 * version, for the one session that must stay (« Changer le mot de passe »).
 */
export async function endOtherSessions(tx: Transaction, userId: string): Promise<number> {
  const { sessionVersion } = await tx.user.update({
    where: { id: userId },
    data: { sessionVersion: { increment: 1 } },
    select: { sessionVersion: true },
  });
  return sessionVersion;
}

/**
 * « Je crée mon compte », inside the caller's transaction. The caller answers
 * the same whatever happens here: a new address gets the verification link,
 * an address with an account gets a mail saying so, an address never
 * verified gets a fresh link. An existing account is never changed: whoever
 * posts the form does not own the address, so the names typed are dropped
 * and the link goes to the address only.
 */
export async function registerIn(tx: Transaction, ctx: AccountContext, input: { firstName: string; lastName: string; email: string }): Promise<void> {
  const email = normalizeEmail(input.email);
  const url = mailLinks(ctx.publicUrl);
  const existing = await tx.user.findUnique({ where: { email } });
  if (existing?.passwordHash) {
    await queueMail(tx, email, alreadyRegisteredMail(existing.firstName, url.login, url.forgotten));
    return;
  }
  // A disabled account (an agent removed before choosing a password) gets no link.
  if (existing?.disabledAt) return;
  const user = existing ?? (await tx.user.create({ data: { email, firstName: input.firstName, lastName: input.lastName } }));
  const token = await issueToken(tx, ctx, user.id, "VERIFY_EMAIL");
  await queueMail(tx, email, activationMail(user, url.verify(token)));
}

/** « Mot de passe oublié ? », inside the caller's transaction. Says nothing to the caller about the address. */
export async function requestPasswordResetIn(tx: Transaction, ctx: AccountContext, emailInput: string): Promise<void> {
  const email = normalizeEmail(emailInput);
  const url = mailLinks(ctx.publicUrl);
  const user = await tx.user.findUnique({ where: { email } });
  if (!user || user.disabledAt) return;
  if (!user.passwordHash) {
    // Registered but never chose a password: the verification link is what they need.
    const token = await issueToken(tx, ctx, user.id, "VERIFY_EMAIL");
    await queueMail(tx, email, activationMail(user, url.verify(token)));
    return;
  }
  const token = await issueToken(tx, ctx, user.id, "RESET_PASSWORD");
  await queueMail(tx, email, passwordResetMail(user.firstName, url.reset(token)));
}

/** « replaced »: a newer link of the same kind was sent; « cancelled »: the account changed since (see TokenRevocation). */
export type TokenCheck =
  | { status: "valid"; tokenId: string; userId: string }
  | { status: "used" | "replaced" | "cancelled" | "expired"; tokenId: string; userId: string }
  | { status: "unknown" };
export type TokenProblem = Exclude<TokenCheck["status"], "valid">;

export async function checkToken(ctx: AccountContext, token: unknown, purpose: TokenPurpose): Promise<TokenCheck> {
  if (!looksLikeToken(token)) return { status: "unknown" };
  const row = await ctx.db.accountToken.findUnique({ where: { tokenHash: hashToken(token) } });
  if (!row || row.purpose !== purpose) return { status: "unknown" };
  const ids = { tokenId: row.id, userId: row.userId };
  if (row.usedAt) return { status: "used", ...ids };
  if (row.revokedAt) return { status: row.revokedBecause === "REPLACED" ? "replaced" : "cancelled", ...ids };
  if (row.expiresAt <= ctx.clock.now()) return { status: "expired", ...ids };
  return { status: "valid", ...ids };
}

/** Marks the token used; false when another request used it first. */
async function consumeToken(tx: Transaction, ctx: AccountContext, tokenId: string): Promise<boolean> {
  const { count } = await tx.accountToken.updateMany({
    where: { id: tokenId, usedAt: null, revokedAt: null, expiresAt: { gt: ctx.clock.now() } },
    data: { usedAt: ctx.clock.now() },
  });
  return count === 1;
}

export interface SessionUser {
  id: string;
  email: string;
  firstName: string;
  lastName: string;
  role: "APPLICANT" | "AGENT" | "ADMIN";
}
const sessionUserFields = { id: true, email: true, firstName: true, lastName: true, role: true } as const;

/**
 * Whoever chose the password by a link or by « Changer le mot de passe » now
 * holds the account: any other session and any link still pending (an e-mail
 * change asked from a session left open, an older reset link) ends with it.
 * Returns the account's new session version.
 */
async function afterPasswordSet(tx: Transaction, ctx: Pick<AccountContext, "clock">, userId: string): Promise<number> {
  await revokePendingTokens(tx, ctx, userId, "CANCELLED");
  return endOtherSessions(tx, userId);
}

async function setPassword(tx: Transaction, ctx: AccountContext, userId: string, passwordHash: string): Promise<number> {
  const user = await tx.user.update({
    where: { id: userId },
    data: { passwordHash, passwordChangedAt: ctx.clock.now() },
  });
  const sessionVersion = await afterPasswordSet(tx, ctx, userId);
  await queueMail(tx, user.email, passwordChangedMail(user.firstName, mailLinks(ctx.publicUrl).forgotten));
  return sessionVersion;
}

/** The account feature's work, for the routes and for passport (src/middleware/auth.ts). */
export class AccountService {
  constructor(private readonly ctx: AccountContext) {}

  checkToken(token: unknown, purpose: TokenPurpose): Promise<TokenCheck> {
    return checkToken(this.ctx, token, purpose);
  }

  /**
   * « S'inscrire »: sets the first password; the account is active from then
   * on. Null when the link no longer works or the account was disabled.
   */
  async completeRegistration(token: string, password: string): Promise<SessionUser | null> {
    const { ctx } = this;
    const check = await checkToken(ctx, token, "VERIFY_EMAIL");
    if (check.status !== "valid") return null;
    const passwordHash = await hashPassword(password);
    return ctx.db.$transaction(async (tx) => {
      if (!(await consumeToken(tx, ctx, check.tokenId))) return null;
      const { count } = await tx.user.updateMany({
        // Only the first password: a password is changed by a reset link, never by an activation link.
        where: { id: check.userId, disabledAt: null, passwordHash: null },
        data: { passwordHash, emailVerifiedAt: ctx.clock.now(), passwordChangedAt: ctx.clock.now() },
      });
      if (count !== 1) return null;
      await afterPasswordSet(tx, ctx, check.userId);
      return tx.user.findUniqueOrThrow({ where: { id: check.userId }, select: sessionUserFields });
    });
  }

  /** A fresh verification link for someone whose link expired, if the account is still waiting for its password. */
  async resendVerification(expiredTokenId: string): Promise<void> {
    const { ctx } = this;
    await ctx.db.$transaction(async (tx) => {
      const row = await tx.accountToken.findUnique({ where: { id: expiredTokenId }, include: { user: true } });
      if (!row || row.purpose !== "VERIFY_EMAIL" || row.user.passwordHash || row.user.disabledAt) return;
      const token = await issueToken(tx, ctx, row.userId, "VERIFY_EMAIL");
      await queueMail(tx, row.user.email, activationMail(row.user, mailLinks(ctx.publicUrl).verify(token)));
    });
  }

  /**
   * The password check of the login (passport's local strategy). An unknown
   * address is checked against a stand-in hash, so that it takes the same time.
   */
  async authenticate(email: string, password: string): Promise<SessionUser | null> {
    const user = await this.ctx.db.user.findUnique({ where: { email: normalizeEmail(email) } });
    const usable = user && user.passwordHash && !user.disabledAt ? user : null;
    const valid = await verifyPassword(usable?.passwordHash ?? null, password);
    if (!usable || !valid) return null;
    // « Activity » for the inactive-account retention rule (src/features/retention/).
    await this.ctx.db.user.update({ where: { id: usable.id }, data: { lastLoginAt: this.ctx.clock.now() } });
    return { id: usable.id, email: usable.email, firstName: usable.firstName, lastName: usable.lastName, role: usable.role };
  }

  /** The account's session version now: stored in a session at login. */
  async sessionVersion(userId: string): Promise<number> {
    const user = await this.ctx.db.user.findUnique({ where: { id: userId }, select: { sessionVersion: true } });
    return user?.sessionVersion ?? 0;
  }

  /**
   * The person of a session, read again on every request: null (logged out)
   * when the account was disabled, or ended its sessions since this one began.
   */
  async sessionUser(userId: string, sessionVersion: number): Promise<SessionUser | null> {
    return this.ctx.db.user.findFirst({
      where: { id: userId, sessionVersion, disabledAt: null, passwordHash: { not: null } },
      select: sessionUserFields,
    });
  }

  /** « Réinitialiser ». False when the link no longer works. Every session of the account ends. */
  async resetPassword(token: string, password: string): Promise<boolean> {
    const { ctx } = this;
    const check = await checkToken(ctx, token, "RESET_PASSWORD");
    if (check.status !== "valid") return false;
    const passwordHash = await hashPassword(password);
    return ctx.db.$transaction(async (tx) => {
      if (!(await consumeToken(tx, ctx, check.tokenId))) return false;
      await setPassword(tx, ctx, check.userId, passwordHash);
      return true;
    });
  }

  /**
   * « Changer le mot de passe ». Null when the current password is wrong;
   * else every session of the account ends, and the new session version is
   * returned for the caller's own session to keep.
   */
  async changePassword(input: { userId: string; currentPassword: string; newPassword: string }): Promise<{ sessionVersion: number } | null> {
    const { ctx } = this;
    const user = await ctx.db.user.findUnique({ where: { id: input.userId } });
    if (!user || !(await verifyPassword(user.passwordHash, input.currentPassword))) return null;
    const passwordHash = await hashPassword(input.newPassword);
    const sessionVersion = await ctx.db.$transaction((tx) => setPassword(tx, ctx, user.id, passwordHash));
    return { sessionVersion };
  }

  /**
   * Tells the owner of an account that its logins are suspended after
   * repeated wrong passwords. The caller calls it once per blocking window,
   * after the answer has left; an address without an active account gets
   * nothing (and the answer did not differ).
   */
  async warnOwnerOfLoginAttempts(emailInput: string, blockedSeconds: number): Promise<void> {
    const { ctx } = this;
    const user = await ctx.db.user.findUnique({ where: { email: normalizeEmail(emailInput) } });
    if (!user?.passwordHash || user.disabledAt) return;
    const minutes = Math.ceil(blockedSeconds / 60);
    await queueMail(ctx.db, user.email, loginAttemptsMail(user.firstName, minutes, mailLinks(ctx.publicUrl).forgotten));
  }
}
