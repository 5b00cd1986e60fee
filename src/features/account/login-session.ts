import type { Request } from "express";
import { REMEMBER_ME_MS } from "../../middleware/session.js";
import type { SessionUser } from "./account-service.js";

/**
 * Logs the person in. Passport regenerates the session (no fixation). With
 * « Mémoriser mes informations ? » the cookie lasts 30 days; otherwise it ends
 * with the browser, and the store ends it after inactivity. Either way
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

/** Passport replaces the session with a fresh, empty one (the old row is deleted from the store). */
export function logOut(req: Request): Promise<void> {
  return new Promise((resolve, reject) => {
    req.logOut((error) => (error ? reject(error as Error) : resolve()));
  });
}
