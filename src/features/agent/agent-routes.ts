/**
 * The back office. Every /agent page is for agents and administrators, every
 * /admin page for administrators. A visitor who is not logged in is sent to
 * « Connexion » and brought back after; a logged-in person of another role
 * gets the 404 page, not a hint that the page exists.
 */
import { Router } from "express";
import { requireLogin, requireRole } from "../../middleware/auth.js";
import { adminRoutes } from "../admin/admin-routes.js";
import type { AdminContext } from "../admin/admin-service.js";
import { undeliveredMailRoutes } from "../admin/undelivered-mail-routes.js";
import type { DocumentStorage } from "../documents/document-storage.js";
import { agentInvitationRoutes } from "../invitations/invitation-routes.js";
import { agentRequestRoutes } from "./agent-request-routes.js";
import { queueRoutes } from "./queue-routes.js";
import type { AgentContext } from "./request-actions.js";

export function backOfficeRoutes(ctx: AgentContext & AdminContext, storage: DocumentStorage): Router {
  const router = Router();
  router.use("/agent", requireLogin, requireRole("AGENT", "ADMIN"));
  router.use("/admin", requireLogin, requireRole("ADMIN"));
  router.use(queueRoutes(ctx.db));
  router.use(agentRequestRoutes(ctx, storage));
  router.use(agentInvitationRoutes(ctx));
  router.use(adminRoutes(ctx));
  router.use(undeliveredMailRoutes(ctx));
  return router;
}
