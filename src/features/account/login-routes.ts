import { Router, type Request } from "express";
import type { SessionData } from "express-session";
import type { PassportStatic } from "passport";
import type { AfterResponse } from "../../lib/after-response.js";
import { formErrors } from "../../lib/form-errors.js";
import { parseForm, renderForm, typedValues } from "../../lib/forms.js";
import { requireLogin, safeReturnPath } from "../../middleware/auth.js";
import { hitAll, slowDownMs, waitMessage, type Throttle } from "../../middleware/rate-limit.js";
import { paths, pathTo } from "../../paths.js";
import type { Services } from "../../services.js";
import { normalizeEmail } from "./account-service.js";
import { loginFieldOrder, loginForm } from "./account-forms.js";
import { checkCredentials, logIn, logOut } from "./login-session.js";

const TITLE = "Connexion à votre compte";

/** The deliberate wait before answering a failed login; tests give one that does not wait. */
export type SlowDown = (ms: number) => Promise<void>;
export const sleep: SlowDown = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Where people land after logging in: applicants on Accueil, agents in the back office. */
function homeOf(role: string): string {
  return pathTo(role === "APPLICANT" ? paths.home : paths.agent);
}

/**
 * What other features carry over from the session that login replaces (no
 * fixation), given the new session's request: the wizard's input kept over an
 * expired session. Wired in createApp, so that accounts import no feature.
 */
export type CarryOverAtLogin = (req: Request, previous: Pick<SessionData, "keptStepInput">, userId: string) => Promise<void>;

export interface LoginDependencies {
  services: Pick<Services, "accounts">;
  carryOver: CarryOverAtLogin;
  /** The instance of src/middleware/auth.ts, with the local strategy. */
  passport: PassportStatic;
  throttles: { perAccount: Throttle; perIp: Throttle };
  afterResponse: AfterResponse;
  slowDown?: SlowDown;
}

/**
 * Logins are limited per account (across all source addresses) and per
 * source address. An attempt is counted before its password is checked
 * (passport's local strategy), so that parallel guesses cannot all be checked
 * before the first is counted.
 */
export function loginRoutes({ services, carryOver, passport, throttles, afterResponse, slowDown = sleep }: LoginDependencies): Router {
  const { accounts } = services;
  const router = Router();

  router.get(paths.login, (req, res) => {
    if (req.user) {
      res.redirect(homeOf(req.user.role));
      return;
    }
    const expired = req.session.sessionExpired === true;
    delete req.session.sessionExpired;
    renderForm(res, "account/login", { title: TITLE, sessionExpired: expired });
  });

  router.post(paths.login, async (req, res) => {
    const values = typedValues(req, ["password"]);
    const form = parseForm(loginForm, req, loginFieldOrder);
    if (!form.ok) {
      renderForm(res, "account/login", { title: TITLE, values, errors: form.errors });
      return;
    }
    const accountKey = normalizeEmail(form.data.email);
    const ipKey = req.ip ?? "inconnu";
    const counted = await hitAll([
      [throttles.perAccount, accountKey],
      [throttles.perIp, ipKey],
    ]);
    const [byAccount] = counted.results;
    if (counted.retryAfterSeconds > 0) {
      // Once per blocking window, and only once the answer has left: it must not depend on the account existing.
      if (byAccount?.crossedLimit) afterResponse.run(res, () => accounts.warnOwnerOfLoginAttempts(accountKey, throttles.perAccount.rule.blockSeconds));
      res.setHeader("Retry-After", String(counted.retryAfterSeconds));
      renderForm(res, "account/login", {
        title: TITLE,
        values,
        status: 429,
        errors: formErrors([["email", waitMessage(counted.retryAfterSeconds)]]),
      });
      return;
    }

    const user = await checkCredentials(passport, req, res);
    if (!user) {
      await slowDown(slowDownMs(byAccount?.attempts ?? 0));
      renderForm(res, "account/login", {
        title: TITLE,
        values,
        status: 401,
        errors: formErrors([["email", "Adresse e-mail ou mot de passe incorrect. Vérifiez-les et réessayez."]]),
      });
      return;
    }

    // A successful login clears the account's count, and does not count against the source address.
    await Promise.all([throttles.perAccount.reset(accountKey), throttles.perIp.refund(ipKey)]);
    const returnTo = safeReturnPath(req.session.returnTo);
    const previous = { keptStepInput: req.session.keptStepInput };
    await logIn(req, user, form.data.remember);
    await carryOver(req, previous, user.id);
    res.redirect(303, returnTo ?? homeOf(user.role));
  });

  router.post(paths.logout, requireLogin, async (req, res) => {
    await logOut(req);
    req.session.flash = "Vous êtes déconnecté. À bientôt !";
    res.redirect(303, pathTo(paths.home));
  });

  return router;
}
