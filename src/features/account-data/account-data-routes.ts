/**
 * « Télécharger mes données » and « Supprimer mon compte », from « Mes
 * informations personnelles ». Applicants only: agents' accounts are
 * managed by the administrators (« Comptes agents »).
 */
import { pipeline } from "node:stream/promises";
import { Router } from "express";
import { z } from "zod";
import { formErrors } from "../../lib/form-errors.js";
import { parseForm, renderForm, typedValues } from "../../lib/forms.js";
import { logger } from "../../logger.js";
import { requireLogin, requireRole } from "../../middleware/auth.js";
import type { Throttle } from "../../middleware/rate-limit.js";
import { paths, pathTo } from "../../paths.js";
import type { Services } from "../../services.js";
import { logOut } from "../account/login-session.js";
import { PROCESSING_MESSAGE } from "./account-data-service.js";

const MY_DATA = "Télécharger mes données";
const DELETE = "Supprimer mon compte";

const deleteAccountForm = z.object({
  password: z.string({ error: "Indiquez votre mot de passe." }).min(1, "Indiquez votre mot de passe."),
  confirm: z.literal("on", { error: "Cochez la case pour confirmer la suppression de votre compte." }),
});

export function accountDataRoutes(services: Pick<Services, "accountData">, passwordCheck: Throttle): Router {
  const { accountData } = services;
  const router = Router();
  const applicant = [requireLogin, requireRole("APPLICANT")];

  router.get(paths.myData, ...applicant, (_req, res) => {
    res.render("account-data/my-data", { title: MY_DATA });
  });

  // A POST with its CSRF token, not a link: a prefetch or a crafted page cannot start the download. No personal data in the URL.
  router.post(paths.myData, ...applicant, async (req, res) => {
    const archive = await accountData.exportZip(req.user!.id);
    res.setHeader("Content-Type", "application/zip");
    res.setHeader("Content-Disposition", 'attachment; filename="mes-donnees-amethyste.zip"');
    res.setHeader("Cache-Control", "private, no-store");
    try {
      await pipeline(archive, res);
    } catch (error) {
      // The headers are gone: the download is cut short, and the browser says it failed.
      logger.error({ err: error }, "export des données : l'archive n'a pas pu être envoyée en entier");
      res.destroy();
    }
  });

  router.get(paths.deleteAccount, ...applicant, async (req, res) => {
    const processing = await accountData.requestBeingProcessed(req.user!.id);
    renderForm(res, "account-data/delete-account", { title: DELETE, processing: processing === null ? null : PROCESSING_MESSAGE });
  });

  router.post(paths.deleteAccount, ...applicant, async (req, res) => {
    const user = req.user!;
    const form = parseForm(deleteAccountForm, req, ["password", "confirm"]);
    if (!form.ok) {
      renderForm(res, "account-data/delete-account", {
        title: DELETE,
        processing: null,
        errors: form.errors,
        values: { confirm: typedValues(req).confirm === "on" ? "on" : "" },
      });
      return;
    }
    const outcome = await accountData.deleteAccount(user.id, form.data.password, passwordCheck);
    if (!outcome.ok) {
      if (outcome.problem === "processing") {
        renderForm(res, "account-data/delete-account", { title: DELETE, processing: outcome.message, status: 409 });
        return;
      }
      if (outcome.problem === "wait") res.setHeader("Retry-After", String(outcome.retryAfterSeconds));
      renderForm(res, "account-data/delete-account", {
        title: DELETE,
        processing: null,
        values: { confirm: "on" },
        errors: formErrors([["password", outcome.message]]),
        ...(outcome.problem === "wait" ? { status: 429 } : {}),
      });
      return;
    }
    // Every session of the account is already gone from the store; this one becomes a fresh, anonymous one.
    await logOut(req);
    res.redirect(303, pathTo(paths.accountDeleted));
  });

  router.get(paths.accountDeleted, (_req, res) => {
    res.render("account-data/deleted", { title: "Votre compte a été supprimé" });
  });

  return router;
}
