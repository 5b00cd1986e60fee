import type { Request, RequestHandler } from "express";
import passport from "passport";
import { Strategy as LocalStrategy } from "passport-local";
import { z } from "zod";
import type { Role } from "../generated/prisma/enums.js";
import type { AccountService, SessionUser } from "../features/account/account-service.js";
import { paths, pathTo } from "../paths.js";
import { renderNotFound } from "./errors.js";
import { prefetchedAccount, type PrefetchedAccount } from "./session-store.js";

/**
 * What a session holds of its person: the account's id, and the account's
 * session version at login. Raising the version (a password set, an account
 * disabled) ends every session that holds an older one. A bare id is a
 * session opened before versions existed: version 0, the version every
 * account started with.
 */
const sessionLogin = z.union([z.string().transform((id) => ({ id, version: 0 })), z.object({ id: z.string(), version: z.number().int() })]);
export type SessionLogin = z.output<typeof sessionLogin>;

/** The login a session holds, or null when it holds none or something else. */
export function readSessionLogin(stored: unknown): SessionLogin | null {
  const login = sessionLogin.safeParse(stored);
  return login.success ? login.data : null;
}

/** The same rule as AccountService.sessionUser, on the account read with the session. */
export function sessionUserOf(account: PrefetchedAccount, version: number): SessionUser | false {
  if (!account.active || account.sessionVersion !== version) return false;
  const { userId: id, email, firstName, lastName, role } = account;
  return { id, email, firstName, lastName, role };
}

/**
 * Passport with the local strategy: login-routes.ts calls
 * `passport.authenticate("local", callback)` once the attempt is counted.
 * The session holds only the id and the version; the person is read again
 * on every request (with the session, by the store), so a disabled account
 * or an ended session is logged out at once.
 */
export function configurePassport(accounts: Pick<AccountService, "authenticate" | "sessionVersion" | "sessionUser">): passport.PassportStatic {
  const instance = new passport.Passport();
  instance.use(
    new LocalStrategy({ usernameField: "email", passwordField: "password" }, (email, password, done) => {
      accounts.authenticate(email, password).then((user) => done(null, user ?? false), done);
    }),
  );
  instance.serializeUser((user, done) => {
    accounts.sessionVersion(user.id).then((version) => done(null, { id: user.id, version } satisfies SessionLogin), done);
  });
  // With three parameters, passport hands over the request first.
  instance.deserializeUser((req: Request, stored: unknown, done: (error: unknown, user?: Express.User | false) => void) => {
    const login = readSessionLogin(stored);
    if (!login) {
      done(null, false);
      return;
    }
    // Usually read with the session itself (one round trip); otherwise asked for here.
    const account = prefetchedAccount(req);
    if (account?.userId === login.id) {
      done(null, sessionUserOf(account, login.version));
      return;
    }
    accounts.sessionUser(login.id, login.version).then((user) => done(null, user ?? false), done);
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
  res.redirect(pathTo(paths.login));
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
