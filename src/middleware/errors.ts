import type { ErrorRequestHandler, Request, RequestHandler, Response } from "express";
import { isDatabaseUnavailable } from "../db/unavailable.js";

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
      console.error(`[erreur] ${req.method} ${req.path}: base de données indisponible après la réponse (${(error as Error).message})`);
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
    console.error(`[erreur] ${req.method} ${req.path}: base de données indisponible (${(error as Error).message})`);
    res.status(503).set("Retry-After", "30").render("errors/unavailable", { title: "Service momentanément indisponible" });
    return;
  }
  // The path without its query string: query strings may carry tokens.
  console.error(`[erreur] ${req.method} ${req.path}:`, error instanceof Error ? error.stack : error);
  res.status(500).render("errors/server-error", { title: "Une erreur est survenue" });
};
