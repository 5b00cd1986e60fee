/**
 * The download route, the applicant's only way to read a stored file: their
 * own documents only, with Content-Disposition and nosniff. (The agents read
 * them through the back office; the draft's uploads are the wizard's.)
 */
import { Router } from "express";
import { isRowId } from "../../lib/row-id.js";
import { applicantIdOf } from "../../middleware/acting-for.js";
import { requireLogin } from "../../middleware/auth.js";
import { renderNotFound } from "../../middleware/errors.js";
import { paths } from "../../paths.js";
import type { Services } from "../../services.js";

export function documentRoutes({ documents }: Pick<Services, "documents">): Router {
  const router = Router();

  router.get(paths.document, requireLogin, async (req, res) => {
    const id = String(req.params.id);
    const document = isRowId(id) ? await documents.findOwn(applicantIdOf(req), id) : null;
    if (!document) {
      renderNotFound(req, res);
      return;
    }
    documents.send(res, document);
  });

  return router;
}
