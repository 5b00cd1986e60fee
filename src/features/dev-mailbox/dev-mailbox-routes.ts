import { Router } from "express";
import { paths } from "../../paths.js";
import type { DevMailboxService } from "./dev-mailbox-service.js";
import { loopbackOnly } from "./loopback-only.js";

/**
 * The development mailbox: every mail of the outbox, newest first, links
 * clickable. Mounted only when no SMTP server is configured and never in
 * production (src/app.ts), since it shows everyone's mails, reset links
 * included; and only to the machine itself, in case a server is started
 * without NODE_ENV=production and without SMTP_URL.
 */
export function devMailboxRoutes(mailbox: DevMailboxService): Router {
  const router = Router();
  router.get(paths.devMailbox, loopbackOnly, async (_req, res) => {
    res.render("dev-mailbox/index", { title: "Boîte aux lettres de développement", mails: await mailbox.latestMails() });
  });
  return router;
}
