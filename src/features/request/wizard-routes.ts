/**
 * « Créer ou compléter ma demande »: the terms of use, then one generic
 * handler for every step of the registry. The routes parse what is posted,
 * call the draft service, and render; they never query the database.
 */
import { Router, type Request, type Response } from "express";
import { z } from "zod";
import { STATUS_LABELS } from "../status/request-status.js";
import { typedValues, parseForm, renderForm } from "../../lib/forms.js";
import { isRowId } from "../../lib/row-id.js";
import { requireLogin, requireRole } from "../../middleware/auth.js";
import { applicantIdOf } from "../../middleware/acting-for.js";
import { renderNotFound } from "../../middleware/errors.js";
import { paths, pathTo } from "../../paths.js";
import type { Services } from "../../services.js";
import type { ApplicantState, OpenRequest } from "./draft-service.js";
import { takeKeptInput } from "./expired-session.js";
import { findStep, resumeStep, stepStates } from "./registry.js";
import { renderStep } from "./render-step.js";
import { returningToSummary, stepUrl, stepUrlFor, SUMMARY } from "./step-urls.js";
import type { StepContext, StepState, WizardStep } from "./wizard-types.js";

const TITLE = "Ma demande de Forfait Améthyste";

/** The form's own controls, not answers: never kept as typed input. */
const CONTROL_FIELDS = ["action", "draftId", "retour"];

/** What every step's form posts besides its fields: the button pressed and the draft it was shown for. */
const controlsSchema = z.object({
  action: z.enum(["precedent", "envoyer", "suivant"]).catch("suivant"),
  draftId: z.string().optional().catch(undefined),
});

function controls(req: Request) {
  return controlsSchema.catch({ action: "suivant", draftId: undefined }).parse(req.body ?? {});
}

const termsSchema = z.object({
  acceptTerms: z.literal("on", { error: "Cochez la case pour accepter les termes d'utilisation et commencer votre demande." }),
});

function renderOpenRequest(res: Response, open: OpenRequest, status: number) {
  res.status(status).render("request/open-request", { title: `${TITLE} – Vous avez déjà une demande en cours`, open, statusLabel: STATUS_LABELS[open.status] });
}

function neighbour(states: StepState[], slug: string, offset: 1 | -1): string {
  const index = states.findIndex((state) => state.step.slug === slug);
  return (states[index + offset] ?? states[index]!).step.slug;
}

export function wizardRoutes({ drafts }: Pick<Services, "drafts">): Router {
  const router = Router();
  router.use(paths.request, requireLogin, requireRole("APPLICANT"));

  // What the guards below and the step need, read once per request.
  const states = new WeakMap<Request, ApplicantState>();
  router.use(paths.request, async (req, _res, next) => {
    states.set(req, await drafts.loadApplicantState(applicantIdOf(req)));
    next();
  });

  /** The draft as read at the start of this request (the guards' read), or read now. */
  async function stepContextOf(req: Request): Promise<StepContext | null> {
    const state = states.get(req);
    return state ? state.stepCtx : drafts.loadStepContext(applicantIdOf(req));
  }

  // The request needs a complete profile: say so, and link to it.
  router.use(paths.request, (req, res, next) => {
    if (states.get(req)?.profileComplete) {
      next();
      return;
    }
    res.render("request/profile-required", { title: TITLE });
  });

  // One open request at a time: while one waits for its answer, say where it
  // stands instead of starting or changing another (forms and uploads too).
  router.use(paths.request, (req, res, next) => {
    const open = states.get(req)?.open ?? null;
    // A replayed « Envoyer » of the request just submitted goes on to its confirmation.
    const replayOfOpen = open && req.method === "POST" && controls(req).draftId === open.id;
    if (!open || replayOfOpen) {
      next();
      return;
    }
    renderOpenRequest(res, open, req.method === "GET" ? 200 : 409);
  });

  router.get(paths.request, async (req, res) => {
    const stepCtx = await stepContextOf(req);
    if (stepCtx) {
      res.redirect(stepUrl(resumeStep(stepStates(stepCtx)).step.slug));
      return;
    }
    renderForm(res, "request/terms", { title: TITLE });
  });

  router.post(paths.request, async (req, res) => {
    const terms = parseForm(termsSchema, req);
    if (!terms.ok) {
      renderForm(res, "request/terms", { title: TITLE, errors: terms.errors });
      return;
    }
    // Started, or refused because a request was submitted meanwhile: /demande says which.
    await drafts.startDraft(applicantIdOf(req));
    res.redirect(303, pathTo(paths.request));
  });

  /** The step if it applies and has been reached; otherwise a redirect (or 404) and null. */
  async function openStep(req: Request, res: Response): Promise<{ stepCtx: StepContext; step: WizardStep } | null> {
    const step = findStep(String(req.params.slug));
    if (!step) {
      renderNotFound(req, res);
      return null;
    }
    const stepCtx = await stepContextOf(req);
    if (!stepCtx) {
      res.redirect(303, pathTo(paths.request));
      return null;
    }
    const states = stepStates(stepCtx);
    const state = states.find((candidate) => candidate.step.slug === step.slug);
    if (!state || !state.reachable) {
      // Not applicable to this request, or not reached yet: back to where the request stands.
      res.redirect(303, stepUrl(resumeStep(states).step.slug));
      return null;
    }
    return { stepCtx, step };
  }

  router.get(paths.requestStep, async (req, res) => {
    const opened = await openStep(req, res);
    if (!opened) return;
    // What was typed when the session expired, shown once (not saved before « Suivant »).
    const restoredInput = takeKeptInput(req, opened.step.slug, opened.stepCtx.draft.id);
    renderStep(res, opened.stepCtx, opened.step, { restoredInput });
  });

  /**
   * After « Envoyer », a replayed or double-clicked POST finds no draft: it is
   * shown the request the first one created. True when it redirected.
   */
  async function redirectIfSubmitted(req: Request, res: Response): Promise<boolean> {
    const { draftId } = controls(req);
    if (!findStep(String(req.params.slug))?.submits || !isRowId(draftId)) return false;
    const number = await drafts.submittedNumber(applicantIdOf(req), draftId);
    if (!number) return false;
    res.redirect(303, pathTo(paths.myRequestConfirmation, { number }));
    return true;
  }

  router.post(paths.requestStep, async (req, res) => {
    if (await redirectIfSubmitted(req, res)) return;
    const opened = await openStep(req, res);
    if (!opened) return;
    const { stepCtx, step } = opened;
    const { action } = controls(req);
    const outcome = step.submit(req.body, stepCtx, drafts.stepDependencies);

    if (outcome.kind === "invalid") {
      if (action === "precedent") {
        // Going back never loses what was typed: keep it unsaved, show it again on return.
        await drafts.saveStep(stepCtx, {
          slug: step.slug,
          data: {},
          done: false,
          pending: typedValues(req, [...CONTROL_FIELDS, ...(step.sensitiveFields ?? [])]),
        });
        res.redirect(303, stepUrlFor(req, neighbour(stepStates(stepCtx), step.slug, -1)));
        return;
      }
      renderStep(res, stepCtx, step, { values: typedValues(req, CONTROL_FIELDS), errors: outcome.errors });
      return;
    }

    const saved = await drafts.saveStep(stepCtx, { slug: step.slug, data: outcome.data, done: outcome.kind === "saved", pending: null });
    if (!saved) {
      if (!(await redirectIfSubmitted(req, res))) res.redirect(303, pathTo(paths.request));
      return;
    }
    if (outcome.kind === "blocked" && action !== "precedent") {
      renderStep(res, saved, step, { reasons: outcome.reasons });
      return;
    }
    if (action === "envoyer" && step.submits) {
      const result = await drafts.submitDraft(applicantIdOf(req), saved.draft.id, req.user!.id);
      if (result.kind === "submitted") res.redirect(303, pathTo(paths.myRequestConfirmation, { number: result.number }));
      else if (result.kind === "incomplete") res.redirect(303, stepUrl(result.slug));
      // No draft any more, or another request already open: /demande says where things stand.
      else res.redirect(303, pathTo(paths.request));
      return;
    }
    const states = stepStates(saved);
    const resume = resumeStep(states);
    if (action === "suivant" && returningToSummary(req)) {
      // Back to the récapitulatif once every step before it is complete; else
      // first to the step the change made necessary (a RIB…), keeping the way back.
      const summaryReached = states.find((state) => state.step.slug === SUMMARY)?.reachable ?? false;
      res.redirect(303, stepUrlFor(req, summaryReached ? SUMMARY : resume.step.slug));
      return;
    }
    const target = action === "precedent" ? neighbour(states, step.slug, -1) : neighbour(states, step.slug, 1);
    // « Suivant » never jumps over a step that is still incomplete.
    const next = action === "suivant" && states.findIndex((s) => s.step.slug === target) > states.indexOf(resume) ? resume.step.slug : target;
    res.redirect(303, stepUrlFor(req, next));
  });

  return router;
}
