/** A request as the agents see it: profile as submitted, answers, documents, history, notes, and the actions. */
import { Router, type Request, type Response } from "express";
import { z } from "zod";
import { sectionTitle } from "../../domain/required-documents.js";
import { formErrors, noErrors, type FormErrors } from "../../lib/form-errors.js";
import { parseForm, typedValues } from "../../lib/forms.js";
import { renderNotFound } from "../../middleware/errors.js";
import { pathTo, paths } from "../../paths.js";
import type { DocumentStorage } from "../documents/document-storage.js";
import { sendDocument } from "../documents/send-document.js";
import { complementBatches } from "../my-requests/complements.js";
import { answerGroups } from "../request/answers.js";
import { REQUEST_TYPES } from "../../domain/request-types.js";
import {
  allowedTransitions,
  canTransition,
  isFinished,
  MESSAGE_REQUIRED,
  STATUS_LABELS,
  TransitionRefused,
  type RequestStatus,
} from "../status/request-status.js";
import { MessageRequired } from "../status/status-service.js";
import { validityText } from "../../domain/validity.js";
import { ASSIGNMENT_FORM_UNREADABLE, assignmentForm, noteForm, STATUS_FORM_FIELDS, statusForm } from "./agent-forms.js";
import { conflictMessage } from "./assignment.js";
import { personName } from "../../views/format.js";
import type { AgentRequestService } from "./agent-request-service.js";

/** Why a decision cannot be taken as asked, checked before asking the agent to confirm it. */
function decisionProblem(from: RequestStatus, to: RequestStatus, message: string | null): [string, string] | null {
  if (!canTransition(from, to, "agent")) return ["status", new TransitionRefused(from, to).message];
  if (MESSAGE_REQUIRED.has(to) && !message?.trim()) return ["message", new MessageRequired(to).message];
  return null;
}

/**
 * The profile as submitted (a JSON column written at submission), read back
 * through a schema: a name missing from an old row shows empty, never as
 * « undefined », and a row that is not a profile at all shows « — ».
 */
const submittedProfile = z
  .looseObject({
    firstName: z.string().catch(""),
    lastName: z.string().catch(""),
    email: z.string().catch(""),
    profile: z.record(z.string(), z.unknown()).nullable().catch(null),
  })
  .nullable()
  .catch(null);

/** « Prénom NOM » from the profile as submitted. */
function applicantNameOf(snapshot: z.infer<typeof submittedProfile>): string {
  return snapshot ? personName(snapshot).trim() : "";
}

export function agentRequestRoutes(requests: AgentRequestService, storage: DocumentStorage): Router {
  const router = Router();

  async function renderRequest(
    req: Request<{ number: string }>,
    res: Response,
    options: { errors?: FormErrors; values?: Record<string, string>; revealedIban?: string; status?: number } = {},
  ) {
    const request = await requests.find(req.params.number);
    if (!request) {
      renderNotFound(req, res);
      return;
    }
    const { statuts, zonages } = await requests.openPage({ requestId: request.id, agentId: req.user!.id });
    res.setHeader("Cache-Control", "private, no-store");
    res.status(options.status ?? 200).render("agent/request", {
      title: `Demande ${request.number}`,
      request,
      snapshot: submittedProfile.parse(request.profileSnapshot),
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
      // A finished request keeps its assignee, who may let it go; nobody takes it any more.
      canTakeRequest: !isFinished(request.status) && request.assignedAgentId !== req.user!.id,
    });
  }

  router.get(paths.agentRequest, (req, res) => renderRequest(req, res));

  router.post(paths.agentRequestStatus, async (req, res) => {
    const request = await requests.find(req.params.number);
    if (!request) {
      renderNotFound(req, res);
      return;
    }
    const values = typedValues(req);
    const form = parseForm(statusForm, req, STATUS_FORM_FIELDS);
    // A final decision is mailed at once and cannot be undone: it is restated first, and recorded once confirmed.
    if (form.ok && isFinished(form.data.to) && !form.data.confirmed) {
      const problem = decisionProblem(request.status, form.data.to, form.data.message);
      if (problem) {
        await renderRequest(req, res, { errors: formErrors([problem]), values, status: 422 });
        return;
      }
      const decision = form.data;
      res.render("agent/confirm-decision", {
        title: `Confirmer la décision – demande ${request.number}`,
        request,
        applicantName: applicantNameOf(submittedProfile.parse(request.profileSnapshot)),
        decision,
        validity:
          decision.to === "APPROVED" && decision.validFrom && decision.validUntil
            ? validityText({ validFrom: decision.validFrom, validUntil: decision.validUntil })
            : null,
        labels: STATUS_LABELS,
        values,
      });
      return;
    }
    const result = form.ok ? await requests.changeStatus({ requestId: request.id, agentId: req.user!.id, ...form.data }) : form;
    if (!result.ok) {
      await renderRequest(req, res, { errors: result.errors, values, status: 422 });
      return;
    }
    req.session.flash = `La demande ${request.number} est maintenant « ${STATUS_LABELS[form.ok ? form.data.to : request.status]} ». Le demandeur${request.aidantEmail ? " et son aidant sont prévenus" : " est prévenu"} par e-mail.`;
    res.redirect(303, pathTo(paths.agentRequest, { number: req.params.number }));
  });

  /** « Me l'attribuer » (assign) and « Ne plus me l'attribuer »: the page again with a message when another agent was faster. */
  const assignmentRoute = (assign: boolean) => async (req: Request<{ number: string }>, res: Response) => {
    const request = await requests.find(req.params.number);
    if (!request) {
      renderNotFound(req, res);
      return;
    }
    const form = assignmentForm(assign).safeParse(req.body ?? {});
    if (!form.success) {
      await renderRequest(req, res, { errors: formErrors([["attribution", ASSIGNMENT_FORM_UNREADABLE]]), status: 422 });
      return;
    }
    const agentId = req.user!.id;
    const result = await requests.changeAssignment({ requestId: request.id, agentId, expected: form.data.attribueeA, assign });
    if (!result.ok) {
      await renderRequest(req, res, { errors: formErrors([["attribution", conflictMessage(result, agentId)]]), status: 409 });
      return;
    }
    req.session.flash = !assign
      ? `La demande ${request.number} ne vous est plus attribuée.`
      : result.previous
        ? `La demande ${request.number} vous est attribuée. Elle était attribuée à ${personName(result.previous)}.`
        : `La demande ${request.number} vous est attribuée.`;
    res.redirect(303, pathTo(paths.agentRequest, { number: req.params.number }));
  };
  router.post(paths.agentRequestAssign, assignmentRoute(true));
  router.post(paths.agentRequestUnassign, assignmentRoute(false));

  router.post(paths.agentRequestNotes, async (req, res) => {
    const request = await requests.find(req.params.number);
    if (!request) {
      renderNotFound(req, res);
      return;
    }
    const form = parseForm(noteForm, req, ["note"]);
    if (!form.ok) {
      await renderRequest(req, res, { errors: form.errors, values: typedValues(req), status: 422 });
      return;
    }
    await requests.addNote({ requestId: request.id, agentId: req.user!.id, text: form.data.note });
    req.session.flash = "Note ajoutée. Le demandeur ne la voit pas.";
    res.redirect(303, `${pathTo(paths.agentRequest, { number: req.params.number })}#notes`);
  });

  // A POST, not a link: revealing is a deliberate, audited action, and the page is not cached.
  router.post(paths.agentRequestIban, async (req, res) => {
    const request = await requests.find(req.params.number);
    if (!request?.ibanEncrypted) {
      renderNotFound(req, res);
      return;
    }
    const iban = await requests.revealIban({ requestId: request.id, agentId: req.user!.id, ibanEncrypted: request.ibanEncrypted, number: request.number });
    await renderRequest(req, res, { revealedIban: iban });
  });

  router.get(paths.agentDocument, async (req, res) => {
    const document = await requests.openDocument({ documentId: req.params.id, agentId: req.user!.id });
    if (!document) {
      renderNotFound(req, res);
      return;
    }
    sendDocument(res, storage, document, { inline: true });
  });

  return router;
}
