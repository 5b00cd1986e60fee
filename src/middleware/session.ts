import connectPgSimple from "connect-pg-simple";
import session from "express-session";
import type { NextFunction, Request, Response } from "express";
import type pg from "pg";

/** Without « Mémoriser mes informations ? », a session ends with the browser or after this much inactivity. */
export const IDLE_TIMEOUT_SECONDS = 30 * 60;
/** With it, the cookie lasts this long. */
export const REMEMBER_ME_MS = 30 * 24 * 60 * 60 * 1000;
export const SESSION_COOKIE = "amethyste.sid";

export function sessionMiddleware(options: { pool: pg.Pool; secret: string; secure: boolean }) {
  const PgStore = connectPgSimple(session);
  return session({
    name: SESSION_COOKIE,
    secret: options.secret,
    // The table is created by the Prisma migrations.
    store: new PgStore({ pool: options.pool, tableName: "session", ttl: IDLE_TIMEOUT_SECONDS, pruneSessionInterval: 15 * 60 }),
    resave: false,
    saveUninitialized: false,
    // Every request pushes the expiry back: the idle timeout counts from the last page seen.
    rolling: true,
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
  res.redirect = function redirectOnceSaved(this: Response, ...args: unknown[]) {
    // A session that holds nothing is not stored (saveUninitialized: false): keep it that way.
    const holdsSomething = req.session && Object.keys(req.session).some((key) => key !== "cookie");
    if (!holdsSomething) {
      redirect(...args);
      return;
    }
    req.session.save((error) => (error ? next(error) : redirect(...args)));
  } as Response["redirect"];
  next();
}
