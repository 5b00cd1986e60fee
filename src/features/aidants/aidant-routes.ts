/**
 * « Mon aidant » (the applicant invites, sees and removes their aidants),
 * the invitation link (accepted with one's own account, or with one created
 * from it), and « Personnes que j'aide » (« Agir pour … », « Revenir à mon
 * compte », « Ne plus aider »). Routes parse and call AidantService.
 */
import { personName } from "../../views/format.js";
import { Router, type Request, type RequestHandler, type Response } from "express";
import { formErrors } from "../../lib/form-errors.js";
import { parseForm, renderForm, typedValues } from "../../lib/forms.js";
import { isRowId } from "../../lib/row-id.js";
import { requireLogin, requireRole } from "../../middleware/auth.js";
import { renderNotFound } from "../../middleware/errors.js";
import { paths, pathTo } from "../../paths.js";
import type { Services } from "../../services.js";
import { choosePasswordForm } from "../account/account-forms.js";
import { logIn } from "../account/login-session.js";
import { accountNames, actForForm, confirmEnd, invitationToken, inviteForm } from "./aidant-forms.js";
import { AIDANT_INVITATIONS_PER_DAY, type InvitationCheck } from "./aidant-service.js";

const MY_AIDANT = "Mon aidant";
const PEOPLE = "Personnes que j'aide";
const INVITATION = "Invitation à aider une personne";

const PROBLEMS: Record<Exclude<InvitationCheck["status"], "valid">, { status: number; text: string }> = {
  unknown: {
    status: 404,
    text: "Ce lien d'invitation n'est pas valide. Vérifiez que vous avez copié le lien entier, ou demandez à la personne de vous inviter à nouveau.",
  },
  used: { status: 410, text: "Ce lien d'invitation a déjà servi. Si c'était vous, la personne figure dans « Personnes que j'aide »." },
  expired: { status: 410, text: "Ce lien d'invitation a expiré. Demandez à la personne de vous inviter à nouveau depuis « Mon aidant »." },
  cancelled: { status: 410, text: "Cette invitation a été annulée par la personne qui l'a envoyée, ou remplacée par une plus récente." },
};

export function aidantRoutes({ aidants }: Pick<Services, "aidants">): Router {
  const router = Router();
  const applicant = [requireLogin, requireRole("APPLICANT")];

  /** « Mon aidant » is about one's own account: not while acting for someone. */
  const ownAccountOnly: RequestHandler = (req, res, next) => {
    if (!req.actingFor) {
      next();
      return;
    }
    res.status(403).render("aidants/own-account-only", { title: MY_AIDANT });
  };

  // ---- « Mon aidant », for the applicant ----

  async function renderMyAidant(
    req: Request,
    res: Response,
    extra: { values?: Record<string, string>; errors?: ReturnType<typeof formErrors>; status?: number } = {},
  ) {
    const overview = await aidants.overview(req.user!.id);
    renderForm(res, "aidants/my-aidant", { title: MY_AIDANT, ...overview, ...extra });
  }

  router.get(paths.myAidant, ...applicant, ownAccountOnly, (req, res) => renderMyAidant(req, res));

  router.post(paths.myAidantInvite, ...applicant, ownAccountOnly, async (req, res) => {
    const form = parseForm(inviteForm, req, ["email"]);
    if (!form.ok) {
      await renderMyAidant(req, res, { values: typedValues(req), errors: form.errors });
      return;
    }
    const outcome = await aidants.invite(req.user!.id, form.data.email);
    if (outcome !== "sent") {
      const message =
        outcome === "own-address"
          ? "C'est l'adresse de votre propre compte : indiquez celle de la personne qui vous aide."
          : `Vous avez envoyé ${AIDANT_INVITATIONS_PER_DAY} invitations en 24 heures : réessayez demain, ou utilisez une invitation déjà envoyée.`;
      await renderMyAidant(req, res, {
        values: typedValues(req),
        errors: formErrors([["email", message]]),
        ...(outcome === "too-many" ? { status: 429 } : {}),
      });
      return;
    }
    req.session.flash = `L'invitation est envoyée à ${form.data.email.trim().toLowerCase()}. Elle est valable 14 jours.`;
    res.redirect(303, pathTo(paths.myAidant));
  });

  router.post(paths.myAidantInvitationCancel, ...applicant, ownAccountOnly, async (req, res) => {
    const id = String(req.params.id);
    if (!isRowId(id) || !(await aidants.cancelInvitation(req.user!.id, id))) {
      renderNotFound(req, res);
      return;
    }
    req.session.flash = "L'invitation est annulée : son lien ne fonctionne plus.";
    res.redirect(303, pathTo(paths.myAidant));
  });

  async function renderEndConfirmation(req: Request, res: Response, errors?: ReturnType<typeof formErrors>) {
    const id = String(req.params.id);
    const access = isRowId(id) ? await aidants.findAccessOf(req.user!.id, id) : null;
    if (!access) {
      renderNotFound(req, res);
      return;
    }
    renderForm(res, "aidants/end-access", { title: `Retirer l'accès de ${access.aidant.firstName} ${access.aidant.lastName} ?`, access, errors });
  }

  router.get(paths.myAidantEnd, ...applicant, ownAccountOnly, (req, res) => renderEndConfirmation(req, res));

  router.post(paths.myAidantEnd, ...applicant, ownAccountOnly, async (req, res) => {
    const confirmed = parseForm(confirmEnd, req, ["confirm"]);
    if (!confirmed.ok) {
      await renderEndConfirmation(req, res, confirmed.errors);
      return;
    }
    const id = String(req.params.id);
    if (!isRowId(id) || !(await aidants.endByApplicant(req.user!.id, id))) {
      renderNotFound(req, res);
      return;
    }
    req.session.flash = "L'accès de votre aidant à votre compte a pris fin.";
    res.redirect(303, pathTo(paths.myAidant));
  });

  // ---- The invitation link ----

  const problemPage = (res: Response, status: Exclude<InvitationCheck["status"], "valid">) =>
    res.status(PROBLEMS[status].status).render("aidants/invitation-problem", { title: INVITATION, problem: PROBLEMS[status].text });

  router.get(paths.aidantInvitation, async (req, res) => {
    const { token } = invitationToken.parse(req.query);
    const check = await aidants.checkInvitation(token);
    if (check.status !== "valid") {
      problemPage(res, check.status);
      return;
    }
    // After « Se connecter », back to this page to accept.
    if (!req.user) req.session.returnTo = req.originalUrl;
    renderForm(res, "aidants/invitation", {
      title: INVITATION,
      token,
      applicantName: personName(check.applicant),
      email: check.invitation.email,
      accountExists: check.accountExists,
      self: req.user?.id === check.applicant.id,
    });
  });

  router.post(paths.aidantInvitation, requireLogin, async (req, res) => {
    const { token } = invitationToken.parse(req.body);
    const outcome = await aidants.accept(token, req.user!);
    if (outcome.kind === "invalid") {
      problemPage(res, outcome.status);
      return;
    }
    if (outcome.kind !== "accepted") {
      const problem =
        outcome.kind === "self"
          ? "Vous ne pouvez pas être votre propre aidant : transmettez ce lien à la personne qui vous aide."
          : "Un compte agent ne peut pas être aidant. Connectez-vous avec votre compte personnel.";
      res.status(409).render("aidants/invitation-problem", { title: INVITATION, problem });
      return;
    }
    req.session.flash = `Vous pouvez maintenant aider ${personName(outcome.applicant)}. Cliquez sur « Agir pour ${personName(outcome.applicant)} » pour remplir ou suivre ses demandes.`;
    res.redirect(303, pathTo(paths.aidantPeople));
  });

  router.post(paths.aidantInvitationAccount, async (req, res) => {
    const { token } = invitationToken.parse(req.body);
    const check = await aidants.checkInvitation(token);
    if (check.status !== "valid") {
      problemPage(res, check.status);
      return;
    }
    const page = { title: INVITATION, token, applicantName: personName(check.applicant), email: check.invitation.email, self: false };
    if (check.accountExists) {
      renderForm(res, "aidants/invitation", { ...page, accountExists: true, status: 409 });
      return;
    }
    const names = parseForm(accountNames, req, ["lastName", "firstName"]);
    const password = parseForm(choosePasswordForm, req, ["password", "confirmation"]);
    if (!names.ok || !password.ok) {
      const errors = formErrors([...(names.ok ? [] : Object.entries(names.errors.fields)), ...(password.ok ? [] : Object.entries(password.errors.fields))]);
      renderForm(res, "aidants/invitation", { ...page, accountExists: false, values: typedValues(req, ["password", "confirmation", "token"]), errors });
      return;
    }
    const created = await aidants.createAccountAndAccept(token, { ...names.data, password: password.data.password as string });
    if (!created) {
      const now = await aidants.checkInvitation(token);
      if (now.status === "valid") renderForm(res, "aidants/invitation", { ...page, accountExists: true, status: 409 });
      else problemPage(res, now.status);
      return;
    }
    await logIn(req, created.user, false);
    req.session.flash = `Votre compte est créé et vous pouvez maintenant aider ${personName(created.applicant)}.`;
    res.redirect(303, pathTo(paths.aidantPeople));
  });

  // ---- « Personnes que j'aide », for the aidant ----

  router.get(paths.aidantPeople, ...applicant, async (req, res) => {
    const people = await aidants.peopleHelped(req.user!.id);
    res.render("aidants/people", { title: PEOPLE, people });
  });

  router.post(paths.aidantActFor, ...applicant, async (req, res) => {
    const { personId } = actForForm.parse(req.body);
    const person = personId ? await aidants.findActingFor(req.user!.id, personId) : null;
    if (!person) {
      renderNotFound(req, res);
      return;
    }
    req.session.actingFor = person.id;
    req.session.flash = `Vous agissez maintenant pour ${personName(person)}.`;
    res.redirect(303, pathTo(paths.myRequests));
  });

  router.post(paths.aidantActForSelf, ...applicant, (req, res) => {
    delete req.session.actingFor;
    req.session.flash = "Vous êtes revenu sur votre propre compte.";
    res.redirect(303, pathTo(paths.aidantPeople));
  });

  async function renderLeave(req: Request, res: Response, errors?: ReturnType<typeof formErrors>) {
    const id = String(req.params.id);
    const access = isRowId(id) ? (await aidants.peopleHelped(req.user!.id)).find((candidate) => candidate.id === id) : undefined;
    if (!access) {
      renderNotFound(req, res);
      return;
    }
    renderForm(res, "aidants/leave", { title: `Ne plus aider ${personName(access.applicant)} ?`, access, name: personName(access.applicant), errors });
  }

  router.get(paths.aidantLeave, ...applicant, (req, res) => renderLeave(req, res));

  router.post(paths.aidantLeave, ...applicant, async (req, res) => {
    const confirmed = parseForm(confirmEnd, req, ["confirm"]);
    if (!confirmed.ok) {
      await renderLeave(req, res, confirmed.errors);
      return;
    }
    const id = String(req.params.id);
    const left = isRowId(id) ? await aidants.leave(req.user!.id, id) : null;
    if (!left) {
      renderNotFound(req, res);
      return;
    }
    // Leaving the person acted for ends acting for them now, not at the next page.
    if (req.session.actingFor === left) delete req.session.actingFor;
    req.session.flash = "Vous n'aidez plus cette personne : vous n'avez plus accès à son compte.";
    res.redirect(303, pathTo(paths.aidantPeople));
  });

  return router;
}
