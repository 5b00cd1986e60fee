/**
 * The mail outbox. Features only ever call `queueMail`, inside the same
 * transaction as the change that causes the mail; `MailDelivery` sends what
 * is due, retrying with back-off, so a mail survives an SMTP outage or a
 * restart.
 */
import nodemailer, { type Transporter } from "nodemailer";
import type { Database } from "../db/prisma.js";
import { isDatabaseUnavailable } from "../db/unavailable.js";
import { logger } from "../logger.js";
import type { Clock } from "../lib/clock.js";
import { renderMail, type MailContent } from "./compose.js";

type MailWriter = Pick<Database, "outboxMail">;

export async function queueMail(db: MailWriter, to: string, content: MailContent): Promise<void> {
  const { subject, text, html } = renderMail(content);
  await db.outboxMail.create({ data: { to, subject, text, html } });
}

/** Delivery of one message; the development mailbox needs none (it reads the outbox). */
export type SendMail = (message: { from: string; to: string; subject: string; text: string; html: string }) => Promise<void>;

/**
 * Bounded waits, so that a mail server that hangs frees the delivery slot
 * (the mail is retried later) instead of holding it for nodemailer's default
 * ten minutes. A server that answers slowly but answers is waited for.
 */
export const SMTP_TIMEOUTS = { connectionMs: 15_000, greetingMs: 15_000, socketMs: 60_000 } as const;

export function smtpSender(smtpUrl: string): SendMail {
  const transporter: Transporter = nodemailer.createTransport({
    url: smtpUrl,
    connectionTimeout: SMTP_TIMEOUTS.connectionMs,
    greetingTimeout: SMTP_TIMEOUTS.greetingMs,
    socketTimeout: SMTP_TIMEOUTS.socketMs,
  });
  return async (message) => {
    await transporter.sendMail(message);
  };
}

/** Without SMTP the outbox itself is the development mailbox (/dev/mails): marking sent is delivery. */
export const developmentMailboxSender: SendMail = () => Promise.resolve();

export const MAX_ATTEMPTS = 10;

/** 30 s, 1 min, 2 min, … capped at 1 h. */
export function retryDelayMs(attempts: number): number {
  return Math.min(30_000 * 2 ** (attempts - 1), 3_600_000);
}

/**
 * How long a claimed mail is reserved for the worker that claimed it. Far
 * longer than one sending can take (SMTP_TIMEOUTS), so that no other worker
 * sends it meanwhile; if the worker dies, the mail is due again afterwards.
 */
export const MAIL_LEASE_MS = 10 * 60_000;
/** Mails sent at the same time by one process: a slow one never holds back the others. */
export const DELIVERY_SLOTS = 4;

interface ClaimedMail {
  id: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  attempts: number;
  /** The lease written at claim time; it also proves that the row is still ours when we mark it. */
  leaseUntil: Date;
}

/**
 * Sends the outbox. A mail is claimed with a lease (one short UPDATE … SKIP
 * LOCKED that pushes its nextAttemptAt forward and counts the attempt), sent
 * outside any transaction, then marked sent or failed. Each process runs a
 * few slots in parallel, and any number of processes share one outbox: a
 * claimed mail is invisible to the others until its lease runs out.
 *
 * Why not pg-boss or graphile-worker: features queue a mail inside their own
 * Prisma transaction (the mail exists if and only if its cause does), and
 * « Messages non distribués » lists and re-queues OutboxMail rows. A job
 * queue would need its own schema outside the Prisma migrations, its own
 * pool, and a bridge from Prisma's transaction to its insert, for the one
 * thing this needs: a lease on a row, which is a single statement here.
 */
export class MailDelivery {
  private timer: NodeJS.Timeout | undefined;
  private readonly slots = new Set<Promise<number>>();
  private stopping = false;

  constructor(
    private readonly db: Database,
    private readonly send: SendMail,
    private readonly from: string,
    private readonly clock: Clock,
    private readonly slotCount = DELIVERY_SLOTS,
  ) {}

  /**
   * Fills the free slots with workers that send due mails until none is
   * left, and waits for every slot to finish. Returns how many mails the
   * workers started by this call sent.
   */
  async deliverDue(): Promise<number> {
    const started: Promise<number>[] = [];
    while (!this.stopping && this.slots.size < this.slotCount) {
      const slot: Promise<number> = this.drain().finally(() => this.slots.delete(slot));
      this.slots.add(slot);
      started.push(slot);
    }
    const [counts] = await Promise.all([Promise.all(started), Promise.allSettled([...this.slots])]);
    return counts.reduce((total, count) => total + count, 0);
  }

  /** One slot: claim, send, mark, until nothing is due. */
  private async drain(): Promise<number> {
    let sent = 0;
    while (!this.stopping) {
      const mail = await this.claim();
      if (!mail) break;
      if (await this.deliver(mail)) sent += 1;
    }
    return sent;
  }

  private async claim(): Promise<ClaimedMail | null> {
    const now = this.clock.now();
    const leaseUntil = new Date(now.getTime() + MAIL_LEASE_MS);
    const rows = await this.db.$queryRaw<Omit<ClaimedMail, "leaseUntil">[]>`
      UPDATE "OutboxMail" SET "nextAttemptAt" = ${leaseUntil}, attempts = attempts + 1
      WHERE id = (
        SELECT id FROM "OutboxMail"
        WHERE status = 'PENDING' AND "nextAttemptAt" <= ${now}
        ORDER BY "createdAt" LIMIT 1 FOR UPDATE SKIP LOCKED)
      RETURNING id, "to", subject, text, html, attempts`;
    const row = rows[0];
    return row ? { ...row, leaseUntil } : null;
  }

  /** Sends one claimed mail and records the outcome. True when it was sent. */
  private async deliver(mail: ClaimedMail): Promise<boolean> {
    let failure: unknown;
    try {
      await this.send({ from: this.from, to: mail.to, subject: mail.subject, text: mail.text, html: mail.html });
    } catch (error) {
      failure = error;
    }
    const now = this.clock.now();
    const ours = { id: mail.id, status: "PENDING" as const, nextAttemptAt: mail.leaseUntil };
    if (failure === undefined) {
      await this.record(() => this.db.outboxMail.updateMany({ where: ours, data: { status: "SENT", sentAt: now, lastError: null } }));
      return true;
    }
    await this.record(() =>
      this.db.outboxMail.updateMany({
        where: ours,
        data: {
          status: mail.attempts >= MAX_ATTEMPTS ? "FAILED" : "PENDING",
          nextAttemptAt: new Date(now.getTime() + retryDelayMs(mail.attempts)),
          lastError: failure instanceof Error ? failure.message.slice(0, 500) : "erreur inconnue",
        },
      }),
    );
    // The id only: the address and the text are personal data (the error's message is masked by the logger).
    logger.warn({ mailId: mail.id, attempt: mail.attempts, err: failure }, "mail : échec d'envoi, nouvel essai plus tard");
    return false;
  }

  /**
   * Records an outcome, retrying while the database is unreachable: a mail
   * that went out but is not marked would go out again once its lease ends.
   * Gives up (and lets the lease decide) after about a minute.
   */
  private async record(update: () => Promise<unknown>): Promise<void> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        await update();
        return;
      } catch (error) {
        if (attempt >= 30 || !isDatabaseUnavailable(error)) throw error;
        await new Promise((resolve) => setTimeout(resolve, 2_000));
      }
    }
  }

  start(intervalMs = 2_000): void {
    this.stopping = false;
    this.timer ??= setInterval(() => {
      this.deliverDue().catch((error: unknown) => logger.error({ err: error }, "mail : la distribution a échoué"));
    }, intervalMs);
    this.timer.unref();
  }

  /** Stops claiming; the mails being sent are finished and recorded. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.stopping = true;
    await Promise.allSettled([...this.slots]);
  }
}
