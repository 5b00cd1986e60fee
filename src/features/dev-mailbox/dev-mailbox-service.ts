import type { AppContext } from "../../context.js";
import type { OutboxMail } from "../../generated/prisma/client.js";

/** The mails of the outbox, for the development mailbox. */
export class DevMailboxService {
  constructor(private readonly ctx: Pick<AppContext, "db">) {}

  /** The last 200 mails, newest first. */
  latestMails(): Promise<OutboxMail[]> {
    return this.ctx.db.outboxMail.findMany({ orderBy: { createdAt: "desc" }, take: 200 });
  }
}
