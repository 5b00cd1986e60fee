import { Router } from "express";
import { z } from "zod";
import type { AuditAction } from "../../generated/prisma/enums.js";
import { dateRangeCondition, parseDateRange } from "../../lib/date-range.js";
import { formatEuros } from "../../domain/participation.js";
import { formErrors, noErrors } from "../../lib/form-errors.js";
import { emailAddress, personName } from "../../lib/form-fields.js";
import { fieldText, parseForm, renderForm, typedValues } from "../../lib/forms.js";
import { AUDIT_LABELS, describeAudit } from "../audit/audit-log.js";
import { filtersQuery } from "../agent/queue-filters.js";
import { createStaffAccount, listStaff, setStaffDisabled, updateParticipations, updateStatuts, type AdminContext, type StatutRuleInput } from "./admin-service.js";
import { isRowId } from "../../lib/row-id.js";
import { renderNotFound } from "../../middleware/errors.js";

const staffForm = z.object({
  lastName: personName({ missing: "Indiquez le nom." }),
  firstName: personName({ missing: "Indiquez le prénom." }),
  email: emailAddress({ missing: "Indiquez l'adresse e-mail professionnelle." }),
  role: z.enum(["AGENT", "ADMIN"], { error: "Choisissez le rôle." }),
});

const AUDIT_PAGE_SIZE = 50;

/** Administrators' pages (mounted behind the administrators' guard). */
export function adminRoutes(ctx: AdminContext): Router {
  const router = Router();

  const renderAgents = async (res: import("express").Response, locals: Record<string, unknown> = {}) =>
    renderForm(res, "admin/agents", { title: "Comptes agents", staff: await listStaff(ctx.db), ...locals });

  router.get("/admin/agents", (_req, res) => renderAgents(res));

  router.post("/admin/agents", async (req, res) => {
    const form = parseForm(staffForm, req, ["lastName", "firstName", "email", "role"]);
    if (!form.ok) {
      await renderAgents(res, { values: typedValues(req), errors: form.errors });
      return;
    }
    if (!(await createStaffAccount(ctx, { ...form.data, adminId: req.user!.id }))) {
      await renderAgents(res, { values: typedValues(req), errors: formErrors([["email", "Cette adresse est déjà celle d'un compte du portail."]]) });
      return;
    }
    req.session.flash = `Compte créé. ${form.data.firstName} ${form.data.lastName} reçoit un e-mail pour choisir son mot de passe.`;
    res.redirect(303, "/admin/agents");
  });

  router.post("/admin/agents/:id/:action", async (req, res) => {
    const action = req.params.action;
    const id = String(req.params.id);
    if ((action !== "desactiver" && action !== "reactiver") || !isRowId(id)) {
      renderNotFound(req, res);
      return;
    }
    const done = await setStaffDisabled(ctx, { userId: id, adminId: req.user!.id, disabled: action === "desactiver" });
    if (!done) {
      await renderAgents(res, { status: 422, errors: formErrors([["staff", "Ce compte ne peut pas être modifié (vous ne pouvez pas désactiver votre propre compte)."]]) });
      return;
    }
    req.session.flash = action === "desactiver" ? "Compte désactivé : ses connexions sont fermées." : "Compte réactivé.";
    res.redirect(303, "/admin/agents");
  });

  const renderParticipations = async (res: import("express").Response, locals: Record<string, unknown> = {}) => {
    const zonages = await ctx.db.zonage.findMany({ orderBy: { sortOrder: "asc" } });
    const values = Object.fromEntries(zonages.map((zonage) => [zonage.code, formatEuros(zonage.yearlyParticipationCents).replace(" €", "")]));
    renderForm(res, "admin/participations", { title: "Participations annuelles", zonages, values, errors: noErrors, ...locals });
  };

  router.get("/admin/participations", (_req, res) => renderParticipations(res));

  router.post("/admin/participations", async (req, res) => {
    const zonages = await ctx.db.zonage.findMany({ orderBy: { sortOrder: "asc" } });
    const problems: [string, string][] = [];
    const cents: Record<string, number> = {};
    for (const zonage of zonages) {
      const raw = typeof req.body?.[zonage.code] === "string" ? req.body[zonage.code].trim().replace(",", ".").replace(/\s|€/g, "") : "";
      if (!/^\d{1,4}(\.\d{1,2})?$/.test(raw)) problems.push([zonage.code, `Indiquez un montant en euros pour « ${zonage.label} », par exemple 42 ou 42,50.`]);
      else cents[zonage.code] = Math.round(Number(raw) * 100);
    }
    if (problems.length > 0) {
      await renderParticipations(res, { values: typedValues(req), errors: formErrors(problems), status: 422 });
      return;
    }
    await updateParticipations(ctx, { cents, adminId: req.user!.id });
    req.session.flash = "Participations enregistrées. Elles s'appliquent aux demandes déposées à partir de maintenant.";
    res.redirect(303, "/admin/participations");
  });

  const renderStatuts = async (res: import("express").Response, locals: Record<string, unknown> = {}) => {
    const statuts = await ctx.db.statut.findMany({ orderBy: { sortOrder: "asc" } });
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

  router.get("/admin/statuts", (_req, res) => renderStatuts(res));

  router.post("/admin/statuts", async (req, res) => {
    const statuts = await ctx.db.statut.findMany({ orderBy: { sortOrder: "asc" } });
    const body = (req.body ?? {}) as Record<string, unknown>;
    const text = (name: string) => fieldText(body[name]);
    const problems: [string, string][] = [];
    const rules: Record<string, StatutRuleInput> = {};
    for (const statut of statuts) {
      const label = text(`${statut.code}-label`);
      const age = text(`${statut.code}-minimumAge`);
      const document = text(`${statut.code}-situationDocument`);
      if (!label || label.length > 100) problems.push([`${statut.code}-label`, `Indiquez le libellé de la situation ${statut.code} (100 caractères au plus).`]);
      if (age && !/^\d{1,3}$/.test(age)) problems.push([`${statut.code}-minimumAge`, `L'âge minimum de la situation ${statut.code} est un nombre d'années, ou vide s'il n'y en a pas.`]);
      if (!document || document.length > 300) problems.push([`${statut.code}-situationDocument`, `Indiquez le justificatif de la situation ${statut.code} (300 caractères au plus).`]);
      rules[statut.code] = { label, minimumAge: age ? Number(age) : null, mustBeNonTaxable: body[`${statut.code}-mustBeNonTaxable`] === "on", situationDocument: document };
    }
    if (problems.length > 0) {
      await renderStatuts(res, { values: typedValues(req), errors: formErrors(problems), status: 422 });
      return;
    }
    await updateStatuts(ctx, { rules, adminId: req.user!.id });
    req.session.flash = "Situations enregistrées. Les nouvelles règles s'appliquent aux prochaines réponses d'éligibilité.";
    res.redirect(303, "/admin/statuts");
  });

  router.get("/admin/journal", async (req, res) => {
    const one = (name: string) => fieldText(req.query[name]);
    const values = { action: one("action"), du: one("du"), au: one("au"), agent: one("agent") };
    const problems: [string, string][] = [];
    const action = (Object.keys(AUDIT_LABELS) as AuditAction[]).find((candidate) => candidate === values.action);
    if (values.action && !action) problems.push(["action", "Choisissez une action dans la liste."]);
    const range = parseDateRange(values);
    problems.push(...range.problems);
    const page = Math.max(Number.parseInt(one("page"), 10) || 1, 1);
    const locals = { title: "Journal d'audit", values, labels: AUDIT_LABELS, filtersQuery };
    if (problems.length > 0) {
      renderForm(res, "admin/journal", { ...locals, errors: formErrors(problems), entries: [], page: 1, pages: 1 });
      return;
    }
    const where = {
      ...(action ? { action } : {}),
      ...(values.agent ? { actor: { email: { contains: values.agent.toLowerCase() } } } : {}),
      ...(dateRangeCondition(range) ? { createdAt: dateRangeCondition(range) } : {}),
    };
    const [total, entries] = await Promise.all([
      ctx.db.auditLog.count({ where }),
      ctx.db.auditLog.findMany({
        where,
        orderBy: { id: "desc" },
        skip: (page - 1) * AUDIT_PAGE_SIZE,
        take: AUDIT_PAGE_SIZE,
        include: { actor: { select: { firstName: true, lastName: true, email: true } }, request: { select: { number: true } } },
      }),
    ]);
    const userIds = entries.map((entry) => (entry.details as { userId?: unknown } | null)?.userId).filter((id): id is string => typeof id === "string");
    const people = new Map(
      (await ctx.db.user.findMany({ where: { id: { in: userIds } }, select: { id: true, firstName: true, lastName: true } })).map((user) => [user.id, `${user.firstName} ${user.lastName}`]),
    );
    renderForm(res, "admin/journal", {
      ...locals,
      entries: entries.map((entry) => ({ ...entry, description: describeAudit(entry.action, entry.details, people) })),
      page,
      pages: Math.max(1, Math.ceil(total / AUDIT_PAGE_SIZE)),
    });
  });

  return router;
}
