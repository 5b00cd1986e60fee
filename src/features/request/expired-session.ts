/**
 * The idle logout (30 minutes, src/middleware/session.ts) must not lose what
 * was typed. A wizard step posted after the session ended would fail the CSRF
 * check (« Le formulaire a expiré ») with nothing kept. Instead, its fields
 * wait in the browser's new, anonymous session — a row of the session store,
 * never the URL or the logs, and never the IBAN — and the person is sent to
 * « Connexion ». Once they are logged in again, the step shows what they had
 * typed, to check and save with « Suivant »: not saved before, because it was
 * never validated and the person has not seen it since. The same happens to
 * a logged-in person whose form expired (a login in another tab renews the
 * session and its CSRF token): back to the step, with what they typed.
 *
 * Only a post from this site (Origin or Referer, Sec-Fetch-Site) by a browser
 * that still sends its session cookie is kept, so another site cannot plant
 * answers in someone's form; and only for the draft named by the form, shown
 * only to that draft's owner.
 */
import type { ErrorRequestHandler, Request, RequestHandler } from "express";
import { match } from "path-to-regexp";
import { z } from "zod";
import type { Queryable } from "../../db/prisma.js";
import { isRowId } from "../../lib/row-id.js";
import { isInvalidCsrfToken } from "../../middleware/csrf.js";
import { SESSION_COOKIE } from "../../middleware/session.js";
import { paths, pathTo } from "../../paths.js";
import { findStep } from "./registry.js";
import { stepUrl, SUMMARY, withReturnToSummary } from "./step-urls.js";

// Not decoded: a slug is plain ASCII, and a malformed escape must not throw here.
const stepPost = match<{ slug: string }>(paths.requestStep, { decode: false });
/** Whatever was posted, read as fields: only the text ones are kept. */
const postedFields = z.record(z.string(), z.unknown()).catch({});
/** The form's own controls, not answers. */
const CONTROL_FIELDS = ["_csrf", "action", "draftId", "retour"];
const MAX_FIELDS = 40;
const MAX_LENGTH = 2000;

export const SESSION_EXPIRED_MESSAGE = "Votre session a expiré après 30 minutes sans activité. Reconnectez-vous : ce que vous aviez saisi est conservé.";

/** What waits in the session store (JSON) until the person is back: read through this schema. */
const keptStepInputSchema = z.object({ slug: z.string(), draftId: z.string(), values: z.record(z.string(), z.string()) });

export type KeptStepInput = z.infer<typeof keptStepInputSchema>;

function postedFromThisSite(req: Request): boolean {
  const fetchSite = req.get("Sec-Fetch-Site");
  if (fetchSite && fetchSite !== "same-origin") return false;
  const source = req.get("Origin") ?? req.get("Referer");
  if (!source) return false;
  try {
    return new URL(source).host === req.get("Host");
  } catch {
    return false;
  }
}

/** The step a same-site POST of this browser is for, with its draft; null for anything else. */
function keepableStep(req: Request) {
  const matched = req.method === "POST" ? stepPost(req.path) : false;
  const step = matched ? findStep(matched.params.slug) : undefined;
  const body = postedFields.parse(req.body ?? {});
  const hadSession = (req.get("Cookie") ?? "").includes(`${SESSION_COOKIE}=`);
  if (!step || !hadSession || !isRowId(body.draftId) || !postedFromThisSite(req)) return null;
  return { step, body, draftId: body.draftId };
}

/** Keeps the posted fields in the session (never the step's sensitive ones); the address of the step to come back to. */
function keepStepInput(req: Request, kept: NonNullable<ReturnType<typeof keepableStep>>): string {
  const omit = [...CONTROL_FIELDS, ...(kept.step.sensitiveFields ?? [])];
  const values: Record<string, string> = {};
  for (const [name, value] of Object.entries(kept.body).slice(0, MAX_FIELDS)) {
    if (typeof value !== "string" || omit.includes(name) || /password|mot.?de.?passe/i.test(name)) continue;
    values[name] = value.slice(0, MAX_LENGTH);
  }
  req.session.keptStepInput = { slug: kept.step.slug, draftId: kept.draftId, values };
  return kept.body.retour === SUMMARY ? withReturnToSummary(stepUrl(kept.step.slug)) : stepUrl(kept.step.slug);
}

/** Mounted before the CSRF check: a step posted without a session keeps its fields for after login. */
export const keepInputOfExpiredSession: RequestHandler = (req, res, next) => {
  const kept = req.user ? null : keepableStep(req);
  if (!kept) {
    next();
    return;
  }
  req.session.returnTo = keepStepInput(req, kept);
  req.session.flash = SESSION_EXPIRED_MESSAGE;
  res.redirect(303, pathTo(paths.login));
};

/**
 * Mounted before the CSRF error page: a logged-in person whose form expired
 * (they logged in again in another tab, which renews the session) finds the
 * step again with what they typed, instead of « Le formulaire a expiré ».
 */
export const keepInputOfExpiredForm: ErrorRequestHandler = (error, req, res, next) => {
  const kept = isInvalidCsrfToken(error) && req.user ? keepableStep(req) : null;
  if (!kept) {
    next(error);
    return;
  }
  res.redirect(303, keepStepInput(req, kept));
};

/**
 * At login the session is replaced (no fixation): what was kept goes over to
 * the new one only if the draft is the person's own.
 */
export async function carryKeptInput(db: Queryable, req: Request, kept: KeptStepInput | undefined, userId: string): Promise<void> {
  if (!kept) return;
  const ownDraft = await db.request.count({ where: { id: kept.draftId, applicantId: userId, status: "DRAFT" } });
  if (ownDraft > 0) req.session.keptStepInput = kept;
}

/** The values typed before the session expired for this step of this draft, once; null when none. */
export function takeKeptInput(req: Request, slug: string, draftId: string): Record<string, string> | null {
  const stored = req.session.keptStepInput;
  if (stored === undefined) return null;
  const parsed = keptStepInputSchema.safeParse(stored);
  if (parsed.success && parsed.data.slug !== slug) return null;
  delete req.session.keptStepInput;
  return parsed.success && parsed.data.draftId === draftId ? parsed.data.values : null;
}
