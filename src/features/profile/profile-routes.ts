import { Router } from "express";
import { CIVILITIES, FAMILY_SITUATIONS, PROTECTION_TYPES } from "../../domain/profile-values.js";
import { parseForm, renderForm, typedValues } from "../../lib/forms.js";
import { requireLogin } from "../../middleware/auth.js";
import { profileFieldOrder, profileForm } from "./profile-form.js";
import { confirmEmailChange, formValues, loadPerson, saveProfile, type ProfileContext } from "./profile-service.js";

const TITLE = "Mes informations personnelles";
const choices = { civilities: CIVILITIES, familySituations: FAMILY_SITUATIONS, protectionTypes: PROTECTION_TYPES };

export function profileRoutes(ctx: ProfileContext): Router {
  const router = Router();

  router.get("/mes-informations", requireLogin, async (req, res) => {
    const person = await loadPerson(ctx.db, req.user!.id);
    renderForm(res, "profile/edit", { title: TITLE, values: formValues(person), choices, person });
  });

  router.post("/mes-informations", requireLogin, async (req, res) => {
    const form = parseForm(profileForm(ctx.clock.now()), req, profileFieldOrder);
    if (!form.ok) {
      const person = await loadPerson(ctx.db, req.user!.id);
      renderForm(res, "profile/edit", { title: TITLE, values: typedValues(req), errors: form.errors, choices, person });
      return;
    }
    const { emailChangeRequested } = await saveProfile(ctx, req.user!.id, form.data);
    req.session.flash = emailChangeRequested
      ? "Vos informations sont mises à jour. Pour changer d'adresse e-mail, cliquez sur le lien que nous venons d'envoyer à la nouvelle adresse : d'ici là, l'ancienne reste celle du compte."
      : "Vos informations sont mises à jour.";
    res.redirect(303, "/mes-informations");
  });

  router.get("/mes-informations/confirmer-email", async (req, res) => {
    const result = await confirmEmailChange(ctx, req.query.token);
    const status = { changed: 200, taken: 409, used: 410, expired: 410, unknown: 404 }[result];
    res.status(status).render("profile/email-confirmation", { title: "Confirmation de l'adresse e-mail", result });
  });

  return router;
}
