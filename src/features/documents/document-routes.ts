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
import { draftLimits } from "./upload-limits.js";
import { sendDocument } from "./send-document.js";
import { discardAll, receiveFiles, receivedFiles } from "./upload.js";
import { isRowId } from "../../lib/row-id.js";
import { sectionTitle } from "../../domain/required-documents.js";

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
    const outcome = await saveDocuments(ctx.db, storage, {
      requestId: stepCtx.draft.id,
      section: section.code,
      files,
      limits: draftLimits(section.title),
      acceptedStatuses: ["DRAFT"],
      statusRefused: "Votre demande a déjà été envoyée : ses justificatifs ne peuvent plus changer.",
    });
    if (!outcome.ok) {
      await refuse(req, res, outcome.messages.join(" "));
      return;
    }
    req.session.flash = `${outcome.count === 1 ? "1 fichier enregistré" : `${outcome.count} fichiers enregistrés`} dans « ${section.title} ».`;
    res.redirect(303, `${stepUrlFor(req, "justificatifs")}#section-${section.code}`);
  });

  // « Supprimer » first shows what will be deleted: nothing is removed by a single click.
  router.get("/demande/justificatifs/fichier/:id/supprimer", ...applicant, async (req, res) => {
    const id = String(req.params.id);
    const document = isRowId(id)
      ? await ctx.db.requestDocument.findFirst({ where: { id, request: { applicantId: req.user!.id, status: "DRAFT" } } })
      : null;
    if (!document) {
      renderNotFound(req, res);
      return;
    }
    res.render("request/confirm-delete", {
      title: `Supprimer le fichier « ${document.originalName} » ?`,
      document,
      sectionTitle: sectionTitle(document.section),
      backUrl: `${stepUrlFor(req, "justificatifs")}#section-${document.section}`,
      // Keeps « ?retour=recapitulatif » through the confirmation, like the upload forms.
      action: `/demande/justificatifs/fichier/${document.id}/supprimer${new URL(stepUrlFor(req, "justificatifs"), "http://x").search}`,
    });
  });

  router.post("/demande/justificatifs/fichier/:id/supprimer", ...applicant, async (req, res) => {
    const id = String(req.params.id);
    // Under the request's lock, like uploads and the submission: a file is never removed
    // from a request that is being submitted, nor after.
    const document = isRowId(id)
      ? await ctx.db.$transaction(async (tx) => {
          const found = await tx.requestDocument.findFirst({ where: { id, request: { applicantId: req.user!.id } } });
          if (!found) return null;
          const [locked] = await tx.$queryRaw<{ status: string }[]>`SELECT status FROM "Request" WHERE id = ${found.requestId}::uuid FOR UPDATE`;
          if (locked?.status !== "DRAFT") return null;
          await tx.requestDocument.delete({ where: { id: found.id } });
          return found;
        })
      : null;
    if (!document) {
      renderNotFound(req, res);
      return;
    }
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
