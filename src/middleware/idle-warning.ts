/**
 * The warning before the idle logout. A session without « Mémoriser mes
 * informations ? » ends after IDLE_TIMEOUT_SECONDS without a request; pages of
 * a logged-in person carry a dialog (views/partials/layout/idle-warning.ejs) that
 * public/js/portail.js opens WARN_BEFORE_SECONDS before the end, saying how
 * long remains, with « Rester connecté », which posts to the keep-alive
 * route below. Without JavaScript nothing shows, and a step posted too late
 * keeps its fields for after login (src/features/request/expired-session.ts).
 */
import { Router, type RequestHandler } from "express";
import { paths } from "../paths.js";
import { IDLE_TIMEOUT_SECONDS } from "./session.js";

export const WARN_BEFORE_SECONDS = 5 * 60;

/** Gives views the idle timeout to warn about: null when nobody is logged in or the session is remembered. */
export const idleWarningLocals: RequestHandler = (req, res, next) => {
  const remembered = Boolean(req.session?.cookie.maxAge);
  res.locals.idleWarning =
    req.user && !remembered ? { idleSeconds: IDLE_TIMEOUT_SECONDS, warnSeconds: WARN_BEFORE_SECONDS, keepAlivePath: paths.keepAlive } : null;
  next();
};

/**
 * « Rester connecté »: a POST (with the CSRF token, checked before) that
 * saves the session, which pushes its stored expiry back (page views do not:
 * see session-store.ts). 204 when the person is still logged in, 401 when
 * the session had already ended.
 */
export function keepAliveRoutes(): Router {
  const router = Router();
  router.post(paths.keepAlive, (req, res, next) => {
    res.setHeader("Cache-Control", "no-store");
    if (!req.user) {
      res.status(401).end();
      return;
    }
    req.session.save((error) => (error ? next(error) : res.status(204).end()));
  });
  return router;
}
