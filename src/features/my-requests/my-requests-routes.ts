import { Router, type Request, type Response } from "express";
import { canTransition, STATUS_LABELS, TransitionRefused } from "../status/request-status.js";
import { COMPLEMENT_SECTION, sectionTitle } from "../../domain/required-documents.js";
import { formErrors, noErrors, type FormErrors } from "../../lib/form-errors.js";
import { requireLogin, requireRole } from "../../middleware/auth.js";
import { renderNotFound } from "../../middleware/errors.js";
import type { DocumentStorage } from "../documents/document-storage.js";
import { saveDocuments } from "../documents/save-documents.js";
import { complementLimits } from "../documents/upload-limits.js";
import { acceptsComplements, COMPLEMENT_STATUSES, complementBatches } from "./complements.js";
import { discardAll, receiveFiles, receivedFiles, MAX_FILES_PER_UPLOAD } from "../documents/upload.js";
import { ACCEPT_ATTRIBUTE } from "../documents/document-storage.js";
import { answerGroups } from "../request/answers.js";
import type { RequestContext } from "../request/draft-service.js";
import { REQUEST_TYPES } from "../request/steps/type-step.js";
import { departmentAnswer } from "./department-answer.js";
import { findOwnRequest, listRequests } from "./my-requests-service.js";
import { changeStatus } from "../status/status-service.js";

export function myRequestsRoutes(ctx: RequestContext, storage: DocumentStorage): Router {
  const router = Router();
  router.use("/mes-demandes", requireLogin, requireRole("APPLICANT"));

  const list = (finished: boolean) => async (req: Request, res: Response) => {
    const newestFirst = req.query.tri !== "ancien";
    const requests = await listRequests(ctx.db, req.user!.id, { finished, newestFirst });
    res.render("my-requests/list", {
      title: finished ? "Demandes terminées" : "Mes demandes en cours",
      finished,
      requests: requests.map((request) => ({ ...request, answer: departmentAnswer(request, request.statusChanges[0]) })),
      newestFirst,
      labels: STATUS_LABELS,
      types: REQUEST_TYPES,
    });
  };
  router.get("/mes-demandes", list(false));
  router.get("/mes-demandes/terminees", list(true));

  async function renderRequest(req: Request, res: Response, view: "detail" | "confirmation", errors: FormErrors = noErrors, status = 200) {
    const request = await findOwnRequest(ctx.db, req.user!.id, String(req.params.number));
    if (!request) {
      renderNotFound(req, res);
      return;
    }
    const [statuts, zonages] = await Promise.all([ctx.db.statut.findMany(), ctx.db.zonage.findMany()]);
    res.status(status).render(`my-requests/${view}`, {
      title: view === "confirmation" ? `Demande ${request.number} envoyée` : `Demande ${request.number}`,
      request,
      answer: departmentAnswer(request, request.statusChanges.at(-1)),
      groups: answerGroups(request, statuts, zonages),
      labels: STATUS_LABELS,
      types: REQUEST_TYPES,
      sectionTitle,
      errors,
      accept: ACCEPT_ATTRIBUTE,
      maxFiles: MAX_FILES_PER_UPLOAD,
      canWithdraw: canTransition(request.status, "CLOSED", "applicant"),
      canAddDocuments: acceptsComplements(request.status),
      batches: complementBatches(request.documents),
    });
  }

  router.get("/mes-demandes/:number", (req, res) => renderRequest(req, res, "detail"));
  router.get("/mes-demandes/:number/confirmation", (req, res) => renderRequest(req, res, "confirmation"));

  const refuse = (req: Request, res: Response, message: string) => renderRequest(req, res, "detail", formErrors([["fichiers", message]]), 422);

  const NOT_AWAITING = "Cette demande n'attend pas de pièce complémentaire.";
  // « Joindre un ou plusieurs fichiers » + « Envoyer », while the department waits for a document,
  // and again after a first batch until an agent takes the request up (a forgotten page).
  router.post("/mes-demandes/:number/pieces", ...receiveFiles(storage, "fichiers", refuse), async (req, res) => {
    const files = receivedFiles(req);
    const request = await findOwnRequest(ctx.db, req.user!.id, String(req.params.number));
    if (!request || !acceptsComplements(request.status)) {
      await discardAll(storage, files);
      if (!request) renderNotFound(req, res);
      else await refuse(req, res, NOT_AWAITING);
      return;
    }
    if (files.length === 0) {
      await refuse(req, res, "Sélectionnez au moins un fichier, puis cliquez sur « Envoyer ».");
      return;
    }
    // Checked again under the request's lock: two « Envoyer » at once are serialised, and only
    // the first batch moves the request to « Pièce complémentaire reçue ».
    const outcome = await saveDocuments(ctx.db, storage, {
      requestId: request.id,
      section: COMPLEMENT_SECTION.code,
      files,
      limits: complementLimits,
      acceptedStatuses: COMPLEMENT_STATUSES,
      statusRefused: NOT_AWAITING,
      alsoInTransaction: async (tx, status) => {
        if (status !== "AWAITING_DOCUMENT") return;
        await changeStatus(tx, { requestId: request.id, to: "DOCUMENT_RECEIVED", actor: "applicant", actorId: req.user!.id, publicUrl: ctx.publicUrl });
      },
    });
    if (!outcome.ok) {
      await refuse(req, res, outcome.messages.join(" "));
      return;
    }
    req.session.flash = "Vos pièces sont envoyées. Elles sont transmises tout de suite à l'agent qui traite votre demande.";
    res.redirect(303, `/mes-demandes/${request.number}`);
  });

  // « Retirer ma demande »: the applicant withdraws it (« Classée sans suite »), after ticking a confirmation.
  router.post("/mes-demandes/:number/retirer", async (req, res) => {
    const request = await findOwnRequest(ctx.db, req.user!.id, String(req.params.number));
    if (!request) {
      renderNotFound(req, res);
      return;
    }
    if (req.body?.confirm !== "on") {
      await renderRequest(req, res, "detail", formErrors([["confirm", "Cochez la case pour confirmer que vous retirez votre demande."]]), 422);
      return;
    }
    try {
      await ctx.db.$transaction((tx) =>
        changeStatus(tx, { requestId: request.id, to: "CLOSED", actor: "applicant", actorId: req.user!.id, message: null, publicUrl: ctx.publicUrl }),
      );
    } catch (error) {
      if (!(error instanceof TransitionRefused)) throw error;
      await renderRequest(req, res, "detail", formErrors([["confirm", "Cette demande ne peut plus être retirée."]]), 422);
      return;
    }
    req.session.flash = `Votre demande ${request.number} est retirée (« Classée sans suite »).`;
    res.redirect(303, `/mes-demandes/${request.number}`);
  });

  return router;
}
