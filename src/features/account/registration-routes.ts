import { Router, type Response } from "express";
import type { AfterResponse } from "../../lib/after-response.js";
import { formErrors } from "../../lib/form-errors.js";
import { parseForm, renderForm, typedValues } from "../../lib/forms.js";
import { isRowId } from "../../lib/row-id.js";
import { waitMessage, type Throttle } from "../../middleware/rate-limit.js";
import { paths, pathTo } from "../../paths.js";
import type { Services } from "../../services.js";
import type { TokenCheck } from "./account-service.js";
import { choosePasswordFieldOrder, choosePasswordForm, linkToken, newLinkForm, registrationFieldOrder, registrationForm } from "./account-forms.js";
import { logIn } from "./login-session.js";

const TITLE = "Je crée mon compte";
const CONFIRM_TITLE = "Je valide la création de mon compte";

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
export function registrationRoutes(services: Pick<Services, "accounts" | "accountRequests">, throttle: Throttle, afterResponse: AfterResponse): Router {
  const { accounts, accountRequests } = services;
  const router = Router();

  router.get(paths.register, (req, res) => {
    if (req.user) {
      res.redirect(pathTo(paths.home));
      return;
    }
    renderForm(res, "account/register", { title: TITLE });
  });

  router.post(paths.register, async (req, res) => {
    const values = typedValues(req);
    const form = parseForm(registrationForm, req, registrationFieldOrder);
    if (!form.ok) {
      renderForm(res, "account/register", { title: TITLE, values, errors: form.errors });
      return;
    }
    // Limits mail bombing from one address; counted before the mail is queued.
    const { retryAfterSeconds } = await throttle.hit(req.ip ?? "inconnu");
    if (retryAfterSeconds > 0) {
      res.setHeader("Retry-After", String(retryAfterSeconds));
      renderForm(res, "account/register", {
        title: TITLE,
        values,
        status: 429,
        errors: formErrors([["email", waitMessage(retryAfterSeconds)]]),
      });
      return;
    }
    // The answer leaves before the address is looked up: its timing cannot tell whether an account exists.
    // Recorded first, so that an answered request is never lost (account-requests.ts).
    const recorded = await accountRequests.record({ kind: "REGISTRATION", payload: form.data });
    afterResponse.run(res, () => accountRequests.do(recorded));
    res.redirect(303, pathTo(paths.registerSent));
  });

  router.get(paths.registerSent, (_req, res) => {
    res.render("account/register-sent", { title: TITLE });
  });

  router.get(paths.registerConfirm, async (req, res) => {
    const { token } = linkToken.parse(req.query);
    const check = await accounts.checkToken(token, "VERIFY_EMAIL");
    if (check.status !== "valid") {
      renderLinkProblem(res, check);
      return;
    }
    renderForm(res, "account/choose-password", { title: CONFIRM_TITLE, token });
  });

  router.post(paths.registerConfirm, async (req, res) => {
    const { token } = linkToken.parse(req.body ?? {});
    const form = parseForm(choosePasswordForm, req, choosePasswordFieldOrder);
    if (!form.ok) {
      renderForm(res, "account/choose-password", { title: CONFIRM_TITLE, token, errors: form.errors });
      return;
    }
    const user = await accounts.completeRegistration(token, form.data.password as string);
    if (!user) {
      renderLinkProblem(res, await accounts.checkToken(token, "VERIFY_EMAIL"));
      return;
    }
    await logIn(req, user, false);
    req.session.flash = "Votre compte est créé et vous êtes connecté. Complétez maintenant vos informations personnelles.";
    res.redirect(303, pathTo(paths.home));
  });

  // « Recevoir un nouveau lien » from the page of an expired link.
  router.post(paths.registerNewLink, async (req, res) => {
    const { tokenId } = newLinkForm.parse(req.body ?? {});
    // Each one sends a mail, like a registration: counted against the same per-source limit.
    const { retryAfterSeconds } = await throttle.hit(req.ip ?? "inconnu");
    if (retryAfterSeconds > 0) {
      res.setHeader("Retry-After", String(retryAfterSeconds));
      renderForm(res, "account/register", { title: TITLE, status: 429, errors: formErrors([["email", waitMessage(retryAfterSeconds)]]) });
      return;
    }
    if (isRowId(tokenId)) await accounts.resendVerification(tokenId);
    res.redirect(303, pathTo(paths.registerSent));
  });

  return router;
}
