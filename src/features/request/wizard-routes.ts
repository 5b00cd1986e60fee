/**
 * « Créer ou compléter ma demande »: the terms of use, then one generic
 * handler for every step of the registry.
 */
import { Router, type Request, type Response } from "express";
import { formErrors, noErrors, type FormErrors } from "../../lib/form-errors.js";
import { renderForm, typedValues } from "../../lib/forms.js";
import { requireLogin, requireRole } from "../../middleware/auth.js";
import { renderNotFound } from "../../middleware/errors.js";
import { canStartRequest, loadStepContext, saveStep, startDraft, submitDraft, type RequestContext } from "./draft-service.js";
import { findStep, resumeStep, stepStates, type StepState } from "./registry.js";
import type { StepContext, WizardStep } from "./wizard-types.js";
import { isRowId } from "../../lib/row-id.js";
import { findOpenRequest } from "../my-requests/my-requests-service.js";
import { takeKeptInput } from "./expired-session.js";
import { STATUS_LABELS } from "../status/request-status.js";

const TITLE = "Ma demande de Forfait Améthyste";

export const stepUrl = (slug: string) => `/demande/etape/${slug}`;

const SUMMARY = "recapitulatif";

/**
 * « Modifier » on the récapitulatif: its link carries ?retour=recapitulatif
 * and the step's form keeps it in a hidden field, so that « Suivant » comes
 * back to the récapitulatif instead of walking through every following step.
 */
export function returningToSummary(req: Request): boolean {
  return req.query.retour === SUMMARY || (req.body as Record<string, unknown> | undefined)?.retour === SUMMARY;
}

/** A step's address, keeping the way back to the récapitulatif if the person is on it. */
export function stepUrlFor(req: Request, slug: string): string {
  return returningToSummary(req) && slug !== SUMMARY ? `${stepUrl(slug)}?retour=${SUMMARY}` : stepUrl(slug);
}

/** The form's own controls, not answers: never kept as typed input. */
const CONTROL_FIELDS = ["action", "draftId", "retour"];

export function renderStep(
  res: Response,
  ctx: StepContext,
  step: WizardStep,
  options: { values?: Record<string, string>; errors?: FormErrors; reasons?: string[]; status?: number; restoredInput?: Record<string, string> | null } = {},
) {
  const states = stepStates(ctx);
  const index = states.findIndex((state) => state.step.slug === step.slug);
  const current = states[index]!;
  const pending = ((ctx.draft.pendingInput as Record<string, Record<string, string>> | null) ?? {})[step.slug];
  renderForm(res, step.view, {
    title: `${step.title} – Étape ${current.number} sur ${states.length}`,
    step,
    states,
    current,
    total: states.length,
    previous: states[index - 1] ?? null,
    draft: ctx.draft,
    values: options.values ?? { ...step.formValues(ctx), ...(pending ?? {}), ...(options.restoredInput ?? {}) },
    restoredInput: Boolean(options.restoredInput),
    errors: options.errors ?? noErrors,
    reasons: options.reasons ?? [],
    returnToSummary: returningToSummary(res.req) && step.slug !== SUMMARY,
    ...(options.status ? { status: options.status } : {}),
    ...(step.locals?.(ctx) ?? {}),
  });
}

function renderOpenRequest(res: Response, open: NonNullable<Awaited<ReturnType<typeof findOpenRequest>>>, status: number) {
  res.status(status).render("request/open-request", { title: `${TITLE} – Vous avez déjà une demande en cours`, open, statusLabel: STATUS_LABELS[open.status] });
}

function neighbour(states: StepState[], slug: string, offset: 1 | -1): string {
  const index = states.findIndex((state) => state.step.slug === slug);
  return (states[index + offset] ?? states[index]!).step.slug;
}

export function wizardRoutes(ctx: RequestContext): Router {
  const router = Router();
  router.use("/demande", requireLogin, requireRole("APPLICANT"));

  // The request needs a complete profile: say so, and link to it.
  router.use("/demande", async (req, res, next) => {
    if (await canStartRequest(ctx.db, req.user!.id)) {
      next();
      return;
    }
    res.render("request/profile-required", { title: TITLE });
  });

  // One open request at a time: while one waits for its answer, say where it
  // stands instead of starting or changing another (forms and uploads too).
  router.use("/demande", async (req, res, next) => {
    const open = await findOpenRequest(ctx.db, req.user!.id);
    // A replayed « Envoyer » of the request just submitted goes on to its confirmation.
    const replayOfOpen = open && req.method === "POST" && (req.body as Record<string, unknown> | undefined)?.draftId === open.id;
    if (!open || replayOfOpen) {
      next();
      return;
    }
    renderOpenRequest(res, open, req.method === "GET" ? 200 : 409);
  });

  router.get("/demande", async (req, res) => {
    const stepCtx = await loadStepContext(ctx, req.user!.id);
    if (stepCtx) {
      res.redirect(stepUrl(resumeStep(stepStates(stepCtx)).step.slug));
      return;
    }
    renderForm(res, "request/terms", { title: TITLE });
  });

  router.post("/demande", async (req, res) => {
    if (req.body?.acceptTerms !== "on") {
      renderForm(res, "request/terms", {
        title: TITLE,
        errors: formErrors([["acceptTerms", "Cochez la case pour accepter les termes d'utilisation et commencer votre demande."]]),
      });
      return;
    }
    // Started, or refused because a request was submitted meanwhile: /demande says which.
    await startDraft(ctx, req.user!.id);
    res.redirect(303, "/demande");
  });

  /** The step if it applies and has been reached; otherwise a redirect (or 404) and null. */
  async function openStep(req: Request, res: Response): Promise<{ stepCtx: StepContext; step: WizardStep } | null> {
    const step = findStep(String(req.params.slug));
    if (!step) {
      renderNotFound(req, res);
      return null;
    }
    const stepCtx = await loadStepContext(ctx, req.user!.id);
    if (!stepCtx) {
      res.redirect(303, "/demande");
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

  router.get("/demande/etape/:slug", async (req, res) => {
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
    const draftId = req.body?.draftId;
    if (req.params.slug !== "avis" || !isRowId(draftId)) return false;
    const submitted = await ctx.db.request.findFirst({ where: { id: draftId, applicantId: req.user!.id, number: { not: null } } });
    if (!submitted) return false;
    res.redirect(303, `/mes-demandes/${submitted.number}/confirmation`);
    return true;
  }

  router.post("/demande/etape/:slug", async (req, res) => {
    if (await redirectIfSubmitted(req, res)) return;
    const opened = await openStep(req, res);
    if (!opened) return;
    const { stepCtx, step } = opened;
    const body = (req.body ?? {}) as Record<string, unknown>;
    const action = body.action === "precedent" ? "precedent" : body.action === "envoyer" ? "envoyer" : "suivant";
    const outcome = step.submit(body, stepCtx);

    if (outcome.kind === "invalid") {
      if (action === "precedent") {
        // Going back never loses what was typed: keep it unsaved, show it again on return.
        await saveStep(ctx, stepCtx, { slug: step.slug, data: {}, done: false, pending: typedValues(req, [...CONTROL_FIELDS, ...(step.sensitiveFields ?? [])]) });
        res.redirect(303, stepUrlFor(req, neighbour(stepStates(stepCtx), step.slug, -1)));
        return;
      }
      renderStep(res, stepCtx, step, { values: typedValues(req, CONTROL_FIELDS), errors: outcome.errors });
      return;
    }

    const stored = await saveStep(ctx, stepCtx, { slug: step.slug, data: outcome.data, done: outcome.kind === "saved", pending: null });
    const saved = stored ? await loadStepContext(ctx, req.user!.id) : null;
    if (!saved) {
      if (!(await redirectIfSubmitted(req, res))) res.redirect(303, "/demande");
      return;
    }
    if (outcome.kind === "blocked" && action !== "precedent") {
      renderStep(res, saved, step, { reasons: outcome.reasons });
      return;
    }
    if (action === "envoyer" && step.slug === "avis") {
      const result = await submitDraft(ctx, req.user!.id, saved.draft.id);
      if (result.kind === "submitted") res.redirect(303, `/mes-demandes/${result.number}/confirmation`);
      else if (result.kind === "incomplete") res.redirect(303, stepUrl(result.slug));
      // No draft any more, or another request already open: /demande says where things stand.
      else res.redirect(303, "/demande");
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
