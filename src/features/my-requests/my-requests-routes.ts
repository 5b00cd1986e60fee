/**
 * « Mes demandes en cours », « Demandes terminées », one request's page and
 * its confirmation, and what the applicant may still do there: add the pieces
 * the département asks for, withdraw the request.
 */
import { Router, type Request, type Response } from "express";
import { z } from "zod";
import { canTransition, STATUS_LABELS, TransitionRefused } from "../status/request-status.js";
import { REQUEST_TYPES } from "../../domain/request-types.js";
import { sectionTitle } from "../../domain/required-documents.js";
import { formErrors, noErrors, type FormErrors } from "../../lib/form-errors.js";
import { parseForm } from "../../lib/forms.js";
import { requireLogin, requireRole } from "../../middleware/auth.js";
import { applicantIdOf } from "../../middleware/acting-for.js";
import { renderNotFound } from "../../middleware/errors.js";
import { paths, pathTo } from "../../paths.js";
import type { Services } from "../../services.js";
import { personName } from "../../views/format.js";
import { receivedFiles } from "../documents/upload.js";
import { answerGroups } from "../request/answers.js";
import { acceptsComplements, complementBatches } from "./complements.js";
import { departmentAnswer } from "./department-answer.js";

/** « ?tri=ancien » lists the oldest first; anything else, the newest. */
const listQuerySchema = z.object({ tri: z.string().optional().catch(undefined) }).catch({});

const withdrawSchema = z.object({
  confirm: z.literal("on", { error: "Cochez la case pour confirmer que vous retirez votre demande." }),
});

const NOT_AWAITING = "Cette demande n'attend pas de pièce complémentaire.";

export function myRequestsRoutes({ myRequests, documents, statistics }: Pick<Services, "myRequests" | "documents" | "statistics">): Router {
  const router = Router();
  router.use(paths.myRequests, requireLogin, requireRole("APPLICANT"));

  const list = (finished: boolean) => async (req: Request, res: Response) => {
    const newestFirst = listQuerySchema.parse(req.query).tri !== "ancien";
    const requests = await myRequests.listRequests(applicantIdOf(req), { finished, newestFirst });
    res.render("my-requests/list", {
      title: finished ? "Demandes terminées" : "Mes demandes en cours",
      finished,
      requests: requests.map((request) => ({ ...request, answer: departmentAnswer(request, request.statusChanges[0]) })),
      newestFirst,
      labels: STATUS_LABELS,
      types: REQUEST_TYPES,
    });
  };
  router.get(paths.myRequests, list(false));
  router.get(paths.myFinishedRequests, list(true));

  async function renderRequest(req: Request, res: Response, view: "detail" | "confirmation", errors: FormErrors = noErrors, status = 200) {
    const request = await myRequests.findOwnRequest(applicantIdOf(req), String(req.params.number));
    if (!request) {
      renderNotFound(req, res);
      return;
    }
    const { statuts, zonages } = await myRequests.referenceData();
    res.status(status).render(`my-requests/${view}`, {
      title: view === "confirmation" ? `Demande ${request.number} envoyée` : `Demande ${request.number}`,
      request,
      answer: departmentAnswer(request, request.statusChanges.at(-1)),
      groups: answerGroups(request, statuts, zonages),
      labels: STATUS_LABELS,
      types: REQUEST_TYPES,
      sectionTitle,
      errors,
      canWithdraw: canTransition(request.status, "CLOSED", "applicant"),
      canAddDocuments: acceptsComplements(request.status),
      batches: complementBatches(request.documents),
      // « Délai médian de traitement constaté » (null: too few decisions to say), cached per server.
      processingDelay: view === "confirmation" ? await statistics.processingDelay() : null,
    });
  }

  router.get(paths.myRequest, (req, res) => renderRequest(req, res, "detail"));
  router.get(paths.myRequestConfirmation, (req, res) => renderRequest(req, res, "confirmation"));

  const refuse = (req: Request, res: Response, message: string) => renderRequest(req, res, "detail", formErrors([["fichiers", message]]), 422);

  // « Joindre un ou plusieurs fichiers » + « Envoyer », while the department waits for a document,
  // and again after a first batch until an agent takes the request up (a forgotten page).
  router.post(paths.myRequestComplements, ...documents.receive("fichiers", refuse), async (req, res) => {
    const files = receivedFiles(req);
    const request = await myRequests.findOwnRequest(applicantIdOf(req), String(req.params.number));
    if (!request || !acceptsComplements(request.status)) {
      await documents.discard(files);
      if (!request) renderNotFound(req, res);
      else await refuse(req, res, NOT_AWAITING);
      return;
    }
    if (files.length === 0) {
      await refuse(req, res, "Sélectionnez au moins un fichier, puis cliquez sur « Envoyer ».");
      return;
    }
    const outcome = await myRequests.addComplements(request, req.user!.id, files, NOT_AWAITING);
    if (!outcome.ok) {
      await refuse(req, res, outcome.messages.join(" "));
      return;
    }
    req.session.flash = "Vos pièces sont envoyées. Elles sont transmises tout de suite à l'agent qui traite votre demande.";
    res.redirect(303, pathTo(paths.myRequest, { number: request.number! }));
  });

  // « Retirer ma demande »: the applicant withdraws it (« Classée sans suite »), after ticking a confirmation.
  router.post(paths.myRequestWithdraw, async (req, res) => {
    const request = await myRequests.findOwnRequest(applicantIdOf(req), String(req.params.number));
    if (!request) {
      renderNotFound(req, res);
      return;
    }
    const confirmed = parseForm(withdrawSchema, req);
    if (!confirmed.ok) {
      await renderRequest(req, res, "detail", confirmed.errors, 422);
      return;
    }
    try {
      await myRequests.withdraw(request, req.user!.id);
    } catch (error) {
      if (!(error instanceof TransitionRefused)) throw error;
      await renderRequest(req, res, "detail", formErrors([["confirm", "Cette demande ne peut plus être retirée."]]), 422);
      return;
    }
    req.session.flash = req.actingFor
      ? `La demande ${request.number} de ${personName(req.actingFor)} est retirée (« Classée sans suite »).`
      : `Votre demande ${request.number} est retirée (« Classée sans suite »).`;
    res.redirect(303, pathTo(paths.myRequest, { number: request.number! }));
  });

  return router;
}
