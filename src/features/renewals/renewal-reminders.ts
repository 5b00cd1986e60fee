/**
 * The renewal reminders: 60 days and again 15 days before « Droit valable au »
 * of an applicant's last validated request, a mail to the applicant and to
 * the aidant the request names, with the link to « Renouveler ».
 *
 * Each (request, kind) is recorded in RenewalReminder in the same transaction
 * as its mails are queued, under a unique index: a second run the same day,
 * another server, or a run after a crash never mails twice. No reminder goes
 * when the applicant already has a renewal under way (a draft, a request
 * waiting for its answer) or a later validated right.
 */
import { z } from "zod";
import type { AppContext } from "../../context.js";
import { formatDate } from "../../domain/profile-values.js";
import { queueMail } from "../../mail/outbox.js";
import { mailLinks, renewalReminderMail } from "../../mail/messages.js";
import { OPEN_STATUSES } from "../status/request-status.js";

const DAY_MS = 24 * 60 * 60 * 1000;

/** The reminders, latest first: a right found inside both windows (validated late) gets only the nearer one. */
export const REMINDER_KINDS = [
  { kind: "D15", days: 15 },
  { kind: "D60", days: 60 },
] as const;

export type ReminderKind = (typeof REMINDER_KINDS)[number]["kind"];

const dueSchema = z.object({
  id: z.string(),
  validUntil: z.date(),
  aidantName: z.string().nullable(),
  aidantEmail: z.string().nullable(),
  firstName: z.string(),
  email: z.string(),
});

export type DueReminder = z.infer<typeof dueSchema> & { kind: ReminderKind };

/** The calendar day (UTC midnight, as « Droit valable au » is stored) of a moment. */
function dayOf(moment: Date): Date {
  return new Date(Date.UTC(moment.getUTCFullYear(), moment.getUTCMonth(), moment.getUTCDate()));
}

/** The reminders due on the day of `asOf` and not sent yet (what a run would send). */
export async function dueReminders(ctx: Pick<AppContext, "db">, asOf: Date): Promise<DueReminder[]> {
  const today = dayOf(asOf);
  const waiting = ["DRAFT", ...OPEN_STATUSES];
  const due: DueReminder[] = [];
  let nearer = today;
  for (const { kind, days } of REMINDER_KINDS) {
    const limit = new Date(today.getTime() + days * DAY_MS);
    // Strictly after the nearer window's end (from today for D15): one kind per day and request.
    const after = nearer.getTime() === today.getTime() ? new Date(today.getTime() - DAY_MS) : nearer;
    const rows = await ctx.db.$queryRaw<unknown[]>`
      SELECT r.id::text AS id, r."validUntil", r."aidantName", r."aidantEmail", u."firstName", u.email
      FROM "Request" r JOIN "User" u ON u.id = r."applicantId"
      WHERE r.status = 'APPROVED' AND r."validUntil" > ${after}::date AND r."validUntil" <= ${limit}::date
        AND NOT EXISTS (SELECT 1 FROM "RenewalReminder" m WHERE m."requestId" = r.id AND m.kind = ${kind})
        AND NOT EXISTS (
          SELECT 1 FROM "Request" o
          WHERE o."applicantId" = r."applicantId" AND o.id <> r.id
            AND (o.status::text = ANY(${waiting}) OR (o.status = 'APPROVED' AND o."validUntil" > r."validUntil")))
      ORDER BY r."validUntil", r.id`;
    due.push(...rows.map((row) => ({ ...dueSchema.parse(row), kind })));
    nearer = limit;
  }
  return due;
}

/** Sends the reminders due on the day of `asOf`; returns how many requests were reminded. */
export async function sendRenewalReminders(ctx: Pick<AppContext, "db" | "publicUrl" | "clock">, asOf: Date): Promise<number> {
  const link = mailLinks(ctx.publicUrl).renew;
  let sent = 0;
  for (const reminder of await dueReminders(ctx, asOf)) {
    const recorded = await ctx.db.$transaction(async (tx) => {
      const { count } = await tx.renewalReminder.createMany({
        data: [{ requestId: reminder.id, kind: reminder.kind, sentAt: ctx.clock.now() }],
        skipDuplicates: true,
      });
      if (count === 0) return false;
      const validUntil = formatDate(reminder.validUntil);
      await queueMail(tx, reminder.email, renewalReminderMail({ name: reminder.firstName, isAidant: false }, validUntil, link));
      if (reminder.aidantEmail)
        await queueMail(tx, reminder.aidantEmail, renewalReminderMail({ name: reminder.aidantName ?? "", isAidant: true }, validUntil, link));
      return true;
    });
    if (recorded) sent += 1;
  }
  return sent;
}
