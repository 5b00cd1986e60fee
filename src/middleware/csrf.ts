import type { ErrorRequestHandler, RequestHandler } from "express";
import { csrfSync } from "csrf-sync";

/**
 * Synchronizer tokens (csrf-sync): the token lives in the session and every
 * form carries it in the hidden field `_csrf`.
 */
const { csrfSynchronisedProtection, generateToken, invalidCsrfTokenError } = csrfSync({
  getTokenFromRequest: (req) => {
    const body = req.body as Record<string, unknown> | undefined;
    return typeof body?._csrf === "string" ? body._csrf : undefined;
  },
});

export const csrfProtection: RequestHandler = csrfSynchronisedProtection;

/**
 * Gives views `csrfToken()`. A function, so that a page without a form does
 * not create a session for a visitor who is not logged in.
 */
export const csrfTokenForViews: RequestHandler = (req, res, next) => {
  res.locals.csrfToken = () => generateToken(req);
  next();
};

/** A missing or wrong token: 403 with a page that explains the form expired. */
export const csrfErrorHandler: ErrorRequestHandler = (error, req, res, next) => {
  if (error !== invalidCsrfTokenError) {
    next(error);
    return;
  }
  res.status(403).render("errors/csrf", {
    title: "Le formulaire a expiré",
    retryUrl: req.originalUrl,
  });
};
