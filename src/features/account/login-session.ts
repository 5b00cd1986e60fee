import type { Request, Response } from "express";
import type { PassportStatic } from "passport";
import type { SessionLogin } from "../../middleware/auth.js";
import { REMEMBER_ME_MS } from "../../middleware/session.js";
import type { SessionUser } from "./account-service.js";

declare module "express-session" {
  interface SessionData {
    /** Written by passport at login (serializeUser in src/middleware/auth.ts). */
    passport?: { user?: unknown };
  }
}

/**
 * Checks the typed address and password with passport's local strategy
 * (src/middleware/auth.ts). Logs nobody in: the caller counts the attempt
 * before, and logs the person in with logIn() after.
 */
export function checkCredentials(passport: PassportStatic, req: Request, res: Response): Promise<SessionUser | null> {
  return new Promise((resolve, reject) => {
    const callback = (error: unknown, user: Express.User | false | undefined) => {
      if (error) reject(error instanceof Error ? error : new Error("Échec de la vérification du mot de passe"));
      else resolve(user || null);
    };
    const authenticate = passport.authenticate("local", { session: false }, callback) as (req: Request, res: Response, next: (error?: unknown) => void) => void;
    authenticate(req, res, (error) => reject(error instanceof Error ? error : new Error("Échec de la vérification du mot de passe")));
  });
}

/**
 * Logs the person in. Passport regenerates the session (no fixation) and
 * stores the account's session version in it. With « Mémoriser mes
 * informations ? » the cookie lasts 30 days; otherwise it ends with the
 * browser, and the store ends it after inactivity. Either way
 * sessionLifetime() ends it at the latest 12 hours / 30 days after login.
 */
export function logIn(req: Request, user: SessionUser, remember: boolean): Promise<void> {
  return new Promise((resolve, reject) => {
    req.logIn(user, (error) => {
      if (error) {
        reject(error as Error);
        return;
      }
      if (remember) req.session.cookie.maxAge = REMEMBER_ME_MS;
      else req.session.cookie.expires = undefined;
      req.session.remembered = remember;
      req.session.save((saveError) => (saveError ? reject(saveError as Error) : resolve()));
    });
  });
}

/**
 * After this session ended every session of its account (« Changer le mot de
 * passe »), it stays open: it now holds the account's new version.
 */
export function keepThisSession(req: Request, userId: string, sessionVersion: number): void {
  req.session.passport = { user: { id: userId, version: sessionVersion } satisfies SessionLogin };
}

/** Passport replaces the session with a fresh, empty one (the old row is deleted from the store). */
export function logOut(req: Request): Promise<void> {
  return new Promise((resolve, reject) => {
    req.logOut((error) => (error ? reject(error as Error) : resolve()));
  });
}
