import { Router, type Response } from "express";
import type { AfterResponse } from "../../lib/after-response.js";
import { typedValues, parseForm, renderForm } from "../../lib/forms.js";
import type { Throttle } from "../../middleware/rate-limit.js";
import { waitMessage } from "../../middleware/rate-limit.js";
import { formErrors } from "../../lib/form-errors.js";
import { checkToken, completeRegistration, resendVerification, type AccountContext, type TokenCheck } from "./account-service.js";
import { doAccountRequest, recordAccountRequest } from "./account-requests.js";
import { choosePasswordFieldOrder, choosePasswordForm, registrationFieldOrder, registrationForm } from "./account-forms.js";
import { logIn } from "./login-session.js";
import { isRowId } from "../../lib/row-id.js";

/** A used, expired or unknown verification link: a clear page, and a new link when it expired. */
function renderLinkProblem(res: Response, check: TokenCheck): void {
  // A link that was valid a moment ago and is not any more was used meanwhile.
  const problem = check.status === "valid" ? "used" : check.status;
  res.status(problem === "unknown" ? 404 : 410).render("account/verification-link-problem", {
    title: "Ce lien ne fonctionne plus",
    problem,
    tokenId: check.status === "expired" ? check.tokenId : undefined,
  });
}

/** « Je crée mon compte » and « Je valide la création de mon compte ». */
export function registrationRoutes(ctx: AccountContext, throttle: Throttle, afterResponse: AfterResponse): Router {
  const router = Router();

  router.get("/inscription", (req, res) => {
    if (req.user) {
      res.redirect("/");
      return;
    }
    renderForm(res, "account/register", { title: "Je crée mon compte" });
  });

  router.post("/inscription", async (req, res) => {
    const values = typedValues(req);
    const form = parseForm(registrationForm, req, registrationFieldOrder);
    if (!form.ok) {
      renderForm(res, "account/register", { title: "Je crée mon compte", values, errors: form.errors });
      return;
    }
    // Limits mail bombing from one address; counted before the mail is queued.
    const { retryAfterSeconds } = await throttle.hit(req.ip ?? "inconnu");
    if (retryAfterSeconds > 0) {
      res.setHeader("Retry-After", String(retryAfterSeconds));
      renderForm(res, "account/register", {
        title: "Je crée mon compte",
        values,
        status: 429,
        errors: formErrors([["email", waitMessage(retryAfterSeconds)]]),
      });
      return;
    }
    // The answer leaves before the address is looked up: its timing cannot tell whether an account exists.
    // Recorded first, so that an answered request is never lost (account-requests.ts).
    const recorded = await recordAccountRequest(ctx, { kind: "REGISTRATION", payload: form.data });
    afterResponse.run(res, () => doAccountRequest(ctx, recorded));
    res.redirect(303, "/inscription/email-envoye");
  });

  router.get("/inscription/email-envoye", (_req, res) => {
    res.render("account/register-sent", { title: "Je crée mon compte" });
  });

  router.get("/inscription/confirmer", async (req, res) => {
    const check = await checkToken(ctx, req.query.token, "VERIFY_EMAIL");
    if (check.status !== "valid") {
      renderLinkProblem(res, check);
      return;
    }
    renderForm(res, "account/choose-password", { title: "Je valide la création de mon compte", token: req.query.token });
  });

  router.post("/inscription/confirmer", async (req, res) => {
    const token = typeof req.body?.token === "string" ? req.body.token : "";
    const form = parseForm(choosePasswordForm, req, choosePasswordFieldOrder);
    if (!form.ok) {
      renderForm(res, "account/choose-password", { title: "Je valide la création de mon compte", token, errors: form.errors });
      return;
    }
    const user = await completeRegistration(ctx, token, form.data.password as string);
    if (!user) {
      renderLinkProblem(res, await checkToken(ctx, token, "VERIFY_EMAIL"));
      return;
    }
    await logIn(req, user, false);
    req.session.flash = "Votre compte est créé et vous êtes connecté. Complétez maintenant vos informations personnelles.";
    res.redirect(303, "/");
  });

  // « Recevoir un nouveau lien » from the page of an expired link.
  router.post("/inscription/nouveau-lien", async (req, res) => {
    const tokenId: unknown = req.body?.tokenId;
    // Each one sends a mail, like a registration: counted against the same per-source limit.
    const { retryAfterSeconds } = await throttle.hit(req.ip ?? "inconnu");
    if (retryAfterSeconds > 0) {
      res.setHeader("Retry-After", String(retryAfterSeconds));
      renderForm(res, "account/register", { title: "Je crée mon compte", status: 429, errors: formErrors([["email", waitMessage(retryAfterSeconds)]]) });
      return;
    }
    if (isRowId(tokenId)) await resendVerification(ctx, tokenId);
    res.redirect(303, "/inscription/email-envoye");
  });

  return router;
}
