import { Router } from "express";
import type { Database } from "../../db/prisma.js";

/** /healthz for load balancers: 200 when the process answers and the database does too, else 503. */
export function healthRoutes(db: Database): Router {
  const router = Router();
  router.get("/healthz", async (_req, res) => {
    try {
      await db.$queryRaw`SELECT 1`;
      res.json({ status: "ok", database: "ok" });
    } catch {
      res.status(503).json({ status: "degraded", database: "indisponible" });
    }
  });
  return router;
}
