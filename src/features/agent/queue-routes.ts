/** The agents' queue: filters, search, pagination and the CSV export of what is filtered. */
import { Router } from "express";
import type { Database } from "../../db/prisma.js";
import type { Prisma } from "../../generated/prisma/client.js";
import { STATUS_LABELS } from "../../domain/request-status.js";
import { REQUEST_TYPES } from "../../domain/request-types.js";
import { audit } from "./audit.js";
import { CSV_BOM, csvLine } from "./csv.js";
import { filtersQuery, PAGE_SIZE, parseQueueFilters, QUEUE_STATUSES, queueWhere } from "./queue-filters.js";

const CSV_BATCH = 2000;

const csvSelect = {
  id: true,
  number: true,
  submittedAt: true,
  status: true,
  type: true,
  statutCode: true,
  navigoNumber: true,
  participationCents: true,
  aidantName: true,
  aidantEmail: true,
  zonage: { select: { label: true } },
  applicant: { select: { firstName: true, lastName: true, email: true, profile: { select: { postalCode: true, city: true } } } },
} satisfies Prisma.RequestSelect;
type CsvRow = Prisma.RequestGetPayload<{ select: typeof csvSelect }>;

// One formatter for the whole export: toLocaleString() builds a new one on every call.
const parisDateTime = new Intl.DateTimeFormat("fr-FR", { timeZone: "Europe/Paris", dateStyle: "short", timeStyle: "short" });

function csvRow(request: CsvRow): string {
  return csvLine([
    request.number,
    request.submittedAt ? parisDateTime.format(request.submittedAt) : "",
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
}

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
    // The counts by status are the landing view's summary; a status count
    // scans every request, so filtered views (where agents search) skip it.
    const unfiltered = Object.values(values).every((value) => !value);
    const [counts, requests] = await Promise.all([
      unfiltered ? db.request.groupBy({ by: ["status"], where: { status: { not: "DRAFT" } }, _count: { _all: true } }) : Promise.resolve(null),
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
    ]);
    const total = counts ? counts.reduce((sum, row) => sum + row._count._all, 0) : await db.request.count({ where });
    res.render("agent/queue", {
      ...locals,
      requests,
      total,
      page: filters.page,
      pages: Math.max(1, Math.ceil(total / PAGE_SIZE)),
      counts: counts ? QUEUE_STATUSES.map((status) => ({ status, count: counts.find((row) => row.status === status)?._count._all ?? 0 })) : [],
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
    // Keyset pagination on (submittedAt, id): each batch is an index range scan, however deep.
    let after: { submittedAt: Date; id: string } | null = null;
    for (;;) {
      const batch: CsvRow[] = await db.request.findMany({
        where: after
          ? { AND: [where, { OR: [{ submittedAt: { gt: after.submittedAt } }, { submittedAt: after.submittedAt, id: { gt: after.id } }] }] }
          : where,
        orderBy: [{ submittedAt: "asc" }, { id: "asc" }],
        take: CSV_BATCH,
        select: csvSelect,
      });
      let chunk = "";
      for (const request of batch) chunk += csvRow(request);
      if (chunk && !res.write(chunk)) await new Promise((resolve) => res.once("drain", resolve));
      if (batch.length < CSV_BATCH) break;
      const last = batch[batch.length - 1]!;
      after = { submittedAt: last.submittedAt!, id: last.id };
    }
    res.end();
  });

  return router;
}
