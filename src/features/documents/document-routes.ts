/**
 * The files of the draft's « Justificatifs » (add, remove) and the download
 * route, the only way to read a stored file: for its owner (and, later, the
 * agents), with Content-Disposition and nosniff.
 */
import { Router } from "express";
import { formErrors } from "../../lib/form-errors.js";
import { requireLogin, requireRole } from "../../middleware/auth.js";
import { renderNotFound } from "../../middleware/errors.js";
import { loadStepContext, type RequestContext } from "../request/draft-service.js";
import { documentsStep, sectionsFor } from "../request/steps/documents-step.js";
import { renderStep, stepUrlFor } from "../request/wizard-routes.js";
import type { DocumentStorage } from "./document-storage.js";
import { saveDocuments } from "./save-documents.js";
import { sendDocument } from "./send-document.js";
import { discardAll, receiveFiles, receivedFiles } from "./upload.js";
import { isRowId } from "../../lib/row-id.js";

/** A sensible number of files for one section (recto/verso, several pages…). */
export const MAX_FILES_PER_SECTION = 10;

export function documentRoutes(ctx: RequestContext, storage: DocumentStorage): Router {
  const router = Router();
  const applicant = [requireLogin, requireRole("APPLICANT")];

  const refuse = async (req: import("express").Request, res: import("express").Response, message: string) => {
    const stepCtx = await loadStepContext(ctx, req.user!.id);
    if (!stepCtx) {
      res.redirect(303, "/demande");
      return;
    }
    renderStep(res, stepCtx, documentsStep, { errors: formErrors([[`section-${String(req.params.section)}`, message]]), status: 422 });
  };

  router.post("/demande/justificatifs/:section", ...applicant, ...receiveFiles(storage, "fichiers", refuse), async (req, res) => {
    const files = receivedFiles(req);
    const stepCtx = await loadStepContext(ctx, req.user!.id);
    const section = stepCtx ? sectionsFor(stepCtx).find((candidate) => candidate.code === req.params.section) : undefined;
    if (!stepCtx || !section) {
      await discardAll(storage, files);
      if (stepCtx) renderNotFound(req, res);
      else res.redirect(303, "/demande");
      return;
    }
    if (files.length === 0) {
      await refuse(req, res, `Sélectionnez au moins un fichier pour « ${section.title} », puis cliquez sur « Enregistrer ».`);
      return;
    }
    const already = stepCtx.draft.documents.filter((document) => document.section === section.code).length;
    if (already + files.length > MAX_FILES_PER_SECTION) {
      await discardAll(storage, files);
      await refuse(req, res, `« ${section.title} » peut contenir au plus ${MAX_FILES_PER_SECTION} fichiers. Supprimez-en avant d'en ajouter.`);
      return;
    }
    const outcome = await saveDocuments(ctx.db, storage, { requestId: stepCtx.draft.id, section: section.code, files });
    if (!outcome.ok) {
      await refuse(req, res, outcome.messages.join(" "));
      return;
    }
    req.session.flash = `${outcome.count === 1 ? "1 fichier enregistré" : `${outcome.count} fichiers enregistrés`} dans « ${section.title} ».`;
    res.redirect(303, `${stepUrlFor(req, "justificatifs")}#section-${section.code}`);
  });

  router.post("/demande/justificatifs/fichier/:id/supprimer", ...applicant, async (req, res) => {
    const id = String(req.params.id);
    const document = isRowId(id)
      ? await ctx.db.requestDocument.findFirst({ where: { id, request: { applicantId: req.user!.id, status: "DRAFT" } } })
      : null;
    if (!document) {
      renderNotFound(req, res);
      return;
    }
    await ctx.db.requestDocument.delete({ where: { id: document.id } });
    await storage.remove(document.storedName);
    req.session.flash = `Le fichier « ${document.originalName} » a été supprimé.`;
    res.redirect(303, `${stepUrlFor(req, "justificatifs")}#section-${document.section}`);
  });

  router.get("/documents/:id", requireLogin, async (req, res) => {
    const id = String(req.params.id);
    const document = isRowId(id)
      ? await ctx.db.requestDocument.findFirst({ where: { id, request: { applicantId: req.user!.id } } })
      : null;
    if (!document) {
      renderNotFound(req, res);
      return;
    }
    sendDocument(res, storage, document);
  });

  return router;
}
