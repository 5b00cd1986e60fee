/** « Mes informations personnelles »: reading, saving, completeness, and the e-mail change. */
import type { AppContext } from "../../context.js";
import type { Profile } from "../../generated/prisma/client.js";
import { formatDate } from "../../domain/profile-values.js";
import { emailChangeMail, emailChangeNoticeMail, emailInUseMail, mailLinks } from "../../mail/messages.js";
import { queueMail } from "../../mail/outbox.js";
import { waitMessage, type Throttle } from "../../middleware/rate-limit.js";
import { checkToken, issueToken, normalizeEmail, revokePendingTokens, type TokenProblem } from "../account/account-service.js";
import { verifyPassword } from "../account/passwords.js";
import type { ProfileInput } from "./profile-form.js";

export interface PersonRecord {
  email: string;
  firstName: string;
  lastName: string;
  profile: Profile | null;
}

/** The saved values as the form shows them. */
export function formValues(person: PersonRecord): Record<string, string> {
  const profile = person.profile;
  return {
    civility: profile?.civility ?? "",
    familySituation: profile?.familySituation ?? "",
    firstName: person.firstName,
    lastName: person.lastName,
    birthName: profile?.birthName ?? "",
    birthDate: profile?.birthDate ? formatDate(profile.birthDate) : "",
    birthDateUnknown: profile?.birthDateUnknown ? "on" : "",
    street: profile?.street ?? "",
    addressLine2: profile?.addressLine2 ?? "",
    addressLine3: profile?.addressLine3 ?? "",
    postalCode: profile?.postalCode ?? "",
    city: profile?.city ?? "",
    email: person.email,
    mobilePhone: profile?.mobilePhone ?? "",
    landlinePhone: profile?.landlinePhone ?? "",
    protectionMeasure: profile?.protectionMeasure === null || profile?.protectionMeasure === undefined ? "" : profile.protectionMeasure ? "oui" : "non",
    protectionType: profile?.protectionType ?? "",
  };
}

/** A request cannot be started until the required fields are filled. */
export function isProfileComplete(profile: Profile | null): boolean {
  if (!profile) return false;
  return Boolean(
    profile.civility &&
    profile.familySituation &&
    profile.birthName &&
    (profile.birthDate || profile.birthDateUnknown) &&
    profile.street &&
    profile.postalCode &&
    profile.city &&
    profile.protectionMeasure !== null &&
    (!profile.protectionMeasure || profile.protectionType),
  );
}

export type EmailChangeResult = "changed" | "taken" | TokenProblem;

/** The profile feature's work, for its routes. */
export class ProfileService {
  constructor(private readonly ctx: Pick<AppContext, "db" | "clock" | "publicUrl">) {}

  async loadPerson(userId: string): Promise<PersonRecord> {
    return this.ctx.db.user.findUniqueOrThrow({
      where: { id: userId },
      select: { email: true, firstName: true, lastName: true, profile: true },
    });
  }

  /**
   * Changing the address hands the account to whoever reads the new mailbox, so
   * a session alone (a shared computer left logged in) is not enough: the
   * current password is asked. The message to show at « Mot de passe actuel »,
   * or null when the address does not change or the password is right.
   */
  async emailChangePasswordProblem(
    person: { id: string; email: string },
    typed: { email: string; currentPassword: string },
    /** The same count as « Changer le mot de passe »: someone holding an open session must not guess the password here either. */
    passwordCheck: Throttle,
  ): Promise<{ message: string; retryAfterSeconds?: number } | null> {
    const email = normalizeEmail(typed.email);
    if (email === "" || email === person.email) return null;
    if (typed.currentPassword === "") return { message: "Indiquez votre mot de passe actuel pour changer d'adresse e-mail." };
    const counted = await passwordCheck.hit(person.id);
    if (counted.retryAfterSeconds > 0) return { message: waitMessage(counted.retryAfterSeconds), retryAfterSeconds: counted.retryAfterSeconds };
    const user = await this.ctx.db.user.findUniqueOrThrow({ where: { id: person.id }, select: { passwordHash: true } });
    if (!(await verifyPassword(user.passwordHash, typed.currentPassword))) return { message: "Le mot de passe actuel est incorrect." };
    await passwordCheck.reset(person.id);
    return null;
  }

  /**
   * « Mettre à jour ». A new e-mail address is not applied here: a link is sent
   * to it, and it replaces the old one once confirmed. Returns whether the
   * change was asked for; the answer is the same when the new address already
   * has an account (its owner only gets a warning, without a link), so that the
   * form tells nobody which addresses have an account.
   */
  async saveProfile(userId: string, input: ProfileInput): Promise<{ emailChangeRequested: boolean }> {
    const { ctx } = this;
    return ctx.db.$transaction(async (tx) => {
      const user = await tx.user.update({
        where: { id: userId },
        data: { firstName: input.firstName, lastName: input.lastName },
      });
      const fields = {
        civility: input.civility,
        familySituation: input.familySituation,
        birthName: input.birthName,
        birthDate: input.birthDate,
        birthDateUnknown: input.birthDateUnknown,
        street: input.street,
        addressLine2: input.addressLine2,
        addressLine3: input.addressLine3,
        postalCode: input.postalCode,
        city: input.city,
        mobilePhone: input.mobilePhone,
        landlinePhone: input.landlinePhone,
        protectionMeasure: input.protectionMeasure,
        protectionType: input.protectionType,
      };
      await tx.profile.upsert({ where: { userId }, create: { userId, ...fields }, update: fields });

      const newEmail = normalizeEmail(input.email);
      if (newEmail === user.email) return { emailChangeRequested: false };
      const owner = await tx.user.findUnique({ where: { email: newEmail }, select: { firstName: true } });
      if (owner) {
        // As a new request would, it ends the pending one; but no link: the address is taken.
        await revokePendingTokens(tx, ctx, userId, "REPLACED", "CHANGE_EMAIL");
        await queueMail(tx, newEmail, emailInUseMail(owner.firstName));
      } else {
        const token = await issueToken(tx, ctx, userId, "CHANGE_EMAIL", newEmail);
        await queueMail(tx, newEmail, emailChangeMail(user.firstName, mailLinks(ctx.publicUrl).confirmEmail(token)));
      }
      await queueMail(tx, user.email, emailChangeNoticeMail(user.firstName, mailLinks(ctx.publicUrl).forgotten));
      return { emailChangeRequested: true };
    });
  }

  async confirmEmailChange(token: unknown): Promise<EmailChangeResult> {
    const { ctx } = this;
    const check = await checkToken(ctx, token, "CHANGE_EMAIL");
    if (check.status !== "valid") return check.status;
    return ctx.db.$transaction(async (tx) => {
      const row = await tx.accountToken.findUniqueOrThrow({ where: { id: check.tokenId } });
      // Every CHANGE_EMAIL token is issued with its new address.
      const newEmail = row.newEmail;
      if (newEmail === null) return "unknown";
      const claimed = await tx.accountToken.updateMany({ where: { id: row.id, usedAt: null, revokedAt: null }, data: { usedAt: ctx.clock.now() } });
      if (claimed.count !== 1) return "used";
      const taken = await tx.user.findUnique({ where: { email: newEmail } });
      if (taken) return "taken";
      await tx.user.update({ where: { id: row.userId }, data: { email: newEmail, emailVerifiedAt: ctx.clock.now() } });
      // Links mailed to the former address (a reset asked before) must not outlive it.
      await revokePendingTokens(tx, ctx, row.userId, "CANCELLED");
      return "changed";
    });
  }
}
