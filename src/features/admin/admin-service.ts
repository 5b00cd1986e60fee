/**
 * What administrators manage: agent accounts, the participation amounts and
 * the situations' eligibility rules. Every change is audited.
 */
import type { AppContext } from "../../context.js";
import type { Role } from "../../generated/prisma/enums.js";
import { agentAccountMail, mailLinks } from "../../mail/messages.js";
import { queueMail } from "../../mail/outbox.js";
import { endOtherSessions, issueToken, normalizeEmail, revokePendingTokens } from "../account/account-service.js";
import { audit } from "../audit/audit-log.js";

export interface StatutRuleInput {
  label: string;
  minimumAge: number | null;
  mustBeNonTaxable: boolean;
  situationDocument: string;
}

export class AdminService {
  constructor(
    private readonly context: Pick<AppContext, "db" | "clock" | "publicUrl">,
    /** Told after the participations or the situations change (pages that keep them for a while read them again). */
    private readonly referenceDataChanged: () => void = () => {},
  ) {}

  listStaff() {
    return this.context.db.user.findMany({
      where: { role: { in: ["AGENT", "ADMIN"] } },
      orderBy: [{ lastName: "asc" }, { firstName: "asc" }],
      select: { id: true, email: true, firstName: true, lastName: true, role: true, disabledAt: true, passwordHash: true },
    });
  }

  /**
   * Creates an agent (or administrator) account; the person chooses a password
   * from the mail, as applicants do. False when the address already has an account.
   */
  async createStaffAccount(input: {
    firstName: string;
    lastName: string;
    email: string;
    role: Extract<Role, "AGENT" | "ADMIN">;
    adminId: string;
  }): Promise<boolean> {
    const { db, publicUrl } = this.context;
    const email = normalizeEmail(input.email);
    return db.$transaction(async (tx) => {
      if (await tx.user.findUnique({ where: { email } })) return false;
      const user = await tx.user.create({ data: { email, firstName: input.firstName, lastName: input.lastName, role: input.role } });
      // The same link as an applicant's verification: it leads to choosing the password.
      const token = await issueToken(tx, this.context, user.id, "VERIFY_EMAIL");
      await queueMail(tx, email, agentAccountMail(user.firstName, mailLinks(publicUrl).verify(token)));
      await audit(tx, { actorId: input.adminId, action: "AGENT_CREATED", details: { userId: user.id, role: input.role } });
      return true;
    });
  }

  /** Disables (sessions ended at once) or re-enables a staff account; never one's own. */
  async setStaffDisabled(input: { userId: string; adminId: string; disabled: boolean }): Promise<boolean> {
    if (input.userId === input.adminId) return false;
    const { db, clock } = this.context;
    return db.$transaction(async (tx) => {
      const { count } = await tx.user.updateMany({
        where: { id: input.userId, role: { in: ["AGENT", "ADMIN"] } },
        data: { disabledAt: input.disabled ? clock.now() : null },
      });
      if (count !== 1) return false;
      if (input.disabled) {
        await endOtherSessions(tx, input.userId);
        // A link mailed before (the activation of an agent who never chose a password, a reset) must not outlive the account.
        await revokePendingTokens(tx, this.context, input.userId, "CANCELLED");
      }
      await audit(tx, { actorId: input.adminId, action: input.disabled ? "AGENT_DISABLED" : "AGENT_ENABLED", details: { userId: input.userId } });
      return true;
    });
  }

  zonages() {
    return this.context.db.zonage.findMany({ orderBy: { sortOrder: "asc" } });
  }

  /** New yearly participations, in cents by zonage code. Requests already submitted keep theirs. */
  async updateParticipations(input: { cents: Record<string, number>; adminId: string }): Promise<void> {
    await this.context.db.$transaction(async (tx) => {
      for (const zonage of await tx.zonage.findMany()) {
        const cents = input.cents[zonage.code];
        if (cents === undefined || cents === zonage.yearlyParticipationCents) continue;
        await tx.zonage.update({ where: { code: zonage.code }, data: { yearlyParticipationCents: cents } });
        await audit(tx, {
          actorId: input.adminId,
          action: "PARTICIPATION_CHANGED",
          details: { zonage: zonage.code, from: zonage.yearlyParticipationCents, to: cents },
        });
      }
    });
    this.referenceDataChanged();
  }

  statuts() {
    return this.context.db.statut.findMany({ orderBy: { sortOrder: "asc" } });
  }

  /** The eligibility rules of each situation, as the department publishes them. Only what changed is audited. */
  async updateStatuts(input: { rules: Record<string, StatutRuleInput>; adminId: string }): Promise<void> {
    await this.context.db.$transaction(async (tx) => {
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
    this.referenceDataChanged();
  }
}
