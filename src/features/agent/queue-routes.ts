/** The agents' queue: filters, search, pagination and the CSV export of what is filtered. */
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { Router } from "express";
import { filtersQuery } from "../../lib/filters-query.js";
import { pathTo, paths } from "../../paths.js";
import { REQUEST_TYPES } from "../../domain/request-types.js";
import { STATUS_LABELS } from "../status/request-status.js";
import { CSV_BOM } from "./csv.js";
import { CSV_HEADER, csvChunks } from "./queue-csv.js";
import { parseQueueFilters, QUEUE_STATUSES } from "./queue-filters.js";
import type { QueueService } from "./queue-service.js";

export function queueRoutes(queue: QueueService): Router {
  const router = Router();

  // « Mes demandes » of the agents' menu: the queue filtered on « Attribuées à moi », which composes with the other filters.
  router.get(paths.agentMine, (_req, res) => res.redirect(303, `${pathTo(paths.agent)}${filtersQuery({ attribution: "moi" })}`));

  router.get(paths.agent, async (req, res) => {
    const reference = await queue.reference();
    const { filters, values, errors } = parseQueueFilters(req.query, reference, req.user!.id);
    const mine = values.attribution === "moi";
    // The menu marks « Mes demandes » as the page shown, not « File des demandes ».
    if (mine) res.locals.currentPath = paths.agentMine;
    const locals = {
      title: mine ? "Mes demandes" : "File des demandes",
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
      res
        .status(422)
        .render("agent/queue", { ...locals, requests: [], total: 0, totalIsCapped: false, page: 1, pages: 1, counts: [], previous: null, next: null });
      return;
    }
    // The order is not a filter: the most recent first still shows the count of each status.
    const unfiltered = Object.entries(values).every(([name, value]) => !value || name === "tri");
    res.render("agent/queue", { ...locals, ...(await queue.page(filters, unfiltered)) });
  });

  router.get(paths.agentExport, async (req, res) => {
    const { filters, values, errors } = parseQueueFilters(req.query, await queue.reference(), req.user!.id);
    if (errors.summary.length > 0) {
      res.redirect(303, `${pathTo(paths.agent)}${filtersQuery(values)}`);
      return;
    }
    await queue.recordExport(req.user!.id, values);
    res.setHeader("Content-Type", "text/csv; charset=utf-8");
    res.setHeader("Content-Disposition", `attachment; filename="demandes-amethyste-${new Date().toISOString().slice(0, 10)}.csv"`);
    res.setHeader("Cache-Control", "private, no-store");
    res.write(CSV_BOM + CSV_HEADER);
    // pipeline waits for the client to take what was sent before the next rows are fetched (a slow download does not fill the
    // memory), and stops the cursor when the download is cancelled. highWaterMark 1: one chunk ready ahead, not sixteen.
    const lines = Readable.from(csvChunks(queue.exportRows(filters)), { highWaterMark: 1 });
    try {
      await pipeline(lines, res);
    } catch (error) {
      // The agent cancelled the download: nothing went wrong here. A failure of the database cuts the download short (the
      // file is not complete and the browser says so) and is reported like any other.
      if ((error as { code?: string }).code === "ERR_STREAM_PREMATURE_CLOSE") return;
      throw error;
    }
  });

  return router;
}
