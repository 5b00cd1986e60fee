import { Router, type Response } from "express";
import type { AfterResponse } from "../../lib/after-response.js";
import { formErrors } from "../../lib/form-errors.js";
import { parseForm, renderForm, typedValues } from "../../lib/forms.js";
import { requireLogin } from "../../middleware/auth.js";
import { hitAll, waitMessage, type Throttle } from "../../middleware/rate-limit.js";
import { paths, pathTo } from "../../paths.js";
import type { Services } from "../../services.js";
import { normalizeEmail, type TokenProblem } from "./account-service.js";
import {
  changePasswordFieldOrder,
  changePasswordForm,
  choosePasswordFieldOrder,
  choosePasswordForm,
  forgottenPasswordForm,
  linkToken,
} from "./account-forms.js";
import { keepThisSession, logOut } from "./login-session.js";

const FORGOTTEN = "Mot de passe oublié";
const RESET = "Réinitialiser le mot de passe";
const CHANGE = "Changer le mot de passe";

function renderLinkProblem(res: Response, status: TokenProblem): void {
  res.status(status === "unknown" ? 404 : 410).render("account/reset-link-problem", { title: "Ce lien ne fonctionne plus", problem: status });
}

/** « Mot de passe oublié ? », the reset link, and « Changer le mot de passe ». */
export function passwordRoutes(
  services: Pick<Services, "accounts" | "accountRequests">,
  throttles: { resetPerAddress: Throttle; resetPerIp: Throttle; passwordCheck: Throttle },
  afterResponse: AfterResponse,
): Router {
  const { accounts, accountRequests } = services;
  const router = Router();

  router.get(paths.forgottenPassword, (_req, res) => {
    renderForm(res, "account/forgotten-password", { title: FORGOTTEN });
  });

  router.post(paths.forgottenPassword, async (req, res) => {
    const values = typedValues(req);
    const form = parseForm(forgottenPasswordForm, req, ["email"]);
    if (!form.ok) {
      renderForm(res, "account/forgotten-password", { title: FORGOTTEN, values, errors: form.errors });
      return;
    }
    // Per address (mail bombing of one person) and per source (one source trying many addresses).
    const { retryAfterSeconds } = await hitAll([
      [throttles.resetPerAddress, `${normalizeEmail(form.data.email)}|${req.ip ?? ""}`],
      [throttles.resetPerIp, req.ip ?? "inconnu"],
    ]);
    if (retryAfterSeconds > 0) {
      res.setHeader("Retry-After", String(retryAfterSeconds));
      renderForm(res, "account/forgotten-password", {
        title: FORGOTTEN,
        values,
        status: 429,
        errors: formErrors([["email", waitMessage(retryAfterSeconds)]]),
      });
      return;
    }
    // The answer leaves before the address is looked up: its timing cannot tell whether an account exists.
    // Recorded first, so that an answered request is never lost (account-requests.ts).
    const recorded = await accountRequests.record({ kind: "PASSWORD_RESET", payload: { email: form.data.email } });
    afterResponse.run(res, () => accountRequests.do(recorded));
    res.redirect(303, pathTo(paths.forgottenPasswordSent));
  });

  router.get(paths.forgottenPasswordSent, (_req, res) => {
    res.render("account/forgotten-password-sent", { title: FORGOTTEN });
  });

  router.get(paths.resetPassword, async (req, res) => {
    const { token } = linkToken.parse(req.query);
    const check = await accounts.checkToken(token, "RESET_PASSWORD");
    if (check.status !== "valid") {
      renderLinkProblem(res, check.status);
      return;
    }
    renderForm(res, "account/reset-password", { title: RESET, token });
  });

  router.post(paths.resetPassword, async (req, res) => {
    const { token } = linkToken.parse(req.body ?? {});
    const form = parseForm(choosePasswordForm, req, choosePasswordFieldOrder);
    if (!form.ok) {
      renderForm(res, "account/reset-password", { title: RESET, token, errors: form.errors });
      return;
    }
    if (!(await accounts.resetPassword(token, form.data.password as string))) {
      const check = await accounts.checkToken(token, "RESET_PASSWORD");
      renderLinkProblem(res, check.status === "valid" ? "used" : check.status);
      return;
    }
    // Any session this browser had was ended with the others: start clean.
    if (req.user) await logOut(req);
    req.session.flash = "Votre mot de passe a été modifié. Vous pouvez vous connecter avec le nouveau mot de passe.";
    res.redirect(303, pathTo(paths.login));
  });

  router.get(paths.changePassword, requireLogin, (_req, res) => {
    renderForm(res, "account/change-password", { title: CHANGE });
  });

  router.post(paths.changePassword, requireLogin, async (req, res) => {
    const user = req.user!;
    const form = parseForm(changePasswordForm, req, changePasswordFieldOrder);
    if (!form.ok) {
      renderForm(res, "account/change-password", { title: CHANGE, errors: form.errors });
      return;
    }
    // Someone holding an open session must not be able to guess the current password: counted before it is checked.
    const counted = await throttles.passwordCheck.hit(user.id);
    if (counted.retryAfterSeconds > 0) {
      res.setHeader("Retry-After", String(counted.retryAfterSeconds));
      renderForm(res, "account/change-password", {
        title: CHANGE,
        status: 429,
        errors: formErrors([["currentPassword", waitMessage(counted.retryAfterSeconds)]]),
      });
      return;
    }
    const changed = await accounts.changePassword({
      userId: user.id,
      currentPassword: form.data.currentPassword,
      newPassword: form.data.password as string,
    });
    if (!changed) {
      renderForm(res, "account/change-password", {
        title: CHANGE,
        errors: formErrors([["currentPassword", "Le mot de passe actuel est incorrect."]]),
      });
      return;
    }
    // Every session of the account ended with the change; this one stays open.
    keepThisSession(req, user.id, changed.sessionVersion);
    await throttles.passwordCheck.reset(user.id);
    req.session.flash = "Votre mot de passe a été changé. Vos autres connexions ont été fermées.";
    res.redirect(303, pathTo(paths.changePassword));
  });

  return router;
}
