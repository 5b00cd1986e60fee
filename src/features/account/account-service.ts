/**
 * Accounts: registration by e-mail link, login, password reset and change.
 * The only layer of the account feature that touches the database.
 */
import type { Database } from "../../db/prisma.js";
import type { Role, TokenPurpose, TokenRevocation } from "../../generated/prisma/enums.js";
import type { Clock } from "../../lib/clock.js";
import { generateToken, hashToken, looksLikeToken } from "../../lib/tokens.js";
import { queueMail } from "../../mail/outbox.js";
import type { MailContent } from "../../mail/compose.js";
import { agentAccountMail, alreadyRegisteredMail, mailLinks, passwordChangedMail, passwordResetMail, verificationMail } from "../../mail/messages.js";
import { hashPassword, verifyPassword } from "./passwords.js";

export const TOKEN_LIFETIME_MS: Record<TokenPurpose, number> = {
  VERIFY_EMAIL: 48 * 60 * 60 * 1000,
  RESET_PASSWORD: 60 * 60 * 1000,
  CHANGE_EMAIL: 48 * 60 * 60 * 1000,
};

export interface AccountContext {
  db: Database;
  clock: Clock;
  /** Absolute base of the links in mails, e.g. https://amethyste.seinesaintdenis.fr */
  publicUrl: string;
}

export type Tx = Parameters<Parameters<Database["$transaction"]>[0]>[0];

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

const links = mailLinks;

/**
 * Ends the account's links that were not used yet, all kinds or one, and
 * records why: their page then says « remplacé » or « annulé » rather than
 * « déjà servi ».
 */
export async function revokePendingTokens(
  tx: Tx,
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
  tx: Tx,
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
 * « Je crée mon compte ». The caller answers the same whatever happens here:
 * a new address gets the verification link, an address with an account gets
 * a mail saying so, an address never verified gets a fresh link. An existing
 * account is never changed: whoever posts the form does not own the address,
 * so the names typed are dropped and the link goes to the address only.
 */
export async function register(ctx: AccountContext, input: { firstName: string; lastName: string; email: string }): Promise<void> {
  await ctx.db.$transaction((tx) => registerIn(tx, ctx, input));
}

/** « Je crée mon compte », inside the caller's transaction. */
export async function registerIn(tx: Tx, ctx: AccountContext, input: { firstName: string; lastName: string; email: string }): Promise<void> {
  const email = normalizeEmail(input.email);
  const url = links(ctx.publicUrl);
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
async function consumeToken(tx: Tx, ctx: AccountContext, tokenId: string): Promise<boolean> {
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
 * « S'inscrire »: sets the first password; the account is active from then
 * on. Null when the link no longer works or the account was disabled.
 */
export async function completeRegistration(ctx: AccountContext, token: string, password: string): Promise<SessionUser | null> {
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
export async function resendVerification(ctx: AccountContext, expiredTokenId: string): Promise<void> {
  await ctx.db.$transaction(async (tx) => {
    const row = await tx.accountToken.findUnique({ where: { id: expiredTokenId }, include: { user: true } });
    if (!row || row.purpose !== "VERIFY_EMAIL" || row.user.passwordHash || row.user.disabledAt) return;
    const token = await issueToken(tx, ctx, row.userId, "VERIFY_EMAIL");
    await queueMail(tx, row.user.email, activationMail(row.user, links(ctx.publicUrl).verify(token)));
  });
}

export async function authenticate(db: Database, email: string, password: string): Promise<SessionUser | null> {
  const user = await db.user.findUnique({ where: { email: normalizeEmail(email) } });
  const usable = user && user.passwordHash && !user.disabledAt ? user : null;
  const valid = await verifyPassword(usable?.passwordHash ?? null, password);
  if (!usable || !valid) return null;
  return { id: usable.id, email: usable.email, firstName: usable.firstName, lastName: usable.lastName, role: usable.role };
}

/** « Mot de passe oublié ? ». Says nothing to the caller about the address. */
export async function requestPasswordReset(ctx: AccountContext, emailInput: string): Promise<void> {
  await ctx.db.$transaction((tx) => requestPasswordResetIn(tx, ctx, emailInput));
}

/** « Mot de passe oublié ? », inside the caller's transaction. */
export async function requestPasswordResetIn(tx: Tx, ctx: AccountContext, emailInput: string): Promise<void> {
  const email = normalizeEmail(emailInput);
  const url = links(ctx.publicUrl);
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

/** Ends every session of the account but the one given (if any): after a password change, or when an account is disabled. */
export async function endOtherSessions(tx: Tx, userId: string, keepSessionId?: string): Promise<void> {
  await tx.$executeRaw`
    DELETE FROM "session"
    WHERE sess -> 'passport' ->> 'user' = ${userId} AND sid <> ${keepSessionId ?? ""}`;
}

/**
 * Whoever chose the password by a link or by « Changer le mot de passe » now
 * holds the account: any other session and any link still pending (an e-mail
 * change asked from a session left open, an older reset link) ends with it.
 */
async function afterPasswordSet(tx: Tx, ctx: Pick<AccountContext, "clock">, userId: string, keepSessionId?: string): Promise<void> {
  await revokePendingTokens(tx, ctx, userId, "CANCELLED");
  await endOtherSessions(tx, userId, keepSessionId);
}

async function setPassword(tx: Tx, ctx: AccountContext, userId: string, passwordHash: string, keepSessionId?: string) {
  const user = await tx.user.update({
    where: { id: userId },
    data: { passwordHash, passwordChangedAt: ctx.clock.now() },
  });
  await afterPasswordSet(tx, ctx, userId, keepSessionId);
  await queueMail(tx, user.email, passwordChangedMail(user.firstName, links(ctx.publicUrl).forgotten));
}

/** « Réinitialiser ». False when the link no longer works. Every session of the account ends. */
export async function resetPassword(ctx: AccountContext, token: string, password: string): Promise<boolean> {
  const check = await checkToken(ctx, token, "RESET_PASSWORD");
  if (check.status !== "valid") return false;
  const passwordHash = await hashPassword(password);
  return ctx.db.$transaction(async (tx) => {
    if (!(await consumeToken(tx, ctx, check.tokenId))) return false;
    await setPassword(tx, ctx, check.userId, passwordHash);
    return true;
  });
}

/** « Changer le mot de passe ». False when the current password is wrong. Other sessions end; this one stays. */
export async function changePassword(
  ctx: AccountContext,
  input: { userId: string; currentPassword: string; newPassword: string; sessionId: string },
): Promise<boolean> {
  const user = await ctx.db.user.findUnique({ where: { id: input.userId } });
  if (!user || !(await verifyPassword(user.passwordHash, input.currentPassword))) return false;
  const passwordHash = await hashPassword(input.newPassword);
  await ctx.db.$transaction((tx) => setPassword(tx, ctx, user.id, passwordHash, input.sessionId));
  return true;
}
