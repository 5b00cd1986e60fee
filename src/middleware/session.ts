import connectPgSimple from "connect-pg-simple";
import session from "express-session";
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
