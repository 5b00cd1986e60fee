/** The agents' queue: filters, search, pagination and the CSV export of what is filtered. */
import { Router } from "express";
import type { Database } from "../../db/prisma.js";
import { STATUS_LABELS } from "../../domain/request-status.js";
import { REQUEST_TYPES } from "../request/steps/type-step.js";
import { audit } from "./audit.js";
import { CSV_BOM, csvLine } from "./csv.js";
import { filtersQuery, PAGE_SIZE, parseQueueFilters, QUEUE_STATUSES, queueWhere } from "./queue-filters.js";

const CSV_BATCH = 1000;

export function queueRoutes(db: Database): Router {
  const router = Router();

  async function reference() {
    const [statuts, zonages] = await Promise.all([
      db.statut.findMany({ orderBy: { sortOrder: "asc" } }),
      db.zonage.findMany({ orderBy: { sortOrder: "asc" } }),
    ]);
    return { statuts, zonages, statutCodes: statuts.map((s) => s.code), zonageCodes: zonages.map((z) => z.code) };
  }

  router.get("/agent", async (req, res) => {
    const ref = await reference();
    const { filters, values, errors } = parseQueueFilters(req.query as Record<string, unknown>, ref);
    const locals = {
      title: "File des demandes",
      values,
      errors,
      statuts: ref.statuts,
      zonages: ref.zonages,
      statuses: QUEUE_STATUSES,
      labels: STATUS_LABELS,
      types: REQUEST_TYPES,
      filtersQuery,
    };
    if (errors.summary.length > 0) {
      res.status(422).render("agent/queue", { ...locals, requests: [], total: 0, page: 1, pages: 1, counts: [] });
      return;
    }
    const where = queueWhere(filters);
    const [total, requests, counts] = await Promise.all([
      db.request.count({ where }),
      db.request.findMany({
        where,
        orderBy: [{ submittedAt: "asc" }, { id: "asc" }],
        skip: (filters.page - 1) * PAGE_SIZE,
        take: PAGE_SIZE,
        select: {
          number: true,
          type: true,
          status: true,
          statutCode: true,
          submittedAt: true,
          zonage: { select: { label: true } },
          applicant: { select: { firstName: true, lastName: true } },
        },
      }),
      db.request.groupBy({ by: ["status"], where: { status: { not: "DRAFT" } }, _count: { _all: true } }),
    ]);
    res.render("agent/queue", {
      ...locals,
      requests,
      total,
      page: filters.page,
      pages: Math.max(1, Math.ceil(total / PAGE_SIZE)),
      counts: QUEUE_STATUSES.map((status) => ({ status, count: counts.find((row) => row.status === status)?._count._all ?? 0 })),
    });
  });

  // Streamed in batches (keyset on submission date and id): memory stays flat whatever the count.
  router.get("/agent/export.csv", async (req, res) => {
    const ref = await reference();
    const { filters, values, errors } = parseQueueFilters(req.query as Record<string, unknown>, ref);
    if (errors.summary.length > 0) {
      res.redirect(303, `/agent${filtersQuery(values)}`);
      return;
    }
    await audit(db, { actorId: req.user!.id, action: "EXPORTED", details: { filters: values } });
    res.setHeader("Content-Type", "text/csv; charset=utf-8");
    res.setHeader("Content-Disposition", `attachment; filename="demandes-amethyste-${new Date().toISOString().slice(0, 10)}.csv"`);
    res.setHeader("Cache-Control", "private, no-store");
    res.write(CSV_BOM);
    res.write(csvLine(["Numéro de demande", "Déposée le", "Statut", "Type", "Situation", "Zonage", "Nom", "Prénom", "Courriel", "Code postal", "Ville", "Numéro de Passe Navigo", "Participation (€)", "Aidant", "Courriel aidant"]));
    const where = queueWhere(filters);
    let cursor: string | undefined;
    for (;;) {
      const batch = await db.request.findMany({
        where,
        orderBy: [{ submittedAt: "asc" }, { id: "asc" }],
        take: CSV_BATCH,
        ...(cursor ? { skip: 1, cursor: { id: cursor } } : {}),
        include: { zonage: true, applicant: { select: { firstName: true, lastName: true, email: true, profile: { select: { postalCode: true, city: true } } } } },
      });
      for (const request of batch) {
        const line = csvLine([
          request.number,
          request.submittedAt?.toLocaleString("fr-FR", { timeZone: "Europe/Paris" }),
          STATUS_LABELS[request.status],
          request.type ? REQUEST_TYPES[request.type] : "",
          request.statutCode,
          request.zonage?.label,
          request.applicant.lastName,
          request.applicant.firstName,
          request.applicant.email,
          request.applicant.profile?.postalCode,
          request.applicant.profile?.city,
          request.navigoNumber,
          request.participationCents === null ? "" : (request.participationCents / 100).toFixed(2).replace(".", ","),
          request.aidantName,
          request.aidantEmail,
        ]);
        if (!res.write(line)) await new Promise((resolve) => res.once("drain", resolve));
      }
      if (batch.length < CSV_BATCH) break;
      cursor = batch[batch.length - 1]!.id;
    }
    res.end();
  });

  return router;
}
