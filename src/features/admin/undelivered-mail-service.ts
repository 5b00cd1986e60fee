/**
 * « Messages non distribués »: the mails the outbox gave up on after
 * MAX_ATTEMPTS failures (a mistyped address, a mail server refusing them),
 * and their new attempt on an administrator's request.
 */
import type { AppContext } from "../../context.js";
import { audit } from "../audit/audit-log.js";

/** The page shows the most recent ones; older failures stay in the table. */
export const UNDELIVERED_SHOWN = 200;

export class UndeliveredMailService {
  constructor(private readonly context: Pick<AppContext, "db" | "clock">) {}

  list() {
    return this.context.db.outboxMail.findMany({
      where: { status: "FAILED" },
      orderBy: { createdAt: "desc" },
      take: UNDELIVERED_SHOWN,
      select: { id: true, to: true, subject: true, lastError: true, createdAt: true },
    });
  }

  /** Puts a failed mail back in the queue, due now, with a fresh count of attempts. False when it is not (or no longer) a failed mail. */
  async retry(mailId: string, adminId: string): Promise<boolean> {
    const { db, clock } = this.context;
    return db.$transaction(async (tx) => {
      const { count } = await tx.outboxMail.updateMany({
        where: { id: mailId, status: "FAILED" },
        data: { status: "PENDING", attempts: 0, nextAttemptAt: clock.now() },
      });
      if (count === 0) return false;
      // The mail's id only: its address and subject are in the outbox, not in the journal.
      await audit(tx, { actorId: adminId, action: "MAIL_RETRIED", details: { mailId } });
      return true;
    });
  }
}
