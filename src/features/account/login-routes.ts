import { Router } from "express";
import type { AfterResponse } from "../../lib/after-response.js";
import { formErrors } from "../../lib/form-errors.js";
import { parseForm, renderForm, typedValues } from "../../lib/forms.js";
import { requireLogin, safeReturnPath } from "../../middleware/auth.js";
import { hitAll, slowDownMs, waitMessage, type Throttle } from "../../middleware/rate-limit.js";
import { authenticate, normalizeEmail, type AccountContext } from "./account-service.js";
import { warnOwnerOfLoginAttempts } from "./login-alert.js";
import { loginFieldOrder, loginForm } from "./account-forms.js";
import { logIn, logOut } from "./login-session.js";
import { carryKeptInput } from "../request/expired-session.js";

const TITLE = "Connexion à votre compte";
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Where people land after logging in: applicants on Accueil, agents in the back office. */
function homeOf(role: string): string {
  return role === "APPLICANT" ? "/" : "/agent";
}

/**
 * Logins are limited per account (across all source addresses) and per
 * source address. An attempt is counted before its password is checked, so
 * that parallel guesses cannot all be checked before the first is counted.
 */
export function loginRoutes(
  ctx: AccountContext,
  throttles: { perAccount: Throttle; perIp: Throttle },
  afterResponse: AfterResponse,
): Router {
  const router = Router();

  router.get("/connexion", (req, res) => {
    if (req.user) {
      res.redirect(homeOf(req.user.role));
      return;
    }
    const expired = req.session.sessionExpired === true;
    delete req.session.sessionExpired;
    renderForm(res, "account/login", { title: TITLE, sessionExpired: expired });
  });

  router.post("/connexion", async (req, res) => {
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
    if (counted.retryAfterSeconds > 0) {
      const [byAccount] = counted.results;
      // Once per blocking window, and only once the answer has left: it must not depend on the account existing.
      if (byAccount!.crossedLimit) afterResponse.run(res, () => warnOwnerOfLoginAttempts(ctx, accountKey, throttles.perAccount.rule.blockSeconds));
      res.setHeader("Retry-After", String(counted.retryAfterSeconds));
      renderForm(res, "account/login", {
        title: TITLE,
        values,
        status: 429,
        errors: formErrors([["email", waitMessage(counted.retryAfterSeconds)]]),
      });
      return;
    }

    const user = await authenticate(ctx.db, form.data.email, form.data.password);
    if (!user) {
      await sleep(slowDownMs(counted.results[0]!.attempts));
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
    const keptInput = req.session.keptStepInput;
    await logIn(req, user, form.data.remember);
    await carryKeptInput(ctx.db, req, keptInput, user.id);
    res.redirect(303, returnTo ?? homeOf(user.role));
  });

  router.post("/deconnexion", requireLogin, async (req, res) => {
    await logOut(req);
    req.session.flash = "Vous êtes déconnecté. À bientôt !";
    res.redirect(303, "/");
  });

  return router;
}
