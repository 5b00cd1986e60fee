/** The agents' queue: filters, search, pagination and the CSV export of what is filtered. */
import { Router } from "express";
import { filtersQuery } from "../../lib/filters-query.js";
import { pathTo, paths } from "../../paths.js";
import { REQUEST_TYPES } from "../../domain/request-types.js";
import { STATUS_LABELS } from "../status/request-status.js";
import { CSV_BOM, csvLine } from "./csv.js";
import { parseQueueFilters, QUEUE_STATUSES } from "./queue-filters.js";
import type { CsvRow, QueueService } from "./queue-service.js";

// One formatter for the whole export: toLocaleString() builds a new one on every call.
const parisDateTime = new Intl.DateTimeFormat("fr-FR", { timeZone: "Europe/Paris", dateStyle: "short", timeStyle: "short" });

const CSV_HEADER = [
  "Numéro de demande",
  "Déposée le",
  "Statut",
  "Type",
  "Situation",
  "Zonage",
  "Nom",
  "Prénom",
  "Courriel",
  "Code postal",
  "Ville",
  "Numéro de Passe Navigo",
  "Participation (€)",
  "Aidant",
  "Courriel aidant",
];

function csvRow(request: CsvRow): string {
  return csvLine([
    request.number,
    request.submittedAt ? parisDateTime.format(request.submittedAt) : "",
    STATUS_LABELS[request.status],
    request.type ? REQUEST_TYPES[request.type] : "",
    request.statutCode,
    request.zonageLabel,
    request.lastName,
    request.firstName,
    request.email,
    request.postalCode,
    request.city,
    request.navigoNumber,
    request.participationCents === null ? "" : (request.participationCents / 100).toFixed(2).replace(".", ","),
    request.aidantName,
    request.aidantEmail,
  ]);
}

export function queueRoutes(queue: QueueService): Router {
  const router = Router();

  router.get(paths.agent, async (req, res) => {
    const reference = await queue.reference();
    const { filters, values, errors } = parseQueueFilters(req.query, reference);
    const locals = {
      title: "File des demandes",
      values,
      errors,
      statuts: reference.statuts,
      zonages: reference.zonages,
      statuses: QUEUE_STATUSES,
      labels: STATUS_LABELS,
      types: REQUEST_TYPES,
      filtersQuery,
    };
    if (errors.summary.length > 0) {
      res.status(422).render("agent/queue", { ...locals, requests: [], total: 0, page: 1, pages: 1, counts: [], previous: null, next: null });
      return;
    }
    const unfiltered = Object.values(values).every((value) => !value);
    res.render("agent/queue", { ...locals, ...(await queue.page(filters, unfiltered)) });
  });

  router.get(paths.agentExport, async (req, res) => {
    const { filters, values, errors } = parseQueueFilters(req.query, await queue.reference());
    if (errors.summary.length > 0) {
      res.redirect(303, `${pathTo(paths.agent)}${filtersQuery(values)}`);
      return;
    }
    await queue.recordExport(req.user!.id, values);
    res.setHeader("Content-Type", "text/csv; charset=utf-8");
    res.setHeader("Content-Disposition", `attachment; filename="demandes-amethyste-${new Date().toISOString().slice(0, 10)}.csv"`);
    res.setHeader("Cache-Control", "private, no-store");
    res.write(CSV_BOM);
    res.write(csvLine(CSV_HEADER));
    for await (const batch of queue.exportBatches(filters)) {
      let chunk = "";
      for (const request of batch) chunk += csvRow(request);
      // Waits for the client to take what was sent: a slow download does not fill the memory.
      if (chunk && !res.write(chunk)) await new Promise((resolve) => res.once("drain", resolve));
    }
    res.end();
  });

  return router;
}
