import { loginAttemptsMail, mailLinks } from "../../mail/messages.js";
import { queueMail } from "../../mail/outbox.js";
import { normalizeEmail, type AccountContext } from "./account-service.js";

/**
 * Tells the owner of an account that its logins are suspended after repeated
 * wrong passwords. The caller calls it once per blocking window, after the
 * answer has left; an address without an active account gets nothing (and
 * the answer did not differ).
 */
export async function warnOwnerOfLoginAttempts(ctx: AccountContext, emailInput: string, blockedSeconds: number): Promise<void> {
  const user = await ctx.db.user.findUnique({ where: { email: normalizeEmail(emailInput) } });
  if (!user?.passwordHash || user.disabledAt) return;
  const minutes = Math.ceil(blockedSeconds / 60);
  await queueMail(ctx.db, user.email, loginAttemptsMail(user.firstName, minutes, mailLinks(ctx.publicUrl).forgotten));
}
