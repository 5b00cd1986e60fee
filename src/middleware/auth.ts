import type { RequestHandler } from "express";
import passport from "passport";
import { Strategy as LocalStrategy } from "passport-local";
import type { Database } from "../db/prisma.js";
import type { Role } from "../generated/prisma/enums.js";
import { authenticate } from "../features/account/account-service.js";
import { renderNotFound } from "./errors.js";

/**
 * Passport with the local strategy. The session holds only the user's id; the
 * user is read again on every request, so a disabled account is logged out at
 * once.
 */
export function configurePassport(db: Database): passport.PassportStatic {
  const instance = new passport.Passport();
  instance.use(
    new LocalStrategy({ usernameField: "email", passwordField: "password" }, (email, password, done) => {
      authenticate(db, email, password).then((user) => done(null, user ?? false), done);
    }),
  );
  instance.serializeUser((user, done) => done(null, user.id));
  instance.deserializeUser((id: unknown, done) => {
    if (typeof id !== "string") {
      done(null, false);
      return;
    }
    db.user
      .findFirst({
        where: { id, disabledAt: null, passwordHash: { not: null } },
        select: { id: true, email: true, firstName: true, lastName: true, role: true },
      })
      .then((user) => done(null, user ?? false), done);
  });
  return instance as unknown as passport.PassportStatic;
}

/** Pages for logged-in people: others go to the login page and come back after. */
export const requireLogin: RequestHandler = (req, res, next) => {
  if (req.user) {
    next();
    return;
  }
  if (req.method === "GET") req.session.returnTo = req.originalUrl;
  res.redirect("/connexion");
};

/** Pages of some roles only: anyone else gets the 404 page, not a hint that the page exists. */
export function requireRole(...roles: Role[]): RequestHandler {
  return (req, res, next) => {
    if (req.user && roles.includes(req.user.role)) next();
    else renderNotFound(req, res);
  };
}

/**
 * Only a relative path of this site, so a crafted link cannot send people
 * elsewhere after login: one leading slash, and no space or control character
 * anywhere (browsers drop tabs and newlines, so « /\t/evil » reads as « //evil »).
 */
export function safeReturnPath(value: unknown): string | undefined {
  return typeof value === "string" && /^\/(?![/\\])[^\s\p{Cc}]*$/u.test(value) ? value : undefined;
}
