/**
 * The files of the draft's « Justificatifs »: adding them to a section, and
 * removing one after a confirmation page. The files themselves are the
 * document service's business; these routes only speak for the wizard.
 */
import { Router, type Request, type Response } from "express";
import { sectionTitle } from "../../domain/required-documents.js";
import { formErrors } from "../../lib/form-errors.js";
import { isRowId } from "../../lib/row-id.js";
import { requireLogin, requireRole } from "../../middleware/auth.js";
import { applicantIdOf } from "../../middleware/acting-for.js";
import { renderNotFound } from "../../middleware/errors.js";
import { paths, pathTo } from "../../paths.js";
import type { Services } from "../../services.js";
import { receivedFiles } from "../documents/upload.js";
import { draftLimits } from "../documents/upload-limits.js";
import { renderStep } from "./render-step.js";
import { returningToSummary, stepUrlFor, withReturnToSummary } from "./step-urls.js";
import { documentsStep, sectionsFor } from "./steps/documents-step.js";

export function draftDocumentRoutes({ drafts, documents, missingDocuments }: Pick<Services, "drafts" | "documents" | "missingDocuments">): Router {
  const router = Router();
  const applicant = [requireLogin, requireRole("APPLICANT")];
  /** The documents step, at the section named, keeping the way back to the récapitulatif. */
  const documentsStepUrl = (req: Request, section: string) => `${stepUrlFor(req, documentsStep.slug)}#section-${section}`;

  const refuse = async (req: Request, res: Response, message: string) => {
    const stepCtx = await drafts.loadStepContext(applicantIdOf(req));
    if (!stepCtx) {
      res.redirect(303, pathTo(paths.request));
      return;
    }
    renderStep(res, stepCtx, documentsStep, { errors: formErrors([[`section-${String(req.params.section)}`, message]]), status: 422 });
  };

  router.post(paths.requestDocuments, ...applicant, ...documents.receive("fichiers", refuse), async (req, res) => {
    const files = receivedFiles(req);
    const stepCtx = await drafts.loadStepContext(applicantIdOf(req));
    const section = stepCtx ? sectionsFor(stepCtx).find((candidate) => candidate.code === req.params.section) : undefined;
    if (!stepCtx || !section) {
      await documents.discard(files);
      if (stepCtx) renderNotFound(req, res);
      else res.redirect(303, pathTo(paths.request));
      return;
    }
    if (files.length === 0) {
      await refuse(req, res, `Sélectionnez au moins un fichier pour « ${section.title} », puis cliquez sur « Enregistrer ».`);
      return;
    }
    const outcome = await documents.save({
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
    // A file added replaces « Je ne peux pas fournir ce document ».
    await missingDocuments.withdraw(stepCtx.draft.id, section.code);
    req.session.flash = `${outcome.count === 1 ? "1 fichier enregistré" : `${outcome.count} fichiers enregistrés`} dans « ${section.title} ».`;
    res.redirect(303, documentsStepUrl(req, section.code));
  });

  // « Supprimer » first shows what will be deleted: nothing is removed by a single click.
  router.get(paths.requestDocumentDelete, ...applicant, async (req, res) => {
    const id = String(req.params.id);
    const document = isRowId(id) ? await documents.findInDraft(applicantIdOf(req), id) : null;
    if (!document) {
      renderNotFound(req, res);
      return;
    }
    res.render("request/confirm-delete", {
      title: `Supprimer le fichier « ${document.originalName} » ?`,
      document,
      sectionTitle: sectionTitle(document.section),
      backUrl: documentsStepUrl(req, document.section),
      // Keeps « ?retour=recapitulatif » through the confirmation, like the upload forms.
      action: returningToSummary(req)
        ? withReturnToSummary(pathTo(paths.requestDocumentDelete, { id: document.id }))
        : pathTo(paths.requestDocumentDelete, { id: document.id }),
    });
  });

  router.post(paths.requestDocumentDelete, ...applicant, async (req, res) => {
    const id = String(req.params.id);
    const document = isRowId(id) ? await documents.removeFromDraft(applicantIdOf(req), id) : null;
    if (!document) {
      renderNotFound(req, res);
      return;
    }
    req.session.flash = `Le fichier « ${document.originalName} » a été supprimé.`;
    res.redirect(303, documentsStepUrl(req, document.section));
  });

  return router;
}
