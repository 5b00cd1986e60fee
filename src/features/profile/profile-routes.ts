import { Router, type Request } from "express";
import { z } from "zod";
import { CIVILITIES, FAMILY_SITUATIONS, PROTECTION_TYPES } from "../../domain/profile-values.js";
import { formErrors } from "../../lib/form-errors.js";
import { parseForm, renderForm, typedValues } from "../../lib/forms.js";
import { applicantIdOf } from "../../middleware/acting-for.js";
import { requireLogin } from "../../middleware/auth.js";
import type { Throttle } from "../../middleware/rate-limit.js";
import { paths, pathTo } from "../../paths.js";
import type { Services } from "../../services.js";
import { personName } from "../../views/format.js";
import { linkToken } from "../account/account-forms.js";
import { emailChangeFields, profileFieldOrder, profileForm } from "./profile-form.js";
import { formValues } from "./profile-service.js";

const TITLE = "Mes informations personnelles";

/**
 * « Modifier » beside « Demandeur » on the récapitulatif opens this page with
 * ?retour=recapitulatif; the form keeps it in a hidden field, and once saved
 * the person is back on the récapitulatif instead of here.
 */
const returnSchema = z.object({ retour: z.literal("recapitulatif").optional().catch(undefined) }).catch({});
function returningToSummary(req: Request): boolean {
  return returnSchema.parse(req.query).retour !== undefined || returnSchema.parse(req.body ?? {}).retour !== undefined;
}
const choices = { civilities: CIVILITIES, familySituations: FAMILY_SITUATIONS, protectionTypes: PROTECTION_TYPES };

export function profileRoutes(services: Pick<Services, "profiles" | "context">, passwordCheck: Throttle): Router {
  const { profiles, context } = services;
  const router = Router();

  router.get(paths.profile, requireLogin, async (req, res) => {
    const person = await profiles.loadPerson(applicantIdOf(req));
    renderForm(res, "profile/edit", { title: TITLE, values: formValues(person), choices, person, returnToSummary: returningToSummary(req) });
  });

  router.post(paths.profile, requireLogin, async (req, res) => {
    // An aidant acting for someone updates their profile (the request needs it), never their login
    // address: the account's own address is posted in its place, so no change of address can start.
    const user = req.actingFor ? { id: req.actingFor.id, email: (await profiles.loadPerson(req.actingFor.id)).email } : req.user!;
    if (req.actingFor) req.body = { ...(req.body as Record<string, unknown> | undefined), email: user.email, currentPassword: "" };
    const form = parseForm(profileForm(context.clock.now()), req, profileFieldOrder);
    const passwordProblem = await profiles.emailChangePasswordProblem(user, emailChangeFields.parse(req.body ?? {}), passwordCheck);
    if (!form.ok || passwordProblem) {
      const person = await profiles.loadPerson(user.id);
      const entries = Object.entries(form.ok ? {} : form.errors.fields);
      if (passwordProblem) entries.push(["currentPassword", passwordProblem.message]);
      entries.sort(([a], [b]) => profileFieldOrder.indexOf(a as never) - profileFieldOrder.indexOf(b as never));
      const values = typedValues(req, ["currentPassword"]);
      if (passwordProblem?.retryAfterSeconds) res.setHeader("Retry-After", String(passwordProblem.retryAfterSeconds));
      renderForm(res, "profile/edit", {
        title: TITLE,
        values,
        errors: formErrors(entries),
        choices,
        person,
        returnToSummary: returningToSummary(req),
        ...(passwordProblem?.retryAfterSeconds ? { status: 429 } : {}),
      });
      return;
    }
    const { emailChangeRequested } = await profiles.saveProfile(user.id, form.data);
    // An aidant acting for someone changed that person's information, never their own (nor the login address).
    req.session.flash = req.actingFor
      ? `Les informations de ${personName(req.actingFor)} sont mises à jour.`
      : emailChangeRequested
        ? "Vos informations sont mises à jour. Pour changer d'adresse e-mail, cliquez sur le lien que nous venons d'envoyer à la nouvelle adresse : d'ici là, l'ancienne reste celle du compte."
        : "Vos informations sont mises à jour.";
    res.redirect(303, returningToSummary(req) ? paths.requestSummary : pathTo(paths.profile));
  });

  router.get(paths.profileConfirmEmail, async (req, res) => {
    const result = await profiles.confirmEmailChange(linkToken.parse(req.query).token);
    const status = { changed: 200, taken: 409, used: 410, replaced: 410, cancelled: 410, expired: 410, unknown: 404 }[result];
    res.status(status).render("profile/email-confirmation", { title: "Confirmation de l'adresse e-mail", result });
  });

  return router;
}
