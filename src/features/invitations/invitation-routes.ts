/** Invitations: « Nouvelle invitation » for agents at a counter, and « Utiliser une invitation » for the person invited. */
import { Router, type Request, type Response } from "express";
import { z } from "zod";
import { formErrors } from "../../lib/form-errors.js";
import { emailAddress, personName } from "../../lib/form-fields.js";
import { parseForm, renderForm, typedValues } from "../../lib/forms.js";
import { waitMessage, type Throttle } from "../../middleware/rate-limit.js";
import { choosePasswordForm } from "../account/account-forms.js";
import { logIn } from "../account/login-session.js";
import { pathTo, paths } from "../../paths.js";
import { normalizeInvitationCode } from "./invitation-code.js";
import type { InvitationService } from "./invitation-service.js";

const invitationForm = z.object({
  lastName: personName({ missing: "Indiquez le nom de la personne." }),
  firstName: personName({ missing: "Indiquez le prénom de la personne." }),
  email: emailAddress({ missing: "Indiquez l'adresse e-mail de la personne." }),
});

/** The code as it comes (a link's query string, a hidden field): normalized, null when it cannot be one. */
const followedCode = z.object({ code: z.unknown().optional().transform(normalizeInvitationCode) });

/** The code typed from paper. */
const typedCode = z.object({
  code: z.string({ error: "Indiquez le code d'invitation." }).trim().min(1, "Indiquez le code d'invitation.").transform(normalizeInvitationCode),
});

const accountNames = z.object({
  lastName: personName({ missing: "Indiquez le nom." }),
  firstName: personName({ missing: "Indiquez le prénom." }),
});

/** « Nouvelle invitation », for agents (mounted behind the agents' guard). */
export function agentInvitationRoutes(invitations: InvitationService): Router {
  const router = Router();
  router.get(paths.agentInvitations, (_req, res) => renderForm(res, "invitations/new", { title: "Nouvelle invitation" }));
  router.post(paths.agentInvitations, async (req, res) => {
    const form = parseForm(invitationForm, req, ["lastName", "firstName", "email"]);
    if (!form.ok) {
      renderForm(res, "invitations/new", { title: "Nouvelle invitation", values: typedValues(req), errors: form.errors });
      return;
    }
    const invitation = await invitations.create({ ...form.data, agentId: req.user!.id });
    if (!invitation) {
      // Agents may know that an address has an account, never its role or state: one message for all.
      renderForm(res, "invitations/new", {
        title: "Nouvelle invitation",
        values: typedValues(req),
        errors: formErrors([
          [
            "email",
            "Cette adresse a déjà un compte sur le portail : aucune invitation n'est envoyée. La personne peut se connecter, ou choisir un mot de passe avec « Mot de passe oublié ? ».",
          ],
        ]),
      });
      return;
    }
    res.render("invitations/created", { title: "Invitation envoyée", code: invitation.code, person: form.data });
  });
  return router;
}

/** « Utiliser une invitation », for the person invited. */
export function publicInvitationRoutes(invitations: InvitationService, throttle: Throttle): Router {
  const router = Router();
  const TITLE = "Utiliser une invitation";

  const problemPage = (res: Response, status: "used" | "expired" | "unknown") =>
    renderForm(res, "invitations/enter-code", {
      title: TITLE,
      status: status === "unknown" ? 404 : 410,
      errors: formErrors([
        [
          "code",
          {
            used: "Cette invitation a déjà servi.",
            expired: "Cette invitation a expiré : demandez-en une nouvelle à l'accueil du Département.",
            unknown: "Ce code d'invitation n'existe pas. Vérifiez-le (12 caractères, par exemple K7P2-X9QM-4TZA).",
          }[status],
        ],
      ]),
    });

  /**
   * Every code followed or typed is counted per source address BEFORE it is
   * checked, so that parallel guesses cannot all be checked first; a valid
   * code gives its point back (a person's own link never runs out). Null
   * when refused: the 429 page has been sent.
   */
  const countedCheck = async (req: Request, res: Response, code: string | null) => {
    const ip = req.ip ?? "inconnu";
    const { retryAfterSeconds } = await throttle.hit(ip);
    if (retryAfterSeconds > 0) {
      res.setHeader("Retry-After", String(retryAfterSeconds));
      renderForm(res, "invitations/enter-code", {
        title: TITLE,
        status: 429,
        values: typedValues(req),
        errors: formErrors([["code", waitMessage(retryAfterSeconds)]]),
      });
      return null;
    }
    const check = await invitations.check(code);
    if (check.status === "valid") await throttle.refund(ip);
    return check;
  };

  router.get(paths.invitation, async (req, res) => {
    if (req.query.code === undefined) {
      renderForm(res, "invitations/enter-code", { title: TITLE });
      return;
    }
    const { code } = followedCode.parse(req.query);
    const check = await countedCheck(req, res, code);
    if (!check) return;
    if (check.status !== "valid") {
      problemPage(res, check.status);
      return;
    }
    renderForm(res, "invitations/create-account", {
      title: "Je crée mon compte",
      code,
      email: check.invitation.email,
      accountExists: check.accountExists,
      values: { firstName: check.invitation.firstName, lastName: check.invitation.lastName },
    });
  });

  // The code typed from paper: guessing is throttled per source address.
  router.post(paths.invitationCode, async (req, res) => {
    const form = parseForm(typedCode, req, ["code"]);
    if (!form.ok) {
      renderForm(res, "invitations/enter-code", { title: TITLE, errors: form.errors });
      return;
    }
    const { code } = form.data;
    const check = await countedCheck(req, res, code);
    if (!check) return;
    if (check.status === "valid") {
      res.redirect(303, `${pathTo(paths.invitation)}?code=${code}`);
      return;
    }
    problemPage(res, check.status);
  });

  router.post(paths.invitation, async (req, res) => {
    const { code } = followedCode.parse(req.body ?? {});
    const check = await countedCheck(req, res, code);
    if (!check) return;
    if (check.status !== "valid") {
      problemPage(res, check.status);
      return;
    }
    if (check.accountExists) {
      renderForm(res, "invitations/create-account", { title: "Je crée mon compte", status: 409, code, email: check.invitation.email, accountExists: true });
      return;
    }
    const names = parseForm(accountNames, req, ["lastName", "firstName"]);
    const password = parseForm(choosePasswordForm, req, ["password", "confirmation"]);
    if (!names.ok || !password.ok) {
      const errors = formErrors([...(names.ok ? [] : Object.entries(names.errors.fields)), ...(password.ok ? [] : Object.entries(password.errors.fields))]);
      renderForm(res, "invitations/create-account", {
        title: "Je crée mon compte",
        code,
        email: check.invitation.email,
        accountExists: check.accountExists,
        values: typedValues(req, ["password", "confirmation", "code"]),
        errors,
      });
      return;
    }
    const user = await invitations.accept({ code: code!, ...names.data, password: password.data.password as string });
    if (!user) {
      // Used meanwhile, or an account was made for the address meanwhile: the page says which.
      const now = await invitations.check(code);
      if (now.status === "valid")
        renderForm(res, "invitations/create-account", { title: "Je crée mon compte", status: 409, code, email: now.invitation.email, accountExists: true });
      else problemPage(res, now.status);
      return;
    }
    await logIn(req, user, false);
    req.session.flash = "Votre compte est créé et vous êtes connecté. Complétez maintenant vos informations personnelles.";
    res.redirect(303, pathTo(paths.home));
  });

  return router;
}
