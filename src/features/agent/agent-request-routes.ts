/** A request as the agents see it: profile as submitted, answers, documents, history, notes, and the actions. */
import { Router, type Request, type Response } from "express";
import { allowedTransitions, canTransition, isFinished, MESSAGE_REQUIRED, STATUS_LABELS, TransitionRefused } from "../../domain/request-status.js";
import type { RequestStatus } from "../../generated/prisma/enums.js";
import { validityText } from "../../domain/validity.js";
import { MessageRequired } from "../my-requests/status-service.js";
import { sectionTitle } from "../../domain/required-documents.js";
import { formErrors, noErrors, type FormErrors } from "../../lib/form-errors.js";
import { typedValues } from "../../lib/forms.js";
import { renderNotFound } from "../../middleware/errors.js";
import type { DocumentStorage } from "../documents/document-storage.js";
import { sendDocument } from "../documents/send-document.js";
import { complementBatches } from "../my-requests/complements.js";
import { REQUEST_NUMBER } from "../my-requests/my-requests-service.js";
import { answerGroups } from "../request/answers.js";
import { REQUEST_TYPES } from "../../domain/request-types.js";
import { audit } from "./audit.js";
import { addNote, agentChangesStatus, parseStatusForm, revealIban, type AgentContext } from "./request-actions.js";
import { isRowId } from "../../lib/row-id.js";

/** Why a decision cannot be taken as asked, checked before asking the agent to confirm it. */
function decisionProblem(from: RequestStatus, to: RequestStatus, message: string | null): [string, string] | null {
  if (!canTransition(from, to, "agent")) return ["status", new TransitionRefused(from, to).message];
  if (MESSAGE_REQUIRED.has(to) && !message?.trim()) return ["message", new MessageRequired(to).message];
  return null;
}

/** « Prénom NOM » from the profile as submitted. */
function applicantNameOf(snapshot: unknown): string {
  const person = (snapshot ?? {}) as { firstName?: unknown; lastName?: unknown };
  return `${typeof person.firstName === "string" ? person.firstName : ""} ${typeof person.lastName === "string" ? person.lastName.toUpperCase() : ""}`.trim();
}

export function agentRequestRoutes(ctx: AgentContext, storage: DocumentStorage): Router {
  const router = Router();

  const findRequest = (number: string) =>
    REQUEST_NUMBER.test(number)
      ? ctx.db.request.findUnique({
          where: { number },
          include: {
            documents: { orderBy: { uploadedAt: "asc" } },
            statusChanges: { orderBy: { createdAt: "asc" }, include: { actor: { select: { firstName: true, lastName: true, role: true } } } },
            notes: { orderBy: { createdAt: "asc" }, include: { author: { select: { firstName: true, lastName: true } } } },
          },
        })
      : null;

  async function renderRequest(
    req: Request,
    res: Response,
    options: { errors?: FormErrors; values?: Record<string, string>; revealedIban?: string; status?: number } = {},
  ) {
    const request = await findRequest(String(req.params.number));
    if (!request) {
      renderNotFound(req, res);
      return;
    }
    const [statuts, zonages] = await Promise.all([
      ctx.db.statut.findMany(),
      ctx.db.zonage.findMany(),
      // The page shows the applicant's profile and tax figures: the spec wants
      // every opening of personal data by an agent in the audit log.
      audit(ctx.db, { actorId: req.user!.id, action: "REQUEST_VIEWED", requestId: request.id }),
    ]);
    res.setHeader("Cache-Control", "private, no-store");
    res.status(options.status ?? 200).render("agent/request", {
      title: `Demande ${request.number}`,
      request,
      snapshot: request.profileSnapshot as Record<string, unknown> & { profile?: Record<string, unknown> | null },
      groups: answerGroups(request, statuts, zonages),
      labels: STATUS_LABELS,
      types: REQUEST_TYPES,
      sectionTitle,
      transitions: allowedTransitions(request.status, "agent"),
      batches: complementBatches(request.documents),
      messageRequired: [...MESSAGE_REQUIRED],
      errors: options.errors ?? noErrors,
      values: options.values ?? {},
      revealedIban: options.revealedIban ?? null,
    });
  }

  router.get("/agent/demandes/:number", (req, res) => renderRequest(req, res));

  router.post("/agent/demandes/:number/statut", async (req, res) => {
    const request = await findRequest(String(req.params.number));
    if (!request) {
      renderNotFound(req, res);
      return;
    }
    const values = typedValues(req);
    const form = parseStatusForm(req.body ?? {});
    // A final decision is mailed at once and cannot be undone: it is restated first, and recorded once confirmed.
    if (form.ok && isFinished(form.to) && req.body?.confirmed !== "oui") {
      const problem = decisionProblem(request.status, form.to, form.message);
      if (problem) {
        await renderRequest(req, res, { errors: formErrors([problem]), values, status: 422 });
        return;
      }
      res.render("agent/confirm-decision", {
        title: `Confirmer la décision – demande ${request.number}`,
        request,
        applicantName: applicantNameOf(request.profileSnapshot),
        decision: form,
        validity: form.to === "APPROVED" && form.validFrom && form.validUntil ? validityText({ validFrom: form.validFrom, validUntil: form.validUntil }) : null,
        labels: STATUS_LABELS,
        values,
      });
      return;
    }
    const result = form.ok
      ? await agentChangesStatus(ctx, { requestId: request.id, agentId: req.user!.id, to: form.to, message: form.message, validFrom: form.validFrom, validUntil: form.validUntil })
      : form;
    if (!result.ok) {
      await renderRequest(req, res, { errors: result.errors, values, status: 422 });
      return;
    }
    req.session.flash = `La demande ${request.number} est maintenant « ${STATUS_LABELS[form.ok ? form.to : request.status]} ». Le demandeur${request.aidantEmail ? " et son aidant sont prévenus" : " est prévenu"} par e-mail.`;
    res.redirect(303, `/agent/demandes/${request.number}`);
  });

  router.post("/agent/demandes/:number/notes", async (req, res) => {
    const request = await findRequest(String(req.params.number));
    if (!request) {
      renderNotFound(req, res);
      return;
    }
    const text = typeof req.body?.note === "string" ? req.body.note.trim() : "";
    if (!text || text.length > 5000) {
      const message = text ? "La note ne doit pas dépasser 5000 caractères." : "Écrivez la note avant de l'ajouter.";
      await renderRequest(req, res, { errors: formErrors([["note", message]]), values: typedValues(req), status: 422 });
      return;
    }
    await addNote(ctx, { requestId: request.id, agentId: req.user!.id, text });
    req.session.flash = "Note ajoutée. Le demandeur ne la voit pas.";
    res.redirect(303, `/agent/demandes/${request.number}#notes`);
  });

  // A POST, not a link: revealing is a deliberate, audited action, and the page is not cached.
  router.post("/agent/demandes/:number/iban", async (req, res) => {
    const request = await findRequest(String(req.params.number));
    if (!request || !request.ibanEncrypted) {
      renderNotFound(req, res);
      return;
    }
    const iban = await revealIban(ctx, { requestId: request.id, agentId: req.user!.id, ibanEncrypted: request.ibanEncrypted, number: request.number });
    await renderRequest(req, res, { revealedIban: iban });
  });

  router.get("/agent/documents/:id", async (req, res) => {
    const id = String(req.params.id);
    const document = isRowId(id)
      ? await ctx.db.requestDocument.findFirst({ where: { id, request: { status: { not: "DRAFT" } } }, include: { request: { select: { number: true } } } })
      : null;
    if (!document) {
      renderNotFound(req, res);
      return;
    }
    await audit(ctx.db, { actorId: req.user!.id, action: "DOCUMENT_OPENED", requestId: document.requestId, details: { number: document.request.number, documentId: document.id } });
    sendDocument(res, storage, document, { inline: true });
  });

  return router;
}
