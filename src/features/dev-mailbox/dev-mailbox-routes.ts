import { Router } from "express";
import type { Database } from "../../db/prisma.js";
import { loopbackOnly } from "./loopback-only.js";

/**
 * The development mailbox: every mail of the outbox, newest first, links
 * clickable. Mounted only when no SMTP server is configured and never in
 * production (src/app.ts), since it shows everyone's mails, reset links
 * included; and only to the machine itself, in case a server is started
 * without NODE_ENV=production and without SMTP_URL.
 */
export function devMailboxRoutes(db: Database): Router {
  const router = Router();
  router.get("/dev/mails", loopbackOnly, async (_req, res) => {
    const mails = await db.outboxMail.findMany({ orderBy: { createdAt: "desc" }, take: 200 });
    res.render("dev-mailbox/index", { title: "Boîte aux lettres de développement", mails });
  });
  return router;
}
