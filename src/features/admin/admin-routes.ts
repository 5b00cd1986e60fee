/** Administrators' pages: agent accounts, participations, situations, audit log, undelivered mails. */
import { Router, type Response } from "express";
import { formatEuros } from "../../domain/participation.js";
import { filtersQuery } from "../../lib/filters-query.js";
import { formErrors, noErrors } from "../../lib/form-errors.js";
import { parseForm, renderForm, typedValues } from "../../lib/forms.js";
import { requireLogin, requireRole } from "../../middleware/auth.js";
import { renderNotFound } from "../../middleware/errors.js";
import { pathTo, paths } from "../../paths.js";
import { AUDIT_LABELS } from "../audit/audit-log.js";
import { parseJournalFilters, type AuditJournal } from "../audit/audit-journal.js";
import { participationsForm, staffActionParams, staffForm, statutFieldNames, statutsForm } from "./admin-forms.js";
import type { AdminService } from "./admin-service.js";
import { undeliveredMailRoutes } from "./undelivered-mail-routes.js";
import type { UndeliveredMailService } from "./undelivered-mail-service.js";

/** Every /admin page is for administrators only: others get the 404 page (logged-out visitors go to « Connexion »). */
export function adminRoutes(services: { admin: AdminService; auditJournal: AuditJournal; undeliveredMails: UndeliveredMailService }): Router {
  const { admin, auditJournal: journal } = services;
  const router = Router();
  router.use(paths.admin, requireLogin, requireRole("ADMIN"));
  router.use(undeliveredMailRoutes(services.undeliveredMails));

  const renderAgents = async (res: Response, locals: Record<string, unknown> = {}) =>
    renderForm(res, "admin/agents", { title: "Comptes agents", staff: await admin.listStaff(), ...locals });

  router.get(paths.adminAgents, (_req, res) => renderAgents(res));

  router.post(paths.adminAgents, async (req, res) => {
    const form = parseForm(staffForm, req, ["lastName", "firstName", "email", "role"]);
    if (!form.ok) {
      await renderAgents(res, { values: typedValues(req), errors: form.errors });
      return;
    }
    if (!(await admin.createStaffAccount({ ...form.data, adminId: req.user!.id }))) {
      await renderAgents(res, { values: typedValues(req), errors: formErrors([["email", "Cette adresse est déjà celle d'un compte du portail."]]) });
      return;
    }
    req.session.flash = `Compte créé. ${form.data.firstName} ${form.data.lastName} reçoit un e-mail pour choisir son mot de passe.`;
    res.redirect(303, pathTo(paths.adminAgents));
  });

  router.post(paths.adminAgentAction, async (req, res) => {
    const params = staffActionParams.safeParse(req.params);
    if (!params.success) {
      renderNotFound(req, res);
      return;
    }
    const disabled = params.data.action === "desactiver";
    const done = await admin.setStaffDisabled({ userId: params.data.id, adminId: req.user!.id, disabled });
    if (!done) {
      await renderAgents(res, {
        status: 422,
        errors: formErrors([["staff", "Ce compte ne peut pas être modifié (vous ne pouvez pas désactiver votre propre compte)."]]),
      });
      return;
    }
    req.session.flash = disabled ? "Compte désactivé : ses connexions sont fermées." : "Compte réactivé.";
    res.redirect(303, pathTo(paths.adminAgents));
  });

  const renderParticipations = async (res: Response, locals: Record<string, unknown> = {}) => {
    const zonages = await admin.zonages();
    const values = Object.fromEntries(zonages.map((zonage) => [zonage.code, formatEuros(zonage.yearlyParticipationCents).replace(" €", "")]));
    renderForm(res, "admin/participations", { title: "Participations annuelles", zonages, values, errors: noErrors, ...locals });
  };

  router.get(paths.adminParticipations, (_req, res) => renderParticipations(res));

  router.post(paths.adminParticipations, async (req, res) => {
    const zonages = await admin.zonages();
    const form = parseForm(
      participationsForm(zonages),
      req,
      zonages.map((zonage) => zonage.code),
    );
    if (!form.ok) {
      await renderParticipations(res, { values: typedValues(req), errors: form.errors, status: 422 });
      return;
    }
    await admin.updateParticipations({ cents: form.data, adminId: req.user!.id });
    req.session.flash = "Participations enregistrées. Elles s'appliquent aux demandes déposées à partir de maintenant.";
    res.redirect(303, pathTo(paths.adminParticipations));
  });

  const renderStatuts = async (res: Response, locals: Record<string, unknown> = {}) => {
    const statuts = await admin.statuts();
    const values = Object.fromEntries(
      statuts.flatMap((statut) => [
        [`${statut.code}-label`, statut.label],
        [`${statut.code}-minimumAge`, statut.minimumAge === null ? "" : String(statut.minimumAge)],
        [`${statut.code}-mustBeNonTaxable`, statut.mustBeNonTaxable ? "on" : ""],
        [`${statut.code}-situationDocument`, statut.situationDocument],
      ]),
    );
    renderForm(res, "admin/statuts", { title: "Situations et conditions", statuts, values, errors: noErrors, ...locals });
  };

  router.get(paths.adminStatuts, (_req, res) => renderStatuts(res));

  router.post(paths.adminStatuts, async (req, res) => {
    const statuts = await admin.statuts();
    const form = parseForm(statutsForm(statuts), req, statutFieldNames(statuts));
    if (!form.ok) {
      await renderStatuts(res, { values: typedValues(req), errors: form.errors, status: 422 });
      return;
    }
    await admin.updateStatuts({ rules: form.data, adminId: req.user!.id });
    req.session.flash = "Situations enregistrées. Les nouvelles règles s'appliquent aux prochaines réponses d'éligibilité.";
    res.redirect(303, pathTo(paths.adminStatuts));
  });

  router.get(paths.adminJournal, async (req, res) => {
    const { filters, values, errors } = parseJournalFilters(req.query);
    const locals = { title: "Journal d'audit", values, labels: AUDIT_LABELS, filtersQuery };
    if (errors.summary.length > 0) {
      renderForm(res, "admin/journal", { ...locals, errors, entries: [], page: 1, pages: 1 });
      return;
    }
    const { entries, pages } = await journal.page(filters);
    renderForm(res, "admin/journal", { ...locals, entries, page: filters.page, pages });
  });

  return router;
}
