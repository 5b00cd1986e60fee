import session from "express-session";
import type { NextFunction, Request, RequestHandler, Response } from "express";
import type pg from "pg";
import type { Clock } from "../lib/clock.js";
import { createSessionStore } from "./session-store.js";

/** Without « Mémoriser mes informations ? », a session ends with the browser or after this much inactivity. */
export const IDLE_TIMEOUT_SECONDS = 30 * 60;
/** …and at the latest this long after login, however much it is used. */
export const SESSION_LIFETIME_MS = 12 * 60 * 60 * 1000;
/** With it, the session lasts this long from login (not from the last page seen). */
export const REMEMBER_ME_MS = 30 * 24 * 60 * 60 * 1000;
/**
 * lastSeenAt is rewritten at most this often (the rewrite saves the session,
 * which pushes its stored expiry back), so that other page views write
 * nothing: with the store's coarse touch (session-store.ts), a session in use
 * is written about once a minute.
 */
const LAST_SEEN_PRECISION_MS = 60 * 1000;
export const SESSION_COOKIE = "amethyste.sid";

export function sessionMiddleware(options: { pool: pg.Pool; secret: string; secure: boolean }) {
  return session({
    name: SESSION_COOKIE,
    secret: options.secret,
    // The table is created by the Prisma migrations.
    store: createSessionStore({ pool: options.pool, ttlSeconds: IDLE_TIMEOUT_SECONDS, pruneIntervalSeconds: 15 * 60 }),
    resave: false,
    saveUninitialized: false,
    // Not rolling: a page view neither rewrites the session nor sends its cookie again. The idle timeout
    // counts from lastSeenAt (sessionLifetime); the stored expiry follows it to the minute.
    rolling: false,
    proxy: undefined,
    cookie: { httpOnly: true, sameSite: "lax", secure: options.secure, path: "/" },
  });
}

/**
 * express-session saves a changed session while the response is already
 * leaving: it writes a redirect's headers and all of its body but the last
 * byte, then saves, then ends. A browser follows a redirect as soon as it
 * reads the headers, so the next page could load the session before the save
 * and miss what the POST stored (the « Vos informations sont mises à jour. »
 * message, the draft's place…). Saving before redirecting closes that race.
 */
export function saveSessionBeforeRedirect(req: Request, res: Response, next: NextFunction): void {
  const redirect = res.redirect.bind(res) as (...args: unknown[]) => void;
  const loaded = contentOf(req.session);
  res.redirect = function redirectOnceSaved(this: Response, ...args: unknown[]) {
    // A session that holds nothing is not stored (saveUninitialized: false): keep it that way.
    const holdsSomething = req.session && Object.keys(req.session).some((key) => key !== "cookie");
    // Nor is one that this request did not change (most wizard saves): nothing to wait for.
    const unchanged = req.session && req.sessionID === loaded.id && contentOf(req.session).json === loaded.json;
    if (!holdsSomething || unchanged) {
      redirect(...args);
      return;
    }
    req.session.save((error) => (error ? next(error) : redirect(...args)));
  };
  next();
}

/** What express-session compares to decide whether to save: the session without its cookie. */
function contentOf(current: Request["session"] | undefined): { id: string | undefined; json: string } {
  return { id: current?.id, json: JSON.stringify(current ?? null, (key, value: unknown) => (key === "cookie" ? undefined : value)) };
}

/**
 * Ends a logged-in session that has lived too long, by the app's clock: 12
 * hours after login (30 days with « Mémoriser »), or 30 minutes after the
 * last page seen when not remembered (exactly, by lastSeenAt: the stored
 * expiry only follows it to the minute). The person is logged out (a fresh, anonymous
 * session) and the login page says why; a page that needs a login sends
 * there as usual. Mounted after passport.session().
 */
export function sessionLifetime(clock: Clock): RequestHandler {
  return (req, _res, next) => {
    const session = req.session;
    if (!req.user || !session) {
      next();
      return;
    }
    const now = clock.now().getTime();
    // logIn cannot read the app's clock: a session is dated at its first request after login.
    session.loggedInAt ??= now;
    session.lastSeenAt ??= now;
    // Sessions opened before this rule: remembered when their cookie outlives the browser.
    const remembered = session.remembered ?? session.cookie.expires != null;
    const tooOld = now - session.loggedInAt >= (remembered ? REMEMBER_ME_MS : SESSION_LIFETIME_MS);
    const idle = !remembered && now - session.lastSeenAt >= IDLE_TIMEOUT_SECONDS * 1000;
    if (tooOld || idle) {
      req.logOut((error) => {
        if (error) {
          next(error);
          return;
        }
        req.session.sessionExpired = true;
        next();
      });
      return;
    }
    if (now - session.lastSeenAt >= LAST_SEEN_PRECISION_MS) session.lastSeenAt = now;
    // The cookie (sent again when the session is saved) and the stored expiry: 30 days from login, not from now.
    if (remembered) session.cookie.expires = new Date(Date.now() + (session.loggedInAt + REMEMBER_ME_MS - now));
    next();
  };
}
