/**
 * « Messages non distribués »: the mails the outbox gave up on after
 * MAX_ATTEMPTS failures (a mistyped address, a mail server refusing them).
 * Without this page nobody would know that an applicant never received the
 * news of their request. An administrator sees them and sends one again once
 * the cause is fixed; each new attempt is audited.
 */
import { Router } from "express";
import type { Database } from "../../db/prisma.js";
import { renderNotFound } from "../../middleware/errors.js";
import { MAX_ATTEMPTS } from "../../mail/outbox.js";
import { audit } from "../audit/audit-log.js";
import type { AdminContext } from "./admin-service.js";
import { isRowId } from "../../lib/row-id.js";

/** The page shows the most recent ones; older failures stay in the table. */
const SHOWN = 200;

function listUndelivered(db: Database) {
  return db.outboxMail.findMany({
    where: { status: "FAILED" },
    orderBy: { createdAt: "desc" },
    take: SHOWN,
    select: { id: true, to: true, subject: true, lastError: true, createdAt: true },
  });
}

/** Puts a failed mail back in the queue, due now, with a fresh count of attempts. False when it is not (or no longer) a failed mail. */
async function retryMail(ctx: AdminContext, mailId: string, adminId: string): Promise<boolean> {
  return ctx.db.$transaction(async (tx) => {
    const { count } = await tx.outboxMail.updateMany({
      where: { id: mailId, status: "FAILED" },
      data: { status: "PENDING", attempts: 0, nextAttemptAt: ctx.clock.now() },
    });
    if (count === 0) return false;
    // The mail's id only: its address and subject are in the outbox, not in the journal.
    await audit(tx, { actorId: adminId, action: "MAIL_RETRIED", details: { mailId } });
    return true;
  });
}

export function undeliveredMailRoutes(ctx: AdminContext): Router {
  const router = Router();

  router.get("/admin/messages", async (_req, res) => {
    res.render("admin/messages", { title: "Messages non distribués", mails: await listUndelivered(ctx.db), maxAttempts: MAX_ATTEMPTS, shown: SHOWN });
  });

  router.post("/admin/messages/:id/renvoyer", async (req, res) => {
    const id = String(req.params.id);
    if (!isRowId(id) || !(await retryMail(ctx, id, req.user!.id))) {
      renderNotFound(req, res);
      return;
    }
    req.session.flash = "Le message est remis dans la file d'envoi : il part dans les prochaines secondes. S'il échoue encore, il reviendra sur cette page.";
    res.redirect(303, "/admin/messages");
  });

  return router;
}
