/**
 * « Renouveler » (/renouveler): the page the reminder mails, « Mes demandes »
 * and a validated request's page link to. It says what will be carried over
 * from the last validated request; its form (the terms of use, accepted again)
 * starts the renewal and leads to the wizard's first step.
 */
import { Router, type Request, type Response } from "express";
import { z } from "zod";
import { noErrors, type FormErrors } from "../../lib/form-errors.js";
import { parseForm } from "../../lib/forms.js";
import { applicantIdOf } from "../../middleware/acting-for.js";
import { requireLogin, requireRole } from "../../middleware/auth.js";
import { paths, pathTo } from "../../paths.js";
import type { Services } from "../../services.js";

const TITLE = "Renouveler mon forfait Améthyste";

const startSchema = z.object({
  acceptTerms: z.literal("on", { error: "Cochez la case pour accepter les termes d'utilisation et commencer votre renouvellement." }),
});

export function renewalRoutes(services: Pick<Services, "renewals">): Router {
  const { renewals } = services;
  const router = Router();
  router.use(paths.renew, requireLogin, requireRole("APPLICANT"));

  async function renderStart(req: Request, res: Response, errors?: FormErrors) {
    const userId = applicantIdOf(req);
    const [previous, pending] = await Promise.all([renewals.lastValidated(userId), renewals.pending(userId)]);
    // An aidant who came from the reminder mail, logged in as themself: « Agir pour … » first (or, with a right
    // of their own to renew, a word that this page renews theirs).
    const helpsSomeone = !req.actingFor && (await renewals.helpsSomeone(req.user!.id));
    res.status(errors ? 422 : 200).render("renewals/start", { title: TITLE, previous, pending, helpsSomeone, values: {}, errors: errors ?? noErrors });
  }

  router.get(paths.renew, (req, res) => renderStart(req, res));

  router.post(paths.renew, async (req, res) => {
    const form = parseForm(startSchema, req);
    if (!form.ok) {
      await renderStart(req, res, form.errors);
      return;
    }
    // An aidant acting for the person renews the person's right (the reminder mail goes to both).
    const result = await renewals.start(applicantIdOf(req));
    if (result.kind === "nothing-to-renew" || result.kind === "open") {
      res.redirect(303, pathTo(paths.renew));
      return;
    }
    // Started, or a draft already there: the wizard resumes at its first step to check.
    res.redirect(303, pathTo(paths.request));
  });

  return router;
}
