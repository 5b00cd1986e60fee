import { Router } from "express";
import type { Database } from "../../db/prisma.js";

/**
 * The development mailbox: every mail of the outbox, newest first, links
 * clickable. Mounted only when no SMTP server is configured and never in
 * production (src/app.ts), since it shows everyone's mails.
 */
export function devMailboxRoutes(db: Database): Router {
  const router = Router();
  router.get("/dev/mails", async (_req, res) => {
    const mails = await db.outboxMail.findMany({ orderBy: { createdAt: "desc" }, take: 200 });
    res.render("dev-mailbox/index", { title: "Boîte aux lettres de développement", mails });
  });
  return router;
}
