/**
 * « Je ne peux pas fournir ce document » on the documents step: declaring
 * why a section's document cannot be given, and « J'ai finalement ce
 * document ». Each section has its own small form (works without JavaScript).
 */
import { Router, type Request, type Response } from "express";
import type { DocumentSection } from "../../domain/required-documents.js";
import { typedValues } from "../../lib/forms.js";
import { applicantIdOf } from "../../middleware/acting-for.js";
import { requireLogin, requireRole } from "../../middleware/auth.js";
import { renderNotFound } from "../../middleware/errors.js";
import { paths, pathTo } from "../../paths.js";
import type { Services } from "../../services.js";
import { parseMissingDocument } from "./missing-document-form.js";
import { renderStep } from "./render-step.js";
import { stepUrlFor } from "./step-urls.js";
import { documentsStep, sectionsFor } from "./steps/documents-step.js";
import type { StepContext } from "./wizard-types.js";

type SectionHandler = (req: Request, res: Response, stepCtx: StepContext, section: DocumentSection) => Promise<void>;

export function missingDocumentRoutes({ drafts, missingDocuments }: Pick<Services, "drafts" | "missingDocuments">): Router {
  const router = Router();
  const applicant = [requireLogin, requireRole("APPLICANT")];
  const documentsStepUrl = (req: Request, section: string) => `${stepUrlFor(req, documentsStep.slug)}#section-${section}`;

  /**
   * Runs the handler on the draft of the person whose request it is (the one
   * an aidant acts for, else the person logged in) and the section named, when
   * its answers ask for it: no draft goes back to the request's start, a
   * section it does not ask for is the plain 404 page.
   */
  const forDraftSection =
    (handle: SectionHandler) =>
    async (req: Request, res: Response): Promise<void> => {
      const stepCtx = await drafts.loadStepContext(applicantIdOf(req));
      if (!stepCtx) {
        res.redirect(303, pathTo(paths.request));
        return;
      }
      const section = sectionsFor(stepCtx).find((candidate) => candidate.code === req.params.section);
      if (!section) {
        renderNotFound(req, res);
        return;
      }
      await handle(req, res, stepCtx, section);
    };

  router.post(
    paths.requestMissingDocument,
    ...applicant,
    forDraftSection(async (req, res, stepCtx, section) => {
      const parsed = parseMissingDocument(req.body, section.code);
      if (!parsed.ok) {
        renderStep(res, stepCtx, documentsStep, { errors: parsed.errors, values: typedValues(req), status: 422 });
        return;
      }
      if (!(await missingDocuments.declare(stepCtx.draft.id, section.code, parsed.data))) {
        res.redirect(303, pathTo(paths.request));
        return;
      }
      req.session.flash = `Votre réponse est enregistrée : « ${section.title} » ne sera pas fourni.`;
      res.redirect(303, documentsStepUrl(req, section.code));
    }),
  );

  router.post(
    paths.requestMissingDocumentWithdraw,
    ...applicant,
    forDraftSection(async (req, res, stepCtx, section) => {
      await missingDocuments.withdraw(stepCtx.draft.id, section.code);
      req.session.flash = `Vous pouvez maintenant ajouter « ${section.title} ».`;
      res.redirect(303, documentsStepUrl(req, section.code));
    }),
  );

  return router;
}
