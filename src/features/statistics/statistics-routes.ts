/**
 * « Statistiques »: for administrators only, like every /admin page (others
 * get the 404 page, logged-out visitors go to « Connexion »). The figures
 * tell how the département's service is doing and where its agents' time
 * goes: the issue gives them to those who manage the service.
 */
import { Router } from "express";
import { requireLogin, requireRole } from "../../middleware/auth.js";
import { paths } from "../../paths.js";
import { chartLayout } from "./bar-chart.js";
import { firstDayOf, monthName } from "./month-labels.js";
import { formatDays, formatPercent } from "./statistics-figures.js";
import { OVERVIEW_CACHE_MS, type StatisticsService } from "./statistics-service.js";

export function statisticsRoutes({ statistics }: { statistics: StatisticsService }): Router {
  const router = Router();

  router.get(paths.adminStatistics, requireLogin, requireRole("ADMIN"), async (_req, res) => {
    const overview = await statistics.overview();
    res.render("admin/statistics", {
      title: "Statistiques",
      ...overview,
      periodStart: firstDayOf(overview.months[0]!.month),
      chart: chartLayout(overview.months),
      monthName,
      cacheMinutes: OVERVIEW_CACHE_MS / 60_000,
      formatDays,
      formatPercent,
    });
  });

  return router;
}
