import type { ErrorRequestHandler, Request, RequestHandler, Response } from "express";
import { isDatabaseUnavailable } from "../db/unavailable.js";
import { logger } from "../logger.js";

export function renderNotFound(_req: Request, res: Response): void {
  res.status(404).render("errors/not-found", { title: "Page introuvable" });
}

export const notFoundHandler: RequestHandler = (req, res) => renderNotFound(req, res);

/**
 * Last resort: a French page, never a stack trace. Client errors raised by the
 * body parsers (malformed or oversized body) keep their 4xx status.
 */
export const errorHandler: ErrorRequestHandler = (error: unknown, req, res, next) => {
  if (res.headersSent) {
    // The session store failing after the page left (its touch, its save): one line, not Express's stack trace.
    if (isDatabaseUnavailable(error)) {
      logOf(req).error({ err: error, method: req.method, path: req.path }, "base de données indisponible après la réponse");
      res.destroy();
      return;
    }
    next(error);
    return;
  }
  const status = (error as { status?: unknown }).status;
  if (typeof status === "number" && status >= 400 && status < 500) {
    res.status(status).render("errors/bad-request", { title: "Demande invalide" });
    return;
  }
  // The database is down, restarting or hung: not a bug, and it comes back by itself.
  if (isDatabaseUnavailable(error)) {
    logOf(req).error({ err: error, method: req.method, path: req.path }, "base de données indisponible");
    res.status(503).set("Retry-After", "30").render("errors/unavailable", { title: "Service momentanément indisponible" });
    return;
  }
  // The path without its query string: query strings may carry tokens.
  logOf(req).error({ err: error, method: req.method, path: req.path }, "erreur imprévue");
  // The id the person can quote to the support, who finds every line of this request with it.
  res.status(500).render("errors/server-error", { title: "Une erreur est survenue", requestId: typeof req.id === "string" ? req.id : undefined });
};

/** The request's logger (with its id), or the process's for a request that did not go through pino-http. */
function logOf(req: Request) {
  return (req as Partial<Pick<Request, "log">>).log ?? logger;
}
