/**
 * Synchronizer tokens (csrf-sync): the token lives in the session and every
 * form carries it in the hidden field `_csrf`.
 */
import type { ErrorRequestHandler, Request, RequestHandler } from "express";
import { csrfSync } from "csrf-sync";
import { matchesAny, paths } from "../paths.js";
import { safeReturnPath } from "./auth.js";

/**
 * File uploads are multipart: their body, token included, is only read by
 * multer inside the upload route, which checks the token itself right after
 * (src/features/documents/upload.ts). Only these paths are let through here;
 * a multipart POST anywhere else still needs a token it cannot provide.
 */
export const isUploadPath = matchesAny([paths.requestDocuments, paths.myRequestComplements]);

const { csrfSynchronisedProtection, generateToken, invalidCsrfTokenError } = csrfSync({
  getTokenFromRequest: (req) => {
    const body = req.body as Record<string, unknown> | undefined;
    return typeof body?._csrf === "string" ? body._csrf : undefined;
  },
});

/** The check itself, for the upload routes to run once multer has read the body. */
export const csrfProtection: RequestHandler = csrfSynchronisedProtection;

/** The check every route gets, except the upload routes' multipart bodies (checked there). */
export const csrfProtectionUnlessUpload: RequestHandler = (req, res, next) => {
  if (req.method === "POST" && req.is("multipart/form-data") && isUploadPath(req.path)) {
    next();
    return;
  }
  csrfSynchronisedProtection(req, res, next);
};

/**
 * Gives views `csrfToken()`. A function, so that a page without a form does
 * not create a session for a visitor who is not logged in.
 */
export const csrfTokenForViews: RequestHandler = (req, res, next) => {
  res.locals.csrfToken = () => generateToken(req);
  next();
};

/**
 * The page that showed the form, to go back to it: the form posted from
 * there (Referer, same site only), since many forms post to an address that
 * has no page of its own. Home when the browser does not say.
 */
function formPage(req: Request): string {
  const referer = req.get("Referer");
  if (!referer) return paths.home;
  try {
    const url = new URL(referer);
    return url.host === req.get("Host") ? (safeReturnPath(url.pathname + url.search) ?? paths.home) : paths.home;
  } catch {
    // Not a URL: the home page, as for a browser that does not say.
    return paths.home;
  }
}

export function isInvalidCsrfToken(error: unknown): boolean {
  return error === invalidCsrfTokenError;
}

/** A missing or wrong token: 403 with a page that explains the form expired. */
export const csrfErrorHandler: ErrorRequestHandler = (error, req, res, next) => {
  if (error !== invalidCsrfTokenError) {
    next(error);
    return;
  }
  res.status(403).render("errors/csrf", { title: "Le formulaire a expiré", retryUrl: formPage(req) });
};
