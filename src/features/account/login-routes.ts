import { Router } from "express";
import type { Database } from "../../db/prisma.js";
import { formErrors } from "../../lib/form-errors.js";
import { parseForm, renderForm, typedValues } from "../../lib/forms.js";
import { requireLogin, safeReturnPath } from "../../middleware/auth.js";
import { slowDownMs, waitMessage, type Throttle } from "../../middleware/rate-limit.js";
import { authenticate, normalizeEmail } from "./account-service.js";
import { loginFieldOrder, loginForm } from "./account-forms.js";
import { logIn, logOut } from "./login-session.js";
import { carryKeptInput } from "../request/expired-session.js";

const TITLE = "Connexion à votre compte";
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Where people land after logging in: applicants on Accueil, agents in the back office. */
function homeOf(role: string): string {
  return role === "APPLICANT" ? "/" : "/agent";
}

export function loginRoutes(db: Database, throttles: { perAddress: Throttle; perIp: Throttle }): Router {
  const router = Router();

  router.get("/connexion", (req, res) => {
    if (req.user) {
      res.redirect(homeOf(req.user.role));
      return;
    }
    renderForm(res, "account/login", { title: TITLE });
  });

  router.post("/connexion", async (req, res) => {
    const values = typedValues(req, ["password"]);
    const form = parseForm(loginForm, req, loginFieldOrder);
    if (!form.ok) {
      renderForm(res, "account/login", { title: TITLE, values, errors: form.errors });
      return;
    }
    const addressKey = `${normalizeEmail(form.data.email)}|${req.ip ?? ""}`;
    const ipKey = req.ip ?? "inconnu";
    const refuse = (seconds: number) => {
      res.setHeader("Retry-After", String(seconds));
      renderForm(res, "account/login", { title: TITLE, values, status: 429, errors: formErrors([["email", waitMessage(seconds)]]) });
    };
    const blocked = Math.max(await throttles.perAddress.secondsBlocked(addressKey), await throttles.perIp.secondsBlocked(ipKey));
    if (blocked > 0) {
      refuse(blocked);
      return;
    }

    const user = await authenticate(db, form.data.email, form.data.password);
    if (!user) {
      const [byAddress, byIp] = [await throttles.perAddress.hit(addressKey), await throttles.perIp.hit(ipKey)];
      const retryAfter = Math.max(byAddress.retryAfterSeconds, byIp.retryAfterSeconds);
      if (retryAfter > 0) {
        refuse(retryAfter);
        return;
      }
      await sleep(slowDownMs(byAddress.attempts));
      renderForm(res, "account/login", {
        title: TITLE,
        values,
        status: 401,
        errors: formErrors([["email", "Adresse de messagerie ou mot de passe incorrect. Vérifiez-les et réessayez."]]),
      });
      return;
    }

    await throttles.perAddress.reset(addressKey);
    const returnTo = safeReturnPath(req.session.returnTo);
    const keptInput = req.session.keptStepInput;
    await logIn(req, user, form.data.remember);
    await carryKeptInput(db, req, keptInput, user.id);
    res.redirect(303, returnTo ?? homeOf(user.role));
  });

  router.post("/deconnexion", requireLogin, async (req, res) => {
    await logOut(req);
    req.session.flash = "Vous êtes déconnecté. À bientôt !";
    res.redirect(303, "/");
  });

  return router;
}
