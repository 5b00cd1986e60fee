/**
 * « Messages non distribués »: without this page nobody would know that an
 * applicant never received the news of their request. An administrator sees
 * the mails the outbox gave up on and sends one again once the cause is
 * fixed; each new attempt is audited.
 */
import { Router } from "express";
import { renderNotFound } from "../../middleware/errors.js";
import { MAX_ATTEMPTS } from "../../mail/outbox.js";
import { pathTo, paths } from "../../paths.js";
import { isRowId } from "../../lib/row-id.js";
import { UNDELIVERED_SHOWN, type UndeliveredMailService } from "./undelivered-mail-service.js";

export function undeliveredMailRoutes(mails: UndeliveredMailService): Router {
  const router = Router();

  router.get(paths.adminMessages, async (_req, res) => {
    res.render("admin/messages", { title: "Messages non distribués", mails: await mails.list(), maxAttempts: MAX_ATTEMPTS, shown: UNDELIVERED_SHOWN });
  });

  router.post(paths.adminMessageResend, async (req, res) => {
    const id = req.params.id;
    if (!isRowId(id) || !(await mails.retry(id, req.user!.id))) {
      renderNotFound(req, res);
      return;
    }
    req.session.flash = "Le message est remis dans la file d'envoi : il part dans les prochaines secondes. S'il échoue encore, il reviendra sur cette page.";
    res.redirect(303, pathTo(paths.adminMessages));
  });

  return router;
}
