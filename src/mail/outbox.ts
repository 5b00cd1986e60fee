/**
 * The mail outbox. Features only ever call `queueMail`, inside the same
 * transaction as the change that causes the mail; `MailDelivery` sends what
 * is due, retrying with back-off, so a mail survives an SMTP outage or a
 * restart.
 */
import nodemailer, { type Transporter } from "nodemailer";
import type { Database } from "../db/prisma.js";
import type { Clock } from "../lib/clock.js";
import { renderMail, type MailContent } from "./compose.js";

type MailWriter = Pick<Database, "outboxMail">;

export async function queueMail(db: MailWriter, to: string, content: MailContent): Promise<void> {
  const { subject, text, html } = renderMail(content);
  await db.outboxMail.create({ data: { to, subject, text, html } });
}

/** Delivery of one message; the development mailbox needs none (it reads the outbox). */
export type SendMail = (message: { from: string; to: string; subject: string; text: string; html: string }) => Promise<void>;

export function smtpSender(smtpUrl: string): SendMail {
  const transporter: Transporter = nodemailer.createTransport(smtpUrl);
  return async (message) => {
    await transporter.sendMail(message);
  };
}

/** Without SMTP the outbox itself is the development mailbox (/dev/mails): marking sent is delivery. */
export const developmentMailboxSender: SendMail = async () => undefined;

export const MAX_ATTEMPTS = 10;

/** 30 s, 1 min, 2 min, … capped at 1 h. */
export function retryDelayMs(attempts: number): number {
  return Math.min(30_000 * 2 ** (attempts - 1), 3_600_000);
}

export class MailDelivery {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;

  constructor(
    private readonly db: Database,
    private readonly send: SendMail,
    private readonly from: string,
    private readonly clock: Clock,
  ) {}

  /**
   * Sends every due mail once. Concurrent calls share one run; rows are
   * claimed with SKIP LOCKED so that two processes never send the same mail.
   * Returns how many were sent.
   */
  deliverDue(): Promise<number> {
    this.running ??= this.deliverBatch().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async deliverBatch(): Promise<number> {
    let sent = 0;
    for (;;) {
      const now = this.clock.now();
      const claimed = await this.db.$transaction(async (tx) => {
        const rows = await tx.$queryRaw<{ id: string }[]>`
          SELECT id FROM "OutboxMail"
          WHERE status = 'PENDING' AND "nextAttemptAt" <= ${now}
          ORDER BY "createdAt" LIMIT 1 FOR UPDATE SKIP LOCKED`;
        const row = rows[0];
        if (!row) return null;
        const mail = await tx.outboxMail.findUniqueOrThrow({ where: { id: row.id } });
        try {
          await this.send({ from: this.from, to: mail.to, subject: mail.subject, text: mail.text, html: mail.html });
          await tx.outboxMail.update({
            where: { id: mail.id },
            data: { status: "SENT", sentAt: now, attempts: { increment: 1 }, lastError: null },
          });
          return "sent" as const;
        } catch (error) {
          const attempts = mail.attempts + 1;
          await tx.outboxMail.update({
            where: { id: mail.id },
            data: {
              attempts,
              status: attempts >= MAX_ATTEMPTS ? "FAILED" : "PENDING",
              nextAttemptAt: new Date(now.getTime() + retryDelayMs(attempts)),
              lastError: error instanceof Error ? error.message.slice(0, 500) : "erreur inconnue",
            },
          });
          // The id only: the address and the text are personal data.
          console.error(`[mail] échec d'envoi du message ${mail.id} (tentative ${attempts})`);
          return "failed" as const;
        }
      });
      if (claimed === null) return sent;
      if (claimed === "sent") sent += 1;
    }
  }

  start(intervalMs = 2_000): void {
    this.timer ??= setInterval(() => {
      this.deliverDue().catch((error: unknown) => console.error("[mail] la distribution a échoué:", (error as Error).message));
    }, intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }
}
