import { Router } from "express";
import { formErrors } from "../../lib/form-errors.js";
import { parseForm, renderForm, typedValues } from "../../lib/forms.js";
import type { AfterResponse } from "../../lib/after-response.js";
import { requireLogin } from "../../middleware/auth.js";
import { hitAll, waitMessage, type Throttle } from "../../middleware/rate-limit.js";
import { changePassword, checkToken, normalizeEmail, resetPassword, type AccountContext, type TokenProblem } from "./account-service.js";
import { doAccountRequest, recordAccountRequest } from "./account-requests.js";
import {
  changePasswordFieldOrder,
  changePasswordForm,
  choosePasswordFieldOrder,
  choosePasswordForm,
  forgottenPasswordForm,
} from "./account-forms.js";

const FORGOTTEN = "Mot de passe oublié";
const RESET = "Réinitialiser le mot de passe";
const CHANGE = "Changer le mot de passe";

/** « Mot de passe oublié ? », the reset link, and « Changer le mot de passe ». */
export function passwordRoutes(
  ctx: AccountContext,
  throttles: { resetPerAddress: Throttle; resetPerIp: Throttle; passwordCheck: Throttle },
  afterResponse: AfterResponse,
): Router {
  const router = Router();

  router.get("/mot-de-passe-oublie", (_req, res) => {
    renderForm(res, "account/forgotten-password", { title: FORGOTTEN });
  });

  router.post("/mot-de-passe-oublie", async (req, res) => {
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
    const recorded = await recordAccountRequest(ctx, { kind: "PASSWORD_RESET", payload: { email: form.data.email } });
    afterResponse.run(res, () => doAccountRequest(ctx, recorded));
    res.redirect(303, "/mot-de-passe-oublie/email-envoye");
  });

  router.get("/mot-de-passe-oublie/email-envoye", (_req, res) => {
    res.render("account/forgotten-password-sent", { title: FORGOTTEN });
  });

  const linkProblem = (res: import("express").Response, status: TokenProblem) => {
    res.status(status === "unknown" ? 404 : 410).render("account/reset-link-problem", { title: "Ce lien ne fonctionne plus", problem: status });
  };

  router.get("/reinitialiser-mot-de-passe", async (req, res) => {
    const check = await checkToken(ctx, req.query.token, "RESET_PASSWORD");
    if (check.status !== "valid") {
      linkProblem(res, check.status);
      return;
    }
    renderForm(res, "account/reset-password", { title: RESET, token: req.query.token });
  });

  router.post("/reinitialiser-mot-de-passe", async (req, res) => {
    const token = typeof req.body?.token === "string" ? req.body.token : "";
    const form = parseForm(choosePasswordForm, req, choosePasswordFieldOrder);
    if (!form.ok) {
      renderForm(res, "account/reset-password", { title: RESET, token, errors: form.errors });
      return;
    }
    if (!(await resetPassword(ctx, token, form.data.password as string))) {
      const check = await checkToken(ctx, token, "RESET_PASSWORD");
      linkProblem(res, check.status === "valid" ? "used" : check.status);
      return;
    }
    // Any session this browser had was ended with the others: start clean.
    if (req.user) await new Promise<void>((resolve) => req.logOut(() => resolve()));
    req.session.flash = "Votre mot de passe a été modifié. Vous pouvez vous connecter avec le nouveau mot de passe.";
    res.redirect(303, "/connexion");
  });

  router.get("/mon-compte/mot-de-passe", requireLogin, (_req, res) => {
    renderForm(res, "account/change-password", { title: CHANGE });
  });

  router.post("/mon-compte/mot-de-passe", requireLogin, async (req, res) => {
    const form = parseForm(changePasswordForm, req, changePasswordFieldOrder);
    if (!form.ok) {
      renderForm(res, "account/change-password", { title: CHANGE, errors: form.errors });
      return;
    }
    // Someone holding an open session must not be able to guess the current password: counted before it is checked.
    const counted = await throttles.passwordCheck.hit(req.user!.id);
    if (counted.retryAfterSeconds > 0) {
      res.setHeader("Retry-After", String(counted.retryAfterSeconds));
      renderForm(res, "account/change-password", {
        title: CHANGE,
        status: 429,
        errors: formErrors([["currentPassword", waitMessage(counted.retryAfterSeconds)]]),
      });
      return;
    }
    const changed = await changePassword(ctx, {
      userId: req.user!.id,
      currentPassword: form.data.currentPassword,
      newPassword: form.data.password as string,
      sessionId: req.sessionID,
    });
    if (!changed) {
      renderForm(res, "account/change-password", {
        title: CHANGE,
        errors: formErrors([["currentPassword", "Le mot de passe actuel est incorrect."]]),
      });
      return;
    }
    await throttles.passwordCheck.reset(req.user!.id);
    req.session.flash = "Votre mot de passe a été changé. Vos autres connexions ont été fermées.";
    res.redirect(303, "/mon-compte/mot-de-passe");
  });

  return router;
}
