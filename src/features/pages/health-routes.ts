import { Router } from "express";
import { paths } from "../../paths.js";
import type { PageService } from "./page-service.js";

/** /healthz for load balancers: 200 when the process answers and the database does too, else 503. */
export function healthRoutes(pages: Pick<PageService, "databaseAnswers">): Router {
  const router = Router();
  router.get(paths.health, async (_req, res) => {
    if (await pages.databaseAnswers()) res.json({ status: "ok", database: "ok" });
    else res.status(503).json({ status: "degraded", database: "indisponible" });
  });
  return router;
}
