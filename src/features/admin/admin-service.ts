/** What administrators manage: agent accounts and the participation amounts. Every change is audited. */
import type { Database } from "../../db/prisma.js";
import type { Role } from "../../generated/prisma/enums.js";
import type { Clock } from "../../lib/clock.js";
import { agentAccountMail, mailLinks } from "../../mail/messages.js";
import { queueMail } from "../../mail/outbox.js";
import { endOtherSessions, issueToken, normalizeEmail, revokePendingTokens } from "../account/account-service.js";
import { audit } from "../agent/audit.js";

export interface AdminContext {
  db: Database;
  clock: Clock;
  publicUrl: string;
}

export function listStaff(db: Database) {
  return db.user.findMany({
    where: { role: { in: ["AGENT", "ADMIN"] } },
    orderBy: [{ lastName: "asc" }, { firstName: "asc" }],
    select: { id: true, email: true, firstName: true, lastName: true, role: true, disabledAt: true, passwordHash: true },
  });
}

/**
 * Creates an agent (or administrator) account; the person chooses a password
 * from the mail, as applicants do. False when the address already has an account.
 */
export async function createStaffAccount(
  ctx: AdminContext,
  input: { firstName: string; lastName: string; email: string; role: Extract<Role, "AGENT" | "ADMIN">; adminId: string },
): Promise<boolean> {
  const email = normalizeEmail(input.email);
  return ctx.db.$transaction(async (tx) => {
    if (await tx.user.findUnique({ where: { email } })) return false;
    const user = await tx.user.create({ data: { email, firstName: input.firstName, lastName: input.lastName, role: input.role } });
    // The same link as an applicant's verification: it leads to choosing the password.
    const token = await issueToken(tx, ctx, user.id, "VERIFY_EMAIL");
    await queueMail(tx, email, agentAccountMail(user.firstName, mailLinks(ctx.publicUrl).verify(token)));
    await audit(tx, { actorId: input.adminId, action: "AGENT_CREATED", details: { userId: user.id, role: input.role } });
    return true;
  });
}

/** Disables (sessions ended at once) or re-enables a staff account; never one's own. */
export async function setStaffDisabled(ctx: AdminContext, input: { userId: string; adminId: string; disabled: boolean }): Promise<boolean> {
  if (input.userId === input.adminId) return false;
  return ctx.db.$transaction(async (tx) => {
    const { count } = await tx.user.updateMany({
      where: { id: input.userId, role: { in: ["AGENT", "ADMIN"] } },
      data: { disabledAt: input.disabled ? ctx.clock.now() : null },
    });
    if (count !== 1) return false;
    if (input.disabled) {
      await endOtherSessions(tx, input.userId);
      // A link mailed before (the activation of an agent who never chose a password, a reset) must not outlive the account.
      await revokePendingTokens(tx, ctx, input.userId, "CANCELLED");
    }
    await audit(tx, { actorId: input.adminId, action: input.disabled ? "AGENT_DISABLED" : "AGENT_ENABLED", details: { userId: input.userId } });
    return true;
  });
}

/** New yearly participations, in cents by zonage code. Requests already submitted keep theirs. */
export async function updateParticipations(ctx: AdminContext, input: { cents: Record<string, number>; adminId: string }): Promise<void> {
  await ctx.db.$transaction(async (tx) => {
    for (const zonage of await tx.zonage.findMany()) {
      const cents = input.cents[zonage.code];
      if (cents === undefined || cents === zonage.yearlyParticipationCents) continue;
      await tx.zonage.update({ where: { code: zonage.code }, data: { yearlyParticipationCents: cents } });
      await audit(tx, { actorId: input.adminId, action: "PARTICIPATION_CHANGED", details: { zonage: zonage.code, from: zonage.yearlyParticipationCents, to: cents } });
    }
  });
}

export interface StatutRuleInput {
  label: string;
  minimumAge: number | null;
  mustBeNonTaxable: boolean;
  situationDocument: string;
}

/** The eligibility rules of each situation, as the department publishes them. Only what changed is audited. */
export async function updateStatuts(ctx: AdminContext, input: { rules: Record<string, StatutRuleInput>; adminId: string }): Promise<void> {
  await ctx.db.$transaction(async (tx) => {
    for (const statut of await tx.statut.findMany()) {
      const rule = input.rules[statut.code];
      if (!rule) continue;
      const changed = (Object.keys(rule) as (keyof StatutRuleInput)[]).filter((field) => rule[field] !== statut[field]);
      if (changed.length === 0) continue;
      await tx.statut.update({ where: { code: statut.code }, data: rule });
      await audit(tx, {
        actorId: input.adminId,
        action: "STATUT_CHANGED",
        details: {
          statut: statut.code,
          from: Object.fromEntries(changed.map((field) => [field, statut[field]])),
          to: Object.fromEntries(changed.map((field) => [field, rule[field]])),
        },
      });
    }
  });
}
