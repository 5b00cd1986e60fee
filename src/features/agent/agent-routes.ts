/**
 * The back office of agents: every /agent page is for agents and
 * administrators (the /admin pages guard themselves, in admin-routes.ts). A
 * visitor who is not logged in is sent to « Connexion » and brought back
 * after; a logged-in person of another role gets the 404 page, not a hint
 * that the page exists.
 */
import { Router } from "express";
import { requireLogin, requireRole } from "../../middleware/auth.js";
import { paths } from "../../paths.js";
import type { DocumentStorage } from "../documents/document-storage.js";
import { agentInvitationRoutes } from "../invitations/invitation-routes.js";
import type { InvitationService } from "../invitations/invitation-service.js";
import { agentRequestRoutes } from "./agent-request-routes.js";
import type { AgentRequestService } from "./agent-request-service.js";
import { queueRoutes } from "./queue-routes.js";
import type { QueueService } from "./queue-service.js";

export function agentRoutes(
  services: { queue: QueueService; agentRequests: AgentRequestService; invitations: InvitationService },
  storage: DocumentStorage,
): Router {
  const router = Router();
  router.use(paths.agent, requireLogin, requireRole("AGENT", "ADMIN"));
  router.use(queueRoutes(services.queue));
  router.use(agentRequestRoutes(services.agentRequests, storage));
  router.use(agentInvitationRoutes(services.invitations));
  return router;
}
